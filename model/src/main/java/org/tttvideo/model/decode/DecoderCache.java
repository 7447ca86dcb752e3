package org.tttvideo.model.decode;

import org.tttvideo.model.compute.Tensor;

/**
 * What the latent decoder carries from one segment to the next: the last latent frame it saw (its
 * causal temporal context) and how many latent frames it has decoded so far (the very first frame
 * of a video decodes to a single frame).
 *
 * @param previousFrame {@code [C, h, w]}, or null before the first segment
 * @param decodedFrames latent frames decoded so far
 */
public record DecoderCache(Tensor previousFrame, int decodedFrames) {
  /** The cache before the first segment. */
  public static final DecoderCache EMPTY = new DecoderCache(null, 0);

  public DecoderCache {
    if (decodedFrames < 0 || (decodedFrames == 0) != (previousFrame == null)) {
      throw new IllegalArgumentException(
          "previousFrame must be present exactly when frames were decoded, got "
              + previousFrame
              + " after "
              + decodedFrames);
    }
  }
}
