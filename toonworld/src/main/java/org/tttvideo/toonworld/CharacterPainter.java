package org.tttvideo.toonworld;

/**
 * Draws the cat and the mouse. Coordinates below are local: x forward from the body's centre (the
 * way the character faces; facing left mirrors them), y up from the feet (negative is higher).
 * Parts are drawn back to front, each outlined: tail, far legs, body, near legs, head, ears, eyes.
 *
 * <p>The cat: body ellipse 14 x 8 at (0, -14), head radius 8 at (14, -23), pointed ears up to -36,
 * a tail curling up behind to -31, four legs. The mouse: body 7 x 4.5, head 4 x 3.5 with a pointed
 * snout, two big round ears, a thin tail. About six times less area than the cat.
 */
final class CharacterPainter {

  private final Canvas c;

  // the pose being drawn, in picture coordinates
  private double cx;
  private double fy;
  private int s;

  CharacterPainter(Canvas canvas) {
    this.c = canvas;
  }

  private double x(double lx) {
    return cx + s * lx;
  }

  private double y(double ly) {
    return fy + ly;
  }

  /**
   * The rectangle from local x {@code lx0} to {@code lx1} and local y {@code ly0} to {@code ly1};
   * facing left mirrors x, so the picture-space corners are sorted here.
   */
  private void rect(double lx0, double lx1, double ly0, double ly1, int colour) {
    c.rect(Math.min(x(lx0), x(lx1)), y(ly0), Math.max(x(lx0), x(lx1)), y(ly1), colour);
  }

  /** {@link #rect} with an outline. */
  private void outlinedRect(double lx0, double lx1, double ly0, double ly1, int colour) {
    c.outlinedRect(Math.min(x(lx0), x(lx1)), y(ly0), Math.max(x(lx0), x(lx1)), y(ly1), colour);
  }

  /** Draws {@code p} in {@code colour} with its centre at picture x {@code screenX}. */
  void draw(Pose p, double screenX, int colour) {
    cx = screenX;
    fy = p.feetY() - 1; // the outline under the feet is the last row above feetY
    s = p.facing().sign();
    if (p.who() == Character.CAT) {
      cat(p, colour);
    } else {
      mouse(p, colour);
    }
  }

  // ---------------------------------------------------------------- cat

  private void cat(Pose p, int col) {
    double swing = swing(p, 2, 4);
    double breath = p.breath();
    switch (p.posture()) {
      case SIT -> {
        c.curve(x(-8), y(-3), x(-20), y(-1), x(-23), y(-9), 2, col, true);
        c.outlinedEllipse(x(-1), y(-12), 11, 11 * (1 + 0.04 * breath), col);
        leg(4, -8, 0, col);
        leg(9, -8, 0, col);
        catHead(8, -25, false, col);
      }
      case SLEEP -> {
        c.curve(x(-12), y(-3), x(-24), y(-1), x(-25), y(-7), 2, col, true);
        c.outlinedEllipse(x(0), y(-7), 16, 7 * (1 + 0.06 * breath), col);
        catHead(15, -8, true, col);
      }
      default -> {
        double sway = 2 * Math.sin(2 * Math.PI * p.phase());
        c.curve(x(-12), y(-15), x(-21), y(-18), x(-19 + sway), y(-31), 2, col, true);
        boolean air = p.posture() == Posture.AIR;
        double spread = air ? 3 : 0;
        leg(-9 - spread, -9, -swing, col); // far back leg
        leg(6 + spread, -9, swing, col); // far front leg
        double ry = p.posture() == Posture.RUN ? 7 : 8;
        c.outlinedEllipse(x(0), y(-14), p.posture() == Posture.RUN ? 15 : 14, ry, col);
        leg(-4 - spread, -9, swing, col); // near back leg
        leg(11 + spread, -9, -swing, col); // near front leg
        if (p.posture() == Posture.EAT) {
          double bob = 2 * Math.sin(2 * Math.PI * p.phase());
          catHead(17, -15 + bob, false, col);
          bowl(27, 7, 4);
        } else {
          catHead(14, -23, false, col);
        }
      }
    }
  }

  /** A cat leg: 4 wide, from row {@code top} to the feet, its foot moved by {@code swing}. */
  private void leg(double lx, double top, double swing, int col) {
    double[] xs = {x(lx), x(lx + 4), x(lx + 4 + swing), x(lx + swing)};
    double[] ys = {y(top), y(top), y(0), y(0)};
    c.outlinedPolygon(xs, ys, col);
  }

