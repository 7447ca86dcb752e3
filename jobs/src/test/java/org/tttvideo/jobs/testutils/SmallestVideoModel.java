package org.tttvideo.jobs.testutils;

import org.tttvideo.model.compute.ComputeBackends;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.dit.ModelWeights;
import org.tttvideo.model.generate.Generator;
import org.tttvideo.operators.generation.GeneratorFactory;

/**
 * The {@code tiny} preset, for job tests: its 16x16 output is the smallest that the H.264 encoder
 * takes (libopenh264 refuses 8x8 frames: {@code avcodec_send_frame} fails on the first frame).
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
  public static final String NAME = "tiny";

  /** The tiny preset (16x16 output). */
  public static ModelConfig config() {
    return ModelConfig.tiny();
  }

  @Override
  public Generator create(int deviceIndex) {
    // one thread per subtask: the test machine's cores are shared by the two subtasks
    return Generator.owning(
        ComputeBackends.create(ComputeBackends.DEFAULT, 1), ModelWeights.init(config(), initSeed));
  }
}
