package org.tttvideo.jobs.testutils;

import org.tttvideo.model.compute.ComputeBackends;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.dit.ModelWeights;
import org.tttvideo.model.generate.Generator;
import org.tttvideo.operators.generation.GeneratorFactory;

/**
 * The {@code tiny} preset with the smallest output that the H.264 encoder takes, for job tests.
 *
 * <p>Tiny decodes to 8x8 pixels, and libopenh264 refuses frames that small ({@code
 * avcodec_send_frame} fails on the first frame); 16x16 encodes. So this model is tiny with a
 * spatial compression of 4 instead of 2 (latent 4x4 -> 16x16 pixels); everything else, the
 * transformer included, is tiny's. The presets themselves are left alone.
 *
 * <pre>{@code
 * GeneratorFactory models = new SmallestVideoModel(7L);
 * ModelConfig c = SmallestVideoModel.config();   // 16x16 at 8 fps
 * }</pre>
 *
 * @param initSeed seed of the (untrained) weights
 */
public record SmallestVideoModel(long initSeed) implements GeneratorFactory {
  /** The preset name reported in VideoReady records. */
  public static final String NAME = "tiny-16px";

  /** Tiny with 16x16 output. */
  public static ModelConfig config() {
    return ModelConfig.tiny().toBuilder().name(NAME).spatialCompression(4).build();
  }

  @Override
  public Generator create(int deviceIndex) {
    // one thread per subtask: the test machine's cores are shared by the two subtasks
    return Generator.owning(
        ComputeBackends.create(ComputeBackends.DEFAULT, 1), ModelWeights.init(config(), initSeed));
  }
}
