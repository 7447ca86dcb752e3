package org.tttvideo.toonworld;

/**
 * A character's size and speeds. Sizes are the standing pose's extent in pixels around its centre
 * x, tail and outline included, facing right (facing left mirrors them); {@code RendererTest}
 * checks them on rendered frames. Speeds are per frame at 8 fps.
 *
 * <p>The cat walks 20 px/s, about half its body length a second rather than a whole one, so that
 * its run (twice the walk, 120 px a segment) stays inside the 168 columns that every frame of a
 * panning segment shows. The mouse walks 14 px/s (its body is about 17 px long) and runs 28 px/s.
 *
 * @param who the character
 * @param back pixels from the centre to the rear end (tail)
 * @param front pixels from the centre to the front end (nose)
 * @param height pixels from the feet to the ear tips
 * @param margin the least distance from the centre to a picture edge that keeps it whole
 * @param walk pixels per frame walking
 * @param run pixels per frame running
 * @param hop height of a jump in place
 */
public record Body(
    Character who, int back, int front, int height, int margin, double walk, double run, int hop) {

  public static final Body CAT = new Body(Character.CAT, 23, 23, 38, 24, 2.5, 5.0, 20);
  public static final Body MOUSE = new Body(Character.MOUSE, 16, 12, 16, 17, 1.75, 3.5, 10);

  /** The body of {@code who}. */
  public static Body of(Character who) {
    return who == Character.CAT ? CAT : MOUSE;
  }
}
