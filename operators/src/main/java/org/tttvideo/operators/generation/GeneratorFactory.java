package org.tttvideo.operators.generation;

import java.io.Serializable;
import org.tttvideo.model.generate.Generator;

/**
 * Builds the model of a {@link GenerationOperator} subtask. The factory is serialized with the job
 * graph; {@link #create} runs in the operator's {@code open()} on the task manager, so weights are
 * loaded there and never shipped with the graph.
 *
 * <pre>{@code
 * GeneratorFactory f = new PresetGeneratorFactory("tiny", null, "vector", 7L);
 * Generator g = f.create(-1); // CPU
 * }</pre>
 */
@FunctionalInterface
public interface GeneratorFactory extends Serializable {
  /**
   * Builds the model in open(); deviceIndex is the GPU index from Flink's external resource "gpu",
   * or -1 on CPU. The operator closes the generator in its {@code close()}: a factory that creates
   * a compute backend for the generator hands it over with {@link Generator#owning}, so that
   * closing the generator releases it.
   */
  Generator create(int deviceIndex);
}
