package org.tttvideo.toonworld.judge;

import java.util.Arrays;
import org.tttvideo.toonworld.Clip;
import org.tttvideo.toonworld.Layout;
import org.tttvideo.toonworld.Palette;
import org.tttvideo.toonworld.ToonColour;

/**
 * What the pixels of one frame show, read without knowing what they should show: the wall colour,
 * whether the frame is a picture of the world at all, and for every {@link ToonColour} the blob of
 * that colour (area, centroid, box).
 *
 * <p>Legend: W = width, H = height; x, y picture pixels; K = 11 colours in {@link ToonColour}
 * order.
 *
 * <p>A pixel is of colour k when it lies within {@link #TOLERANCE} (Euclidean, sRGB) of fill k;
 * scenery keeps at least 55 away from every fill ({@code PaletteTest}), so only walls and
 * characters qualify. A blob counts only pixels in {@link #CELL} x {@link #CELL} cells that are at
 * least half of that colour: a character's body fills its cells, while noise or a stray pixel does
 * not (a random pixel is of some colour with probability about 0.4 %, so a half-full cell almost
 * never).
 *
 * <p>The wall is the commonest colour of the wall band: rows {@link #BAND_Y0}..{@link #BAND_Y1}
 * indoors, or, when the top rows are sky (the garden), rows {@link #GARDEN_BAND_Y0}..{@link
 * #GARDEN_BAND_Y1} of the garden wall. The frame is a picture of the world when that colour covers
 * at least half the band.
 */
final class FrameReading {

  /** Largest distance from a fill that still counts as that colour (room for MP4 artefacts). */
  static final int TOLERANCE = 24;

  static final int CELL = 4;

  static final int BAND_Y0 = 2;
  static final int BAND_Y1 = 14;
  static final int GARDEN_BAND_Y0 = Layout.SKY_BOTTOM + 2;
  static final int GARDEN_BAND_Y1 = Layout.SKY_BOTTOM + 14;

  private static final ToonColour[] FILLS = ToonColour.values();
  static final int K = FILLS.length;

  /** The wall's colour, or null when no colour covers half the band. */
  final ToonColour wall;

  /** Per colour: blob pixels, sums of x and y, box. */
  final int[] area = new int[K];

  final long[] sumX = new long[K];
  final long[] sumY = new long[K];
  final int[] minX = new int[K];
  final int[] maxX = new int[K];
  final int[] minY = new int[K];
  final int[] maxY = new int[K];

  private FrameReading(ToonColour wall) {
    this.wall = wall;
  }

  /** Whether the frame is a picture of the world (a wall fills its band). */
  boolean valid() {
    return wall != null;
  }

  double centroidX(ToonColour c) {
    return (double) sumX[c.ordinal()] / area[c.ordinal()];
  }

  double centroidY(ToonColour c) {
    return (double) sumY[c.ordinal()] / area[c.ordinal()];
  }

  /** Reads frame {@code n} of {@code clip}. */
  static FrameReading of(Clip clip, int n) {
    int w = clip.width();
    int h = clip.height();
    byte[] rgb = clip.rgb();
    int base = n * clip.frameBytes();
    // [H * W] the fill index of each pixel, or -1
    byte[] idx = new byte[w * h];
    int last = -1;
    byte lastIdx = -1;
    for (int p = 0; p < w * h; p++) {
      int o = base + p * 3;
      int v = ((rgb[o] & 0xff) << 16) | ((rgb[o + 1] & 0xff) << 8) | (rgb[o + 2] & 0xff);
      if (v != last) {
        last = v;
        lastIdx = fillOf(v);
      }
      idx[p] = lastIdx;
    }
    boolean sky = skyShare(idx, w, BAND_Y0, BAND_Y1, clip, n) >= 0.5;
    ToonColour wall =
        sky ? mode(idx, w, GARDEN_BAND_Y0, GARDEN_BAND_Y1) : mode(idx, w, BAND_Y0, BAND_Y1);
    FrameReading r = new FrameReading(wall);
    Arrays.fill(r.minX, Integer.MAX_VALUE);
    Arrays.fill(r.minY, Integer.MAX_VALUE);
    Arrays.fill(r.maxX, -1);
    Arrays.fill(r.maxY, -1);
    int[] count = new int[K];
    int half = CELL * CELL / 2;
    for (int cy = 0; cy + CELL <= h; cy += CELL) {
      for (int cx = 0; cx + CELL <= w; cx += CELL) {
        Arrays.fill(count, 0);
        boolean any = false;
        for (int y = cy; y < cy + CELL; y++) {
          for (int x = cx; x < cx + CELL; x++) {
            int k = idx[y * w + x];
            if (k >= 0) {
              count[k]++;
              any = true;
            }
          }
        }
        if (!any) {
          continue;
        }
        for (int k = 0; k < K; k++) {
          if (count[k] >= half) {
            r.add(idx, w, cx, cy, k);
          }
        }
      }
    }
    return r;
  }

  private void add(byte[] idx, int w, int cx, int cy, int k) {
    for (int y = cy; y < cy + CELL; y++) {
      for (int x = cx; x < cx + CELL; x++) {
        if (idx[y * w + x] == k) {
          area[k]++;
          sumX[k] += x;
          sumY[k] += y;
          minX[k] = Math.min(minX[k], x);
          maxX[k] = Math.max(maxX[k], x);
          minY[k] = Math.min(minY[k], y);
          maxY[k] = Math.max(maxY[k], y);
        }
      }
    }
  }

  /** The fill within {@link #TOLERANCE} of {@code 0xRRGGBB}, as its ordinal, or -1. */
  static byte fillOf(int rgb) {
    ToonColour c = ToonColour.nearest(rgb);
    return c.distanceSquared(rgb) <= TOLERANCE * TOLERANCE ? (byte) c.ordinal() : -1;
  }

  /** The share of rows [y0, y1] within {@link #TOLERANCE} of the sky. */
  private static double skyShare(byte[] idx, int w, int y0, int y1, Clip clip, int n) {
    int sky = 0;
    int total = 0;
    for (int y = y0; y <= y1; y++) {
      for (int x = 0; x < w; x++) {
        total++;
        if (idx[y * w + x] < 0 && near(clip.pixel(n, x, y), Palette.SKY)) {
          sky++;
        }
      }
    }
    return (double) sky / total;
  }

  /** Whether two colours lie within {@link #TOLERANCE} of each other. */
  static boolean near(int a, int b) {
    int dr = ((a >> 16) & 0xff) - ((b >> 16) & 0xff);
    int dg = ((a >> 8) & 0xff) - ((b >> 8) & 0xff);
    int db = (a & 0xff) - (b & 0xff);
    return dr * dr + dg * dg + db * db <= TOLERANCE * TOLERANCE;
  }

  /** The colour covering at least half of rows [y0, y1], or null. */
  private static ToonColour mode(byte[] idx, int w, int y0, int y1) {
    int[] count = new int[K];
    for (int y = y0; y <= y1; y++) {
      for (int x = 0; x < w; x++) {
        int k = idx[y * w + x];
        if (k >= 0) {
          count[k]++;
        }
      }
    }
    int best = 0;
    for (int k = 1; k < K; k++) {
      if (count[k] > count[best]) {
        best = k;
      }
    }
    return 2 * count[best] >= (y1 - y0 + 1) * w ? FILLS[best] : null;
  }
}
