package org.tttvideo.connectors.video.testutils;

import org.tttvideo.connectors.video.Frames;

/** Frames made from formulas, for encoder and store tests. */
public final class SyntheticVideos {
  private SyntheticVideos() {}

  /**
   * Gradients that move from frame to frame: red along x, green along y, blue along the diagonal,
   * each shifted by the frame number, so consecutive frames differ and motion is easy to see.
   */
  public static Frames movingGradients(int width, int height, int fps, int frameCount) {
    byte[] rgb = new byte[frameCount * height * width * 3]; // [N, H, W, 3]
    int i = 0;
    for (int n = 0; n < frameCount; n++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          rgb[i++] = (byte) (x * 255 / Math.max(1, width - 1) + 4 * n);
          rgb[i++] = (byte) (y * 255 / Math.max(1, height - 1) + 3 * n);
          rgb[i++] = (byte) ((x + y + 2 * n) & 0xff);
        }
      }
    }
    return new Frames(width, height, fps, frameCount, rgb);
  }

  /** Every pixel of every frame is ({@code r}, {@code g}, {@code b}). */
  public static Frames flat(int width, int height, int fps, int frameCount, int r, int g, int b) {
    byte[] rgb = new byte[frameCount * height * width * 3];
    for (int i = 0; i < rgb.length; i += 3) {
      rgb[i] = (byte) r;
      rgb[i + 1] = (byte) g;
      rgb[i + 2] = (byte) b;
    }
    return new Frames(width, height, fps, frameCount, rgb);
  }

  /** The same frames with the R and B channels exchanged: what a BGR/RGB mix-up produces. */
  public static Frames swapRedAndBlue(Frames frames) {
    byte[] rgb = frames.rgb().clone();
    for (int i = 0; i < rgb.length; i += 3) {
      byte r = rgb[i];
      rgb[i] = rgb[i + 2];
      rgb[i + 2] = r;
    }
    return new Frames(frames.width(), frames.height(), frames.fps(), frames.frameCount(), rgb);
  }

  /** Mean over all bytes of |a - b|, the channel values read as unsigned. */
  public static double meanAbsoluteError(Frames a, Frames b) {
    if (a.rgb().length != b.rgb().length) {
      throw new IllegalArgumentException(a + " and " + b + " differ in size");
    }
    long sum = 0;
    for (int i = 0; i < a.rgb().length; i++) {
      sum += Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff));
    }
    return sum / (double) a.rgb().length;
  }

  /** The largest |a - b| over all bytes, read as unsigned. */
  public static int maxAbsoluteError(Frames a, Frames b) {
    if (a.rgb().length != b.rgb().length) {
      throw new IllegalArgumentException(a + " and " + b + " differ in size");
    }
    int max = 0;
    for (int i = 0; i < a.rgb().length; i++) {
      max = Math.max(max, Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff)));
    }
    return max;
  }
}
