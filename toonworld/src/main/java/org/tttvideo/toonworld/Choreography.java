package org.tttvideo.toonworld;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns a {@link WorldSpec} and a seed into a {@link Pose} per character per frame: deterministic
 * (the same spec and seed give the same plan), smooth within a segment, and continuous from one
 * segment to the next within a scene (a character starts where it stopped, moved only as far as its
 * next action needs to stay in frame). The seed chooses where characters start when nothing carries
 * over, which way they face and the phase of their breathing.
 *
 * <p>Per action, over the segment's N = 24 frames (f = 0..N-1, s = f / N):
 *
 * <ul>
 *   <li>WALK, RUN: x = x0 + d · speed · f, speeds in {@link Body};
 *   <li>CHASE: the mouse runs (or leaves); the cat follows at a gap that closes from 42 to 28 px;
 *   <li>JUMP: two hops of {@link Body#hop()} px, each a parabola over 12 frames;
 *   <li>JUMP_ONTO: walks to 18 px from the piece (frames 0-11), jumps in a parabola onto its top
 *       (12-19), stands there (20-23);
 *   <li>HIDE: from clear of the piece (half its width plus the body's length from its centre, where
 *       the picture has room) walks behind its centre (0-13) and stays there, drawn behind that
 *       piece (and in front of the room's other piece);
 *   <li>ENTER: from fully off screen at that side to 64 (cat) or 48 (mouse; 112 when the cat does
 *       the same at that side) px inside it, LEAVE: from where it stands to fully off screen, both
 *       linear over frames 0..N-1 in picture terms;
 *   <li>SLEEP, SIT, EAT: in place, breathing (sleep, sit) or bobbing the head (eat).
 * </ul>
 */
public final class Choreography {

  private static final int N = Geometry.FRAMES_PER_SEGMENT;

  private static final double CHASE_GAP_START = 42;
  private static final double CHASE_GAP_END = 28;

  private Choreography() {}

  /** Where a character was at the end of the previous segment of the scene. */
  private record Carry(double x, Side facing) {}

  /** One frame plan per frame of the video. */
  public static List<FramePlan> plan(WorldSpec spec, long seed) {
    List<FramePlan> out = new ArrayList<>(spec.frameCount());
    int segment = 0;
    for (int sc = 0; sc < spec.scenes().size(); sc++) {
      Carry cat = null;
      Carry mouse = null;
      for (SegmentSpec s : spec.scenes().get(sc).segments()) {
        SplittableRandom rnd = new SplittableRandom(mix(seed, segment));
        Room room = spec.scenes().get(sc).room();
        Pose[] mouseTrack = s.mouse() == null ? null : track(Body.MOUSE, s, room, mouse, null, rnd);
        Pose[] catTrack = s.cat() == null ? null : track(Body.CAT, s, room, cat, mouseTrack, rnd);
        if (s.mouse() != null && catTrack != null && isStill(s.mouse()) && mouse == null) {
          // place a mouse that carries nothing away from the cat's path
          mouseTrack = awayFrom(catTrack, s, room, rnd);
        }
        for (int f = 0; f < N; f++) {
          out.add(
              new FramePlan(
                  segment * N + f,
                  segment,
                  sc,
                  Layout.cameraX(s.camera(), f),
                  catTrack == null ? null : catTrack[f],
                  mouseTrack == null ? null : mouseTrack[f]));
        }
        cat = s.cat() == null ? null : carry(s.cat(), catTrack);
        mouse = s.mouse() == null ? null : carry(s.mouse(), mouseTrack);
        segment++;
      }
    }
    return out;
  }

  private static boolean isStill(Action a) {
    return switch (a.kind()) {
      case SLEEP, SIT, EAT, JUMP -> true;
      default -> false;
    };
  }

  private static Carry carry(Action a, Pose[] track) {
    if (a.kind() == ActionKind.LEAVE) {
      return null;
    }
    Pose last = track[N - 1];
    double x = last.x();
    if (a.kind().moves()) {
      x += last.x() - track[N - 2].x(); // where frame N would be
    }
    return new Carry(x, last.facing());
  }

  private static Pose[] awayFrom(Pose[] cat, SegmentSpec s, Room room, SplittableRandom rnd) {
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (Pose p : cat) {
      lo = Math.min(lo, p.x());
      hi = Math.max(hi, p.x());
    }
    Pose[] best = null;
    for (int attempt = 0; attempt < 12; attempt++) {
      Pose[] t = track(Body.MOUSE, s, room, null, null, rnd);
      best = t;
      double x = t[0].x();
      if (x < lo - 40 || x > hi + 40) {
        break;
      }
    }
    return best;
  }

  /** The poses of one character over one segment. */
  private static Pose[] track(
      Body body, SegmentSpec s, Room room, Carry carry, Pose[] mouse, SplittableRandom rnd) {
    Action a = s.action(body.who());
    int[] vis = Layout.alwaysVisible(s.camera());
    double lo = vis[0] + body.margin();
    double hi = vis[1] - body.margin();
    Side facing = carry != null ? carry.facing() : rnd.nextBoolean() ? Side.LEFT : Side.RIGHT;
    double phase0 = rnd.nextDouble();
    double start = carry != null ? carry.x() : lo + rnd.nextDouble() * (hi - lo);
    Pose[] t = new Pose[N];
    switch (a.kind()) {
      case WALK, RUN -> {
        double v = a.kind() == ActionKind.WALK ? body.walk() : body.run();
        Posture posture = a.kind() == ActionKind.WALK ? Posture.WALK : Posture.RUN;
        double d = a.direction().sign() * v * N;
        if (body.who() == Character.MOUSE
            && s.cat() != null
            && s.cat().kind() == ActionKind.CHASE) {
          // leave room behind the mouse for the chasing cat
          if (d > 0) {
            lo = Math.max(lo, vis[0] + Body.CAT.margin() + CHASE_GAP_START);
          } else {
            hi = Math.min(hi, vis[1] - Body.CAT.margin() - CHASE_GAP_START);
          }
        }
        double x0 = fit(carry != null ? start : lo + rnd.nextDouble() * (hi - lo), d, lo, hi);
        for (int f = 0; f < N; f++) {
          t[f] = moving(body, x0 + d * f / N, a.direction(), posture, phase0 + f * v / 16);
        }
      }
      case CHASE -> {
        int sign = a.direction().sign();
        for (int f = 0; f < N; f++) {
          double gap = CHASE_GAP_START + (CHASE_GAP_END - CHASE_GAP_START) * f / N;
          double x = mouse[f].x() - sign * gap;
          t[f] = moving(body, x, a.direction(), Posture.RUN, phase0 + f * body.run() / 16);
        }
      }
      case JUMP -> {
        double x0 = clamp(start, lo, hi);
        for (int f = 0; f < N; f++) {
          double u = (f % 12) / 12.0;
          double y = Layout.GROUND - body.hop() * 4 * u * (1 - u);
          Posture p = u == 0 ? Posture.STAND : Posture.AIR;
          t[f] = new Pose(body.who(), x0, y, facing, p, 0, 0, null);
        }
      }
      case JUMP_ONTO -> jumpOnto(body, Layout.place(room, a.target()), start, lo, hi, phase0, t);
      case HIDE -> hide(body, Layout.place(room, a.target()), start, lo, hi, phase0, t);
      case ENTER, LEAVE -> enterOrLeave(body, s, a, start, carry != null, t);
      case SLEEP, SIT, EAT -> {
        double x0 = clamp(start, lo, hi);
        Posture p =
            a.kind() == ActionKind.SLEEP
                ? Posture.SLEEP
                : a.kind() == ActionKind.SIT ? Posture.SIT : Posture.EAT;
        double period = a.kind() == ActionKind.SLEEP ? 16 : 12;
        for (int f = 0; f < N; f++) {
          double breath = Math.sin(2 * Math.PI * (f / period + phase0));
          double bob = (f / 8.0 + phase0) % 1.0;
          t[f] = new Pose(body.who(), x0, Layout.GROUND, facing, p, bob, breath, null);
        }
      }
    }
    return t;
  }

  private static void jumpOnto(
      Body body, Layout.Place place, double start, double lo, double hi, double phase0, Pose[] t) {
    double target = place.standX();
    double takeoffGap = 18;
    // approach from the side the character is on, unless that side leaves the picture
    int side = start >= target ? 1 : -1;
    if (target + side * takeoffGap < lo || target + side * takeoffGap > hi) {
      side = -side;
    }
    double takeoff = target + side * takeoffGap;
    double x0 = start;
    if (Math.abs(x0 - target) < takeoffGap + 16 || Math.signum(x0 - target) != side) {
      x0 = target + side * (takeoffGap + 24); // room for a visible approach
    }
    x0 = clamp(x0, lo, hi);
    Side facing = side > 0 ? Side.LEFT : Side.RIGHT;
    for (int f = 0; f < N; f++) {
      if (f < 12) {
        double x = x0 + (takeoff - x0) * f / 12.0;
        t[f] =
            new Pose(body.who(), x, Layout.GROUND, facing, Posture.WALK, phase0 + f / 6.0, 0, null);
      } else if (f < 20) {
        double u = (f - 12) / 8.0;
        double x = takeoff + (target - takeoff) * u;
        double y = Layout.GROUND + (place.standY() - Layout.GROUND) * u - 14 * 4 * u * (1 - u);
        t[f] = new Pose(body.who(), x, y, facing, Posture.AIR, 0, 0, null);
      } else {
        t[f] = new Pose(body.who(), target, place.standY(), facing, Posture.STAND, 0, 0, null);
      }
    }
  }

  private static void hide(
      Body body, Layout.Place place, double start, double lo, double hi, double phase0, Pose[] t) {
    double target = place.centreX();
    // start fully clear of the piece, so that the walk behind it shows: half its width plus the
    // body's length from its centre, on the side the character is on if that side fits
    double clear = place.width() / 2.0 + body.back() + body.front() + 2;
    double x0 = clamp(start, lo, hi);
    if (Math.abs(x0 - target) < clear) {
      double side = x0 >= target ? 1 : -1;
      if (target + side * clear > hi || target + side * clear < lo) {
        side = -side;
      }
      if (target + side * clear > hi || target + side * clear < lo) {
        // neither side is clear inside the picture: the side with more room
        side = hi - target >= target - lo ? 1 : -1;
      }
      x0 = clamp(target + side * clear, lo, hi);
    }
    Side facing = x0 > target ? Side.LEFT : Side.RIGHT;
    for (int f = 0; f < N; f++) {
      double x = f < 14 ? x0 + (target - x0) * f / 14.0 : target;
      Posture p = f < 14 ? Posture.WALK : Posture.STAND;
      t[f] = new Pose(body.who(), x, Layout.GROUND, facing, p, phase0 + f / 6.0, 0, place.piece());
    }
  }

  private static void enterOrLeave(
      Body body, SegmentSpec s, Action a, double start, boolean carried, Pose[] t) {
    int w = Geometry.WIDTH;
    int inside = body.who() == Character.CAT ? 64 : 48;
    Action cat = s.cat();
    if (body.who() == Character.MOUSE
        && cat != null
        && cat.kind() == a.kind()
        && cat.direction() == a.direction()) {
      inside = 112; // the cat comes or goes at the same side: keep the mouse clear of it
    }
    int off = body.margin();
    boolean left = a.direction() == Side.LEFT;
    // picture x (centre) at the first and the last frame
    double p0;
    double p1;
    if (a.kind() == ActionKind.ENTER) {
      p0 = left ? -off : w + off;
      p1 = left ? inside : w - inside;
    } else {
      p0 = left ? inside : w - inside;
      double carriedX = start - Layout.cameraX(s.camera(), 0);
      if (carried && carriedX >= off && carriedX <= w - off) {
        p0 = carriedX;
      }
      p1 = left ? -off : w + off;
    }
    Side facing = p1 > p0 ? Side.RIGHT : Side.LEFT;
    double c0 = Layout.cameraX(s.camera(), 0);
    double c1 = Layout.cameraX(s.camera(), N - 1);
    double x0 = p0 + c0;
    double x1 = p1 + c1;
    Posture posture = Math.abs(x1 - x0) / (N - 1) > body.walk() * 1.5 ? Posture.RUN : Posture.WALK;
    for (int f = 0; f < N; f++) {
      double x = x0 + (x1 - x0) * f / (N - 1);
      t[f] = moving(body, x, facing, posture, f * Math.abs(x1 - x0) / (N - 1) / 16);
    }
  }

  private static Pose moving(Body body, double x, Side facing, Posture p, double phase) {
    return new Pose(body.who(), x, Layout.GROUND, facing, p, phase % 1.0, 0, null);
  }

  /**
   * The start nearest {@code x0} from which a displacement {@code d} stays in [lo, hi]; the middle
   * when no start does.
   */
  static double fit(double x0, double d, double lo, double hi) {
    double a = lo - Math.min(0, d);
    double b = hi - Math.max(0, d);
    return a > b ? (a + b) / 2 : clamp(x0, a, b);
  }

  private static double clamp(double x, double lo, double hi) {
    return Math.max(lo, Math.min(hi, x));
  }

  /** A per-segment seed from the video's seed (SplittableRandom's mixing of a golden gamma). */
  private static long mix(long seed, int segment) {
    long z = seed + 0x9E3779B97F4A7C15L * (segment + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