  private void catHead(double hx, double hy, boolean sleeping, int col) {
    // ears first, so the head's outline crosses their base
    c.outlinedPolygon(
        new double[] {x(hx - 7), x(hx - 5), x(hx + 1)},
        new double[] {y(hy - 3), y(hy - 13), y(hy - 7)},
        col);
    c.outlinedPolygon(
        new double[] {x(hx - 1), x(hx + 5), x(hx + 7)},
        new double[] {y(hy - 7), y(hy - 13), y(hy - 2)},
        col);
    c.outlinedEllipse(x(hx), y(hy), 8, 8, col);
    if (sleeping) {
      closedEye(hx - 3, hx, hy);
      closedEye(hx + 2, hx + 5, hy);
    } else {
      eye(hx - 2, hy - 1.5);
      eye(hx + 3.5, hy - 1.5);
    }
    c.ellipse(x(hx + 7.5), y(hy + 2), 1.2, 1, Palette.OUTLINE); // nose
  }

  /**
   * A closed eye: a line one pixel high from local x {@code lx0} to {@code lx1}, ending at {@code
   * ly}.
   */
  private void closedEye(double lx0, double lx1, double ly) {
    rect(lx0, lx1, ly - 1, ly, Palette.OUTLINE);
  }

  /** How far the legs swing in x: {@code walk} or {@code run} pixels at the stride's peak. */
  private static double swing(Pose p, double walk, double run) {
    return switch (p.posture()) {
      case WALK -> walk * Math.sin(2 * Math.PI * p.phase());
      case RUN -> run * Math.sin(2 * Math.PI * p.phase());
      default -> 0;
    };
  }

  private void eye(double lx, double ly) {
    c.ellipse(x(lx), y(ly), 1.8, 2.4, Palette.EYE);
    c.ellipse(x(lx + 0.7), y(ly + 0.3), 0.9, 1.4, Palette.OUTLINE);
  }

  private void bowl(double lx, double rx, double ry) {
    byte pen = c.pen;
    c.pen = 0; // the bowl is scenery
    c.outlinedEllipse(x(lx), y(0), rx, ry, Palette.BOWL);
    c.pen = pen;
  }

  // ---------------------------------------------------------------- mouse

  private void mouse(Pose p, int col) {
    double swing = swing(p, 1, 2);
    switch (p.posture()) {
      case SIT -> {
        c.curve(x(-4), y(-1), x(-11), y(0), x(-14), y(-4), 0.7, Palette.OUTLINE, false);
        c.outlinedEllipse(x(0), y(-5.5), 5, 5.5 * (1 + 0.05 * p.breath()), col);
        mouseHead(3, -12, false, col);
      }
      case SLEEP -> {
        c.curve(x(-6), y(-2), x(-12), y(0), x(-15), y(-3), 0.7, Palette.OUTLINE, false);
        c.outlinedEllipse(x(0), y(-3.5), 7.5, 3.5 * (1 + 0.08 * p.breath()), col);
        mouseHead(6.5, -3.5, true, col);
      }
      default -> {
        c.curve(x(-6), y(-4), x(-12), y(-1), x(-16), y(-5), 0.7, Palette.OUTLINE, false);
        double spread = p.posture() == Posture.AIR ? 1.5 : 0;
        outlinedRect(-4 - spread + swing, -2 - spread + swing, -2, 0, col);
        outlinedRect(2 + spread - swing, 4 + spread - swing, -2, 0, col);
        c.outlinedEllipse(x(0), y(-5), 7, 4.5, col);
        if (p.posture() == Posture.EAT) {
          double bob = Math.sin(2 * Math.PI * p.phase());
          mouseHead(6.5, -4 + bob, false, col);
          bowl(13, 3.5, 2);
        } else {
          mouseHead(6, -7, false, col);
        }
      }
    }
  }

  private void mouseHead(double hx, double hy, boolean sleeping, int col) {
    c.outlinedEllipse(x(hx - 3), y(hy - 4), 2.5, 2.5, col); // far ear
    c.outlinedEllipse(x(hx + 0.5), y(hy - 4.5), 2.5, 2.5, col); // near ear
    c.outlinedPolygon(
        new double[] {x(hx + 2), x(hx + 5), x(hx + 2)},
        new double[] {y(hy - 2), y(hy + 1), y(hy + 2.5)},
        col);
    c.outlinedEllipse(x(hx), y(hy), 4, 3.5, col);
    c.ellipse(x(hx + 5), y(hy + 1), 0.8, 0.8, Palette.OUTLINE); // nose
    if (sleeping) {
      closedEye(hx + 1, hx + 3, hy);
    } else {
      c.ellipse(x(hx + 1.5), y(hy - 1), 0.9, 0.9, Palette.OUTLINE);
    }
  }
}
