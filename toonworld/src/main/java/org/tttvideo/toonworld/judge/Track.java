package org.tttvideo.toonworld.judge;

import java.util.Arrays;
import org.tttvideo.toonworld.Character;
import org.tttvideo.toonworld.Geometry;

/**
 * One character's blob through the frames of a segment, as the pixels show it: per frame its area,
 * its centroid in world x (picture x plus the camera's left edge), its lowest row (the feet) and
 * whether it touches the picture's left or right edge, and whether another character's blob comes
 * near enough to cover part of it. Frames that are no picture of the world (noise) are marked
 * invalid and tell nothing.
 *
 * <p>Legend: N = frames in the segment (24); all arrays are [N].
 */
final class Track {

  /** Below this many blob pixels a character counts as not seen (hidden, off screen). */
  static int visibleArea(Character who) {
    return who == Character.CAT ? 60 : 20;
  }

  final Character who;
  final boolean[] valid;
  final int[] area;
  final double[] worldX;
  final double[] feet;
  final double[] worldMinX;
  final double[] worldMaxX;
  final boolean[] atLeftEdge;
  final boolean[] atRightEdge;
  final boolean[] nearOther;

  Track(Character who, int n) {
    this.who = who;
    valid = new boolean[n];
    area = new int[n];
    worldX = new double[n];
    feet = new double[n];
    worldMinX = new double[n];
    worldMaxX = new double[n];
    atLeftEdge = new boolean[n];
    atRightEdge = new boolean[n];
    nearOther = new boolean[n];
    Arrays.fill(worldX, Double.NaN);
    Arrays.fill(feet, Double.NaN);
  }

  int length() {
    return valid.length;
  }

  /** Whether the character is seen in frame {@code f} (a valid frame). */
  boolean seen(int f) {
    return valid[f] && area[f] >= visibleArea(who);
  }

  /** The first valid frame, or -1. */
  int firstValid() {
    for (int f = 0; f < length(); f++) {
      if (valid[f]) {
        return f;
      }
    }
    return -1;
  }

  /** The last valid frame, or -1. */
  int lastValid() {
    for (int f = length() - 1; f >= 0; f--) {
      if (valid[f]) {
        return f;
      }
    }
    return -1;
  }

  /** The first frame where it is seen, or -1. */
  int firstSeen() {
    for (int f = 0; f < length(); f++) {
      if (seen(f)) {
        return f;
      }
    }
    return -1;
  }

  /** The last frame where it is seen, or -1. */
  int lastSeen() {
    for (int f = length() - 1; f >= 0; f--) {
      if (seen(f)) {
        return f;
      }
    }
    return -1;
  }

  /** The largest area over the valid frames. */
  int maxArea() {
    int m = 0;
    for (int f = 0; f < length(); f++) {
      if (valid[f]) {
        m = Math.max(m, area[f]);
      }
    }
    return m;
  }

  /** Whether it is seen whole in frame f: not touching an edge. */
  boolean whole(int f) {
    return seen(f) && !atLeftEdge[f] && !atRightEdge[f];
  }

  /**
   * World x travelled between the first and last frames where it is seen; NaN when seen in fewer
   * than two. Measured on the centroid when the blob never touches a picture edge, else on the edge
   * of the blob that stays inside the picture (the right edge of a character that enters or leaves
   * at the left), so that a body cut by the picture's edge still moves at its true speed.
   */
  double travel() {
    boolean left = false;
    boolean right = false;
    for (int f = 0; f < length(); f++) {
      if (seen(f)) {
        left |= atLeftEdge[f];
        right |= atRightEdge[f];
      }
    }
    double[] x = left == right ? worldX : left ? worldMaxX : worldMinX;
    int a = firstSeen();
    int b = lastSeen();
    return a < 0 || a == b ? Double.NaN : x[b] - x[a];
  }

  /** Picture width, for the edge tests. */
  static int width() {
    return Geometry.WIDTH;
  }
}
