package org.tttvideo.toonworld.judge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tttvideo.toonworld.Action;
import org.tttvideo.toonworld.Body;
import org.tttvideo.toonworld.Layout;
import org.tttvideo.toonworld.Room;
import org.tttvideo.toonworld.Side;

/**
 * Whether a character's {@link Track} does what its {@link Action} says, from the motion alone:
 *
 * <ul>
 *   <li>walk, run, chase: moves at least {@link #MIN_TRAVEL} px toward the side (speed is not
 *       judged: the choreography slows a run that would leave a panning picture);
 *   <li>enter from a side: moves away from that side, is seen at the end, and at the start is not
 *       seen or touches that side's edge; leave to a side: the reverse;
 *   <li>jump in place: the feet rise at least half the body's hop above where they start, with
 *       little motion along x;
 *   <li>jump onto a piece: the feet end within {@link #STAND_SLACK} px of the piece's top and at
 *       least {@link #MIN_RISE} px above where they start, over the piece;
 *   <li>hide behind a piece: seen in the first half, at the end not seen or at most a quarter of
 *       its largest area, last seen overlapping the piece;
 *   <li>sleep, sit, eat: three quarters of its frames within {@link #STILL_SLACK} / 2 px of its
 *       median x and feet row (half of {@link #STILL_FEET_SLACK}) (breathing and a bobbing head
 *       move the blob a little); frames where another character comes near enough to cover part of
 *       it are left out unless no other frame is seen (a mouse passing in front of a sleeping cat
 *       moves the cat's visible centroid by 15 px).
 * </ul>
 *
 * <p>Frames of noise are skipped; an action whose track has no valid frame does not match.
 */
final class ActionCheck {

  static final double MIN_TRAVEL = 8;
  static final double STAND_SLACK = 5;
  static final double MIN_RISE = 8;
  static final double STILL_SLACK = 10;
  static final double STILL_FEET_SLACK = 8;

  private ActionCheck() {}

  static boolean matches(Action a, Track t, Room room) {
    if (t.firstValid() < 0 || t.firstSeen() < 0) {
      return false;
    }
    return switch (a.kind()) {
      case WALK, RUN, CHASE -> moves(t, a.direction());
      case ENTER ->
          moves(t, a.direction().opposite())
              && t.seen(t.lastValid())
              && (!t.seen(t.firstValid()) || atEdge(t, t.firstValid(), a.direction()));
      case LEAVE ->
          moves(t, a.direction())
              && t.seen(t.firstValid())
              && (!t.seen(t.lastValid()) || atEdge(t, t.lastValid(), a.direction()));
      case JUMP -> jumps(t);
      case JUMP_ONTO -> jumpsOnto(t, Layout.place(room, a.target()));
      case HIDE -> hides(t, Layout.place(room, a.target()));
      case SLEEP, SIT, EAT -> still(t);
    };
  }

  private static boolean moves(Track t, Side side) {
    double d = t.travel();
    return !Double.isNaN(d) && d * side.sign() >= MIN_TRAVEL;
  }

  private static boolean atEdge(Track t, int f, Side side) {
    return side == Side.LEFT ? t.atLeftEdge[f] : t.atRightEdge[f];
  }

  private static boolean jumps(Track t) {
    double start = t.feet[t.firstSeen()];
    double top = Double.MAX_VALUE;
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    for (int f = 0; f < t.length(); f++) {
      if (t.seen(f)) {
        top = Math.min(top, t.feet[f]);
        minX = Math.min(minX, t.worldX[f]);
        maxX = Math.max(maxX, t.worldX[f]);
      }
    }
    return start - top >= Body.of(t.who).hop() / 2.0 && maxX - minX <= MIN_TRAVEL;
  }

  private static boolean jumpsOnto(Track t, Layout.Place p) {
    int a = t.firstSeen();
    int b = t.lastSeen();
    double x = t.worldX[b];
    return Math.abs(t.feet[b] - p.standY()) <= STAND_SLACK
        && t.feet[a] - t.feet[b] >= MIN_RISE
        && x >= p.x0()
        && x <= p.x1();
  }

  private static boolean hides(Track t, Layout.Place p) {
    int first = t.firstSeen();
    int last = t.lastValid();
    int b = t.lastSeen();
    Body body = Body.of(t.who);
    double reach = p.width() / 2.0 + body.back() + body.front();
    return first < t.length() / 2
        && (!t.seen(last) || 4 * t.area[last] <= t.maxArea())
        && Math.abs(t.worldX[b] - p.centreX()) <= reach;
  }

  /**
   * Still: three quarters of the frames where it is seen (and no other character is near, where
   * there are such frames) have x within half of {@link #STILL_SLACK} of the median x and feet
   * within half of {@link #STILL_FEET_SLACK} of the median feet row (a jump in place spends under a
   * fifth of its frames that near the ground).
   */
  private static boolean still(Track t) {
    boolean clear = false;
    for (int f = 0; f < t.length(); f++) {
      clear |= t.seen(f) && !t.nearOther[f];
    }
    return mostlyNearMedian(t, t.worldX, STILL_SLACK / 2, clear)
        && mostlyNearMedian(t, t.feet, STILL_FEET_SLACK / 2, clear);
  }

  /** Over the seen frames (only those with no other character near, when {@code clear}). */
  private static boolean mostlyNearMedian(Track t, double[] v, double slack, boolean clear) {
    List<Double> xs = new ArrayList<>();
    for (int f = 0; f < t.length(); f++) {
      if (t.seen(f) && !(clear && t.nearOther[f])) {
        xs.add(v[f]);
      }
    }
    List<Double> sorted = new ArrayList<>(xs);
    Collections.sort(sorted);
    double median = sorted.get(sorted.size() / 2);
    int near = 0;
    for (double x : xs) {
      near += Math.abs(x - median) <= slack ? 1 : 0;
    }
    return 4 * near >= 3 * xs.size();
  }
}
