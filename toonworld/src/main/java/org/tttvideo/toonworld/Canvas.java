package org.tttvideo.toonworld;

import java.util.Arrays;

/**
 * One frame being drawn: a {@code [H, W]} array of {@code 0xRRGGBB} and, beside it, which character
 * owns each pixel (0 scenery, 1 cat, 2 mouse), so that {@link Renderer} can report what of each
 * character is left visible after everything in front of it is drawn.
 *
 * <p>Shapes cover the pixels whose centres ({@code x + 0.5, y + 0.5}) fall inside them; nothing is
 * blended, so every pixel is exactly one of the palette's colours. The {@code outlined} forms draw
 * the shape grown by one pixel in {@link Palette#OUTLINE} first.
 */
final class Canvas {

  final int width;
  final int height;
  final int[] pixels; // [H, W], 0xRRGGBB
  final byte[] owner; // [H, W], 0 scenery, 1 cat, 2 mouse

  /** Who the shapes drawn now belong to. */
  byte pen;

  Canvas(int width, int height) {
    this.width = width;
    this.height = height;
    this.pixels = new int[width * height];
    this.owner = new byte[width * height];
  }

  void clearOwners() {
    Arrays.fill(owner, (byte) 0);
  }

  /** Rows {@code [y0, y1)} in one colour, across the whole width. */
  void fillRows(int y0, int y1, int colour) {
    int a = Math.max(0, y0) * width;
    int b = Math.min(height, y1) * width;
    if (a < b) {
      Arrays.fill(pixels, a, b, colour);
      Arrays.fill(owner, a, b, pen);
    }
  }

  void set(int x, int y, int colour) {
    if (x >= 0 && x < width && y >= 0 && y < height) {
      int i = y * width + x;
      pixels[i] = colour;
      owner[i] = pen;
    }
  }

  /** The rectangle {@code [x0, x1) x [y0, y1)}, corners rounded to the nearest pixel edge. */
  void rect(double x0, double y0, double x1, double y1, int colour) {
    int a = (int) Math.max(0, Math.round(x0));
    int b = (int) Math.min(width, Math.round(x1));
    int c = (int) Math.max(0, Math.round(y0));
    int d = (int) Math.min(height, Math.round(y1));
    for (int y = c; y < d; y++) {
      int row = y * width;
      for (int x = a; x < b; x++) {
        pixels[row + x] = colour;
        owner[row + x] = pen;
      }
    }
  }

  void outlinedRect(double x0, double y0, double x1, double y1, int colour) {
    rect(x0 - 1, y0 - 1, x1 + 1, y1 + 1, Palette.OUTLINE);
    rect(x0, y0, x1, y1, colour);
  }

  /** The ellipse of centre ({@code cx}, {@code cy}) and radii {@code rx}, {@code ry}. */
  void ellipse(double cx, double cy, double rx, double ry, int colour) {
    if (rx <= 0 || ry <= 0) {
      return;
    }
    int y0 = (int) Math.max(0, Math.floor(cy - ry));
    int y1 = (int) Math.min(height - 1, Math.ceil(cy + ry));
    for (int y = y0; y <= y1; y++) {
      double dy = (y + 0.5 - cy) / ry;
      double q = 1 - dy * dy;
      if (q < 0) {
        continue;
      }
      double half = rx * Math.sqrt(q);
      // pixels whose centre x + 0.5 lies in [cx - half, cx + half]
      int a = (int) Math.max(0, Math.ceil(cx - half - 0.5));
      int b = (int) Math.min(width - 1, Math.floor(cx + half - 0.5));
      int row = y * width;
      for (int x = a; x <= b; x++) {
        pixels[row + x] = colour;
        owner[row + x] = pen;
      }
    }
  }

  void outlinedEllipse(double cx, double cy, double rx, double ry, int colour) {
    ellipse(cx, cy, rx + 1, ry + 1, Palette.OUTLINE);
    ellipse(cx, cy, rx, ry, colour);
  }

  /** The convex or concave polygon with vertices {@code xs[i], ys[i]} (even-odd rule). */
  void polygon(double[] xs, double[] ys, int colour) {
    double top = Double.MAX_VALUE;
    double bottom = -Double.MAX_VALUE;
    for (double y : ys) {
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
    int y0 = (int) Math.max(0, Math.floor(top));
    int y1 = (int) Math.min(height - 1, Math.ceil(bottom));
    double[] cross = new double[xs.length];
    for (int y = y0; y <= y1; y++) {
      double yc = y + 0.5;
      int n = 0;
      for (int i = 0, j = xs.length - 1; i < xs.length; j = i++) {
        if ((ys[i] <= yc) != (ys[j] <= yc)) {
          cross[n++] = xs[i] + (yc - ys[i]) * (xs[j] - xs[i]) / (ys[j] - ys[i]);
        }
      }
      Arrays.sort(cross, 0, n);
      int row = y * width;
      for (int k = 0; k + 1 < n; k += 2) {
        int a = (int) Math.max(0, Math.ceil(cross[k] - 0.5));
        int b = (int) Math.min(width - 1, Math.floor(cross[k + 1] - 0.5));
        for (int x = a; x <= b; x++) {
          pixels[row + x] = colour;
          owner[row + x] = pen;
        }
      }
    }
  }

  /** The polygon with a one-pixel outline (drawn as the polygon moved by one pixel four ways). */
  void outlinedPolygon(double[] xs, double[] ys, int colour) {
    double[] mx = new double[xs.length];
    double[] my = new double[ys.length];
    int[][] moves = {{-1, 0}, {1, 0}, {0, -1}, {0, 1}};
    for (int[] m : moves) {
      for (int i = 0; i < xs.length; i++) {
        mx[i] = xs[i] + m[0];
        my[i] = ys[i] + m[1];
      }
      polygon(mx, my, Palette.OUTLINE);
    }
    polygon(xs, ys, colour);
  }

  /**
   * A quadratic curve from p0 through control p1 to p2, drawn as discs of radius {@code r} (with an
   * outline when {@code outlined}): tails.
   */
  void curve(
      double x0,
      double y0,
      double x1,
      double y1,
      double x2,
      double y2,
      double r,
      int colour,
      boolean outlined) {
    int steps = 16;
    for (int pass = outlined ? 0 : 1; pass < 2; pass++) {
      double grow = pass == 0 ? 1 : 0;
      int c = pass == 0 ? Palette.OUTLINE : colour;
      for (int i = 0; i <= steps; i++) {
        double t = i / (double) steps;
        double u = 1 - t;
        double x = u * u * x0 + 2 * u * t * x1 + t * t * x2;
        double y = u * u * y0 + 2 * u * t * y1 + t * t * y2;
        ellipse(x, y, r + grow, r + grow, c);
      }
    }
  }
}
