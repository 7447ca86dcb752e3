package org.tttvideo.toonworld.testutils;

import java.util.SplittableRandom;
import org.tttvideo.toonworld.Clip;
import org.tttvideo.toonworld.Geometry;
import org.tttvideo.toonworld.ToonColour;

/** Damages a rendered clip the ways the judge must notice; each returns a new clip. */
public final class Perturb {

  private static final int N = Geometry.FRAMES_PER_SEGMENT;

  private Perturb() {}

  /** Repaints every pixel of fill {@code from} as {@code to} in segments [s0, s1). */
  public static Clip recolour(Clip c, int s0, int s1, ToonColour from, ToonColour to) {
    byte[] rgb = c.rgb().clone();
    int frame = c.frameBytes();
    for (int i = s0 * N * frame; i < s1 * N * frame; i += 3) {
      int v = ((rgb[i] & 0xff) << 16) | ((rgb[i + 1] & 0xff) << 8) | (rgb[i + 2] & 0xff);
      if (v == from.rgb()) {
        rgb[i] = (byte) to.red();
        rgb[i + 1] = (byte) to.green();
        rgb[i + 2] = (byte) to.blue();
      }
    }
    return copy(c, rgb);
  }

  /** Plays each of the given segments backwards. */
  public static Clip reverse(Clip c, int... segments) {
    byte[] rgb = c.rgb().clone();
    int frame = c.frameBytes();
    for (int s : segments) {
      for (int f = 0; f < N; f++) {
        System.arraycopy(c.rgb(), (s * N + N - 1 - f) * frame, rgb, (s * N + f) * frame, frame);
      }
    }
    return copy(c, rgb);
  }

  /** Replaces frames [f0, f1) with uniform random noise from {@code seed}. */
  public static Clip noise(Clip c, int f0, int f1, long seed) {
    byte[] rgb = c.rgb().clone();
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = f0 * c.frameBytes(); i < f1 * c.frameBytes(); i++) {
      rgb[i] = (byte) r.nextInt(256);
    }
    return copy(c, rgb);
  }

  private static Clip copy(Clip c, byte[] rgb) {
    return new Clip(c.width(), c.height(), c.fps(), c.frameCount(), rgb);
  }
}
