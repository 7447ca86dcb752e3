package org.tttvideo.operators.generation;

import org.tttvideo.connectors.video.Frames;
import org.tttvideo.model.compute.Tensor;

/** The decoder's float frames as RGB24 bytes. */
final class FrameConversion {
  private FrameConversion() {}

  /**
   * Rounds each value of {@code frames} {@code [N, H, W, 3]}, clamped to [0, 1], to the nearest of
   * 0..255 (halves up; NaN becomes 0). Same floats, same bytes.
   *
   * @throws IllegalArgumentException when {@code frames} is not {@code [N, H, W, 3]}
   */
  static Frames toFrames(Tensor frames, int fps) {
    if (frames.rank() != 4 || frames.dim(3) != 3) {
      throw new IllegalArgumentException(
          "decoded frames must be [N, H, W, 3], got " + java.util.Arrays.toString(frames.shape()));
    }
    float[] v = frames.data();
    byte[] rgb = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      rgb[i] = (byte) toByte(v[i]);
    }
    // [N, H, W, 3]: Frames takes width W = dim 2 and height H = dim 1
    return new Frames(frames.dim(2), frames.dim(1), fps, frames.dim(0), rgb);
  }

  /** 0..255 for a channel value in [0, 1]. */
  static int toByte(float value) {
    if (!(value > 0f)) {
      return 0; // negative, zero or NaN
    }
    if (value >= 1f) {
      return 255;
    }
    return (int) (value * 255f + 0.5f);
  }
}
