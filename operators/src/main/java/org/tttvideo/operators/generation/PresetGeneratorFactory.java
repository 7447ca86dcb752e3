package org.tttvideo.operators.generation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ComputeBackends;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.config.ModelPresets;
import org.tttvideo.model.dit.ModelWeights;
import org.tttvideo.model.generate.Generator;

/**
 * A {@link GeneratorFactory} for a named model preset: weights loaded strictly from a safetensors
 * file, or (weightsPath null) the preset's trained weights bundled with the build ({@link
 * ModelWeights#bundled}), or where there are none drawn from {@code initSeed}, which is logged
 * loudly as untrained.
 *
 * <pre>{@code
 * new PresetGeneratorFactory("small", "models/small.safetensors", "vector", 0L);
 * new PresetGeneratorFactory("tiny", null, "vector", 7L); // untrained: tests and benchmarks
 * }</pre>
 *
 * @param preset a {@link ModelPresets#NAMES} name
 * @param weightsPath a local safetensors file, or null for the bundled weights (seeded
 *     initialisation, untrained, where none are bundled)
 * @param backend a {@link ComputeBackends#names()} name
 * @param initSeed seed of the initialisation when {@code weightsPath} is null and nothing is
 *     bundled
 */
public record PresetGeneratorFactory(
    String preset,
    String weightsPath /* null: seeded init, logged loudly as untrained */,
    String backend,
    long initSeed)
    implements GeneratorFactory {

  private static final Logger LOG = LoggerFactory.getLogger(PresetGeneratorFactory.class);

  public PresetGeneratorFactory {
    ModelPresets.requireRunnable("preset", preset);
    Objects.requireNonNull(backend, "backend");
    ComputeBackends.check("backend", backend);
  }

  @Override
  public Generator create(int deviceIndex) {
    ModelConfig config = ModelConfig.preset(preset);
    ModelWeights weights;
    if (weightsPath == null) {
      weights = bundledOrSeeded(config);
    } else {
      try {
        weights = ModelWeights.load(config, Path.of(weightsPath));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read weights of preset " + preset, e);
      }
    }
    Compute compute =
        ComputeBackends.create(backend, Runtime.getRuntime().availableProcessors(), deviceIndex);
    if (deviceIndex >= 0 && compute.device().startsWith("cpu")) {
      LOG.warn(
          "GPU {} is assigned to this subtask, but backend '{}' computes on {}: use the nd4j"
              + " backend with ND4J's CUDA build on the classpath to compute on it",
          deviceIndex,
          backend,
          compute.device());
    } else {
      LOG.info("preset '{}' computes with backend '{}' on {}", preset, backend, compute.device());
    }
    return Generator.owning(compute, weights); // closing the generator closes its backend
  }

  /** The preset's trained weights bundled with the build, else a seeded (untrained) model. */
  private ModelWeights bundledOrSeeded(ModelConfig config) {
    try {
      var bundled = ModelWeights.bundled(config);
      if (bundled.isPresent()) {
        LOG.info(
            "preset '{}': the trained weights bundled with this build ({}{}.safetensors)",
            preset,
            ModelWeights.BUNDLED_ROOT,
            preset);
        return bundled.get();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled weights of preset " + preset, e);
    }
    LOG.warn(
        "UNTRAINED MODEL: no weights path for preset '{}' and none bundled, initialising from"
            + " seed {}; videos will be noise",
        preset,
        initSeed);
    return ModelWeights.init(config, initSeed);
  }
}
