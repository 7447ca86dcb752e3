package org.tttvideo.operators.generation.testutils;

import java.io.Serializable;
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
 * The tiny model (as {@link GenerationFixtures#TINY}) whose decoder throws {@code kind} on its
 * first {@code failures} calls, from the task thread as a real model failure would: a throwable in
 * the middle of one video.
 */
public record ThrowingDecoderFactory(Kind kind, int failures) implements GeneratorFactory {

  /** What the decoder throws. */
  public enum Kind implements Serializable {
    /**
     * A real OutOfMemoryError, thrown by the JVM for an array it can never allocate ("Requested
     * array size exceeds VM limit"), so that the test needs no memory pressure.
     */
    HEAP_OUT_OF_MEMORY,
    /** An OutOfMemoryError of class metadata, which says nothing about the video. */
    METASPACE_OUT_OF_MEMORY,
    /** A real StackOverflowError: unbounded recursion. */
    STACK_OVERFLOW,
    /** A broken deployment (a native library that does not load). */
    LINKAGE_ERROR,
    /** A model call interrupted by the task's cancellation, wrapped as the backends do. */
    INTERRUPTED
  }

  @Override
  public Generator create(int deviceIndex) {
    Kind k = kind;
    return tinyWithDecoderThrowing(failures, () -> throwNow(k));
  }

  /**
   * The tiny model with weights of seed 7 whose decoder runs {@code thrower} (which throws) on its
   * first {@code failures} calls and decodes for real after.
   */
  static Generator tinyWithDecoderThrowing(int failures, Runnable thrower) {
    ModelConfig config = ModelConfig.tiny();
    ModelWeights weights = ModelWeights.init(config, 7L);
    LatentDecoder real = weights.decoder();
    LatentDecoder throwing =
        new LatentDecoder() {
          private int calls;

          @Override
          public Result decode(Compute compute, Tensor latents, DecoderCache cache) {
            if (calls++ < failures) {
              thrower.run();
            }
            return real.decode(compute, latents, cache);
          }
        };
    return Generator.owning(
        ComputeBackends.create("vector"),
        config,
        weights.transformer(),
        weights.textEncoder(),
        throwing);
  }

  private static void throwNow(Kind kind) {
    switch (kind) {
      case HEAP_OUT_OF_MEMORY -> {
        long[] never = new long[Integer.MAX_VALUE];
        throw new IllegalStateException("allocated " + never.length + " longs");
      }
      case METASPACE_OUT_OF_MEMORY -> throw new OutOfMemoryError("Metaspace");
      case STACK_OVERFLOW -> recurse(0);
      case LINKAGE_ERROR -> throw new UnsatisfiedLinkError("no jnitttvideo in java.library.path");
      case INTERRUPTED ->
          throw new IllegalStateException(
              "compute worker interrupted", new InterruptedException("task cancelled"));
    }
  }

  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }
}
