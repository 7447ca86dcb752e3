package org.tttvideo.operators.generation.testutils;

import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ComputeBackends;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.decode.DecoderCache;
import org.tttvideo.model.decode.LatentDecoder;
import org.tttvideo.model.dit.ModelWeights;
import org.tttvideo.model.generate.Generator;
import org.tttvideo.operators.generation.GeneratorFactory;

/**
 * The tiny model (as {@link GenerationFixtures#TINY}) whose decoder throws on its first {@code
 * failures} calls: a model failure in the middle of a video.
 */
public record FailingDecoderFactory(int failures) implements GeneratorFactory {
  public static final String MESSAGE = "injected decoder failure";

  @Override
  public Generator create(int deviceIndex) {
    ModelConfig config = ModelConfig.tiny();
    ModelWeights weights = ModelWeights.init(config, 7L);
    LatentDecoder real = weights.decoder();
    LatentDecoder failing =
        new LatentDecoder() {
          private int calls;

          @Override
          public Result decode(Compute compute, Tensor latents, DecoderCache cache) {
            if (calls++ < failures) {
              throw new IllegalStateException(MESSAGE);
            }
            return real.decode(compute, latents, cache);
          }
        };
    return Generator.owning(
        ComputeBackends.create("vector"),
        config,
        weights.transformer(),
        weights.textEncoder(),
        failing);
  }
}
