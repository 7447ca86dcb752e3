package org.tttvideo.operators.generation.testutils;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ComputeBackends;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.dit.ModelWeights;
import org.tttvideo.model.generate.Generator;
import org.tttvideo.operators.generation.GeneratorFactory;

/**
 * The tiny model (as {@link GenerationFixtures#TINY}) on a vector backend that its generator owns
 * and that counts how often it is closed, into {@code computeCloses}.
 *
 * @param computeCloses incremented by each close() of the backend
 */
public record CloseCountingFactory(AtomicInteger computeCloses) implements GeneratorFactory {
  @Override
  public Generator create(int deviceIndex) {
    Compute vector = ComputeBackends.create("vector");
    Compute counting =
        (Compute)
            Proxy.newProxyInstance(
                Compute.class.getClassLoader(),
                new Class<?>[] {Compute.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("close") && method.getParameterCount() == 0) {
                    computeCloses.incrementAndGet();
                  }
                  try {
                    return method.invoke(vector, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    return Generator.owning(counting, ModelWeights.init(ModelConfig.tiny(), 7L));
  }
}
