package org.tttvideo.toonworld.judge;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.toonworld.Action;
import org.tttvideo.toonworld.ActionKind;
import org.tttvideo.toonworld.Character;
import org.tttvideo.toonworld.Clip;
import org.tttvideo.toonworld.Furniture;
import org.tttvideo.toonworld.Geometry;
import org.tttvideo.toonworld.Layout;
import org.tttvideo.toonworld.Palette;
import org.tttvideo.toonworld.Room;
import org.tttvideo.toonworld.SceneSpec;
import org.tttvideo.toonworld.SegmentSpec;
import org.tttvideo.toonworld.ToonColour;
import org.tttvideo.toonworld.WorldSpec;
import org.tttvideo.toonworld.WorldTextParser;

/**
 * Scores a video against the world its storyboard describes, from the pixels alone (it never sees
 * how the video was made): per segment the room (wall colour and furniture at their {@link Layout}
 * places), each character the text puts in frame (a blob of the cat's or the mouse's size, its
 * colour, its track) and whether its motion matches the action; per scene whether room, wall and
 * colours stay as in the scene's first segment.
 *
 * <pre>{@code
 * JudgeReport r = Judge.judge(clip, storyboard);   // the storyboard in the world's words
 * System.out.print(r.table());
 * r.overall().textFollowing();                      // in [0, 1]
 * }</pre>
 *
 * <p>The characters are told apart by size: the cat is the largest blob of a non-wall colour with
 * at least {@link #CAT_AREA} pixels, the mouse the largest other blob of {@link #MOUSE_AREA} to
 * {@link #MOUSE_MAX_AREA} pixels (areas at their largest over the segment; a standing cat shows
 * about 900 fill pixels, a mouse about 200). A frame that is no picture of the world (no wall fills
 * the wall band) counts against presence and is skipped by every other measure.
 */
public final class Judge {

  static final int CAT_AREA = 450;
  static final int MOUSE_AREA = 40;
  static final int MOUSE_MAX_AREA = 400;

  /**
   * Two characters whose blob boxes come this close (two {@link FrameReading#CELL}s) may cover each
   * other: a mouse in front of a sleeping cat's tail cuts the tail off the cat's blob without the
   * boxes touching.
   */
  static final int NEAR_OTHER = 2 * FrameReading.CELL;

  /** A piece of furniture stands at its place when this share of its box shows its colour. */
  static final double FURNITURE_SHARE = 0.1;

  private Judge() {}

  /** Scores {@code clip} against the world {@code storyboard} describes in the world's words. */
  public static JudgeReport judge(Clip clip, Storyboard storyboard) {
    return judge(clip, WorldTextParser.parse(storyboard).spec());
  }

  /** Scores {@code clip} against {@code spec}; missing frames count as no picture. */
  public static JudgeReport judge(Clip clip, WorldSpec spec) {
    if (clip.width() != Geometry.WIDTH || clip.height() != Geometry.HEIGHT) {
      throw new IllegalArgumentException(
          "clip: the judge reads "
              + Geometry.WIDTH
              + " x "
              + Geometry.HEIGHT
              + " frames, this clip is "
              + clip.width()
              + " x "
              + clip.height());
    }
    List<SegmentReport> out = new ArrayList<>();
    for (int sc = 0; sc < spec.scenes().size(); sc++) {
      SceneSpec scene = spec.scenes().get(sc);
      SegmentReport first = null;
      Map<Character, ToonColour> firstColour = new EnumMap<>(Character.class);
      for (int i = 0; i < scene.segments().size(); i++) {
        int segment = spec.firstSegmentOf(sc) + i;
        SegmentReport r = segment(clip, scene, sc, segment, i, first, firstColour);
        first = first == null ? r : first;
        out.add(r);
      }
    }
    return new JudgeReport(out);
  }

  private static SegmentReport segment(
      Clip clip,
      SceneSpec scene,
      int sc,
      int segment,
      int inScene,
      SegmentReport first,
      Map<Character, ToonColour> firstColour) {
    SegmentSpec s = scene.segments().get(inScene);
    int n = Geometry.FRAMES_PER_SEGMENT;
    int f0 = segment * n;
    FrameReading[] frames = new FrameReading[n];
    int valid = 0;
    int[] wallVotes = new int[FrameReading.K];
    for (int f = 0; f < n; f++) {
      if (f0 + f < clip.frameCount()) {
        frames[f] = FrameReading.of(clip, f0 + f);
        if (frames[f].valid()) {
          valid++;
          wallVotes[frames[f].wall.ordinal()]++;
        } else {
          frames[f] = null;
        }
      }
    }
    ToonColour wall = valid == 0 ? null : ToonColour.values()[argmax(wallVotes)];
    boolean[] isValid = new boolean[n];
    for (int f = 0; f < n; f++) {
      isValid[f] = frames[f] != null;
    }
    int[] camera = CameraReading.cameraX(clip, f0, isValid);
    Room room = valid == 0 ? null : room(clip, f0, frames, camera, scene.room());
    Map<Character, ToonColour> measured = identify(frames, wall, scene, s);
    List<CharacterReport> chars = new ArrayList<>();
    for (Character who : Character.values()) {
      Action a = s.action(who);
      if (a == null) {
        continue;
      }
      ToonColour c = measured.get(who);
      Track t = c == null ? null : track(frames, who, c, camera, otherColours(measured, who));
      // a character that hides all segment long is where the text says: out of sight
      boolean hidden = c == null && a.kind() == ActionKind.HIDE && valid > 0;
      boolean ok = hidden || (t != null && ActionCheck.matches(a, t, scene.room()));
      chars.add(
          new CharacterReport(
              who, scene.colour(who), c, c != null || hidden, a, ok, points(frames, who, c)));
    }
    boolean consistent = true;
    if (first != null) {
      consistent = room == first.measuredRoom() && wall == first.measuredWall();
    }
    for (CharacterReport c : chars) {
      if (c.measuredColour() != null) {
        ToonColour before = firstColour.putIfAbsent(c.who(), c.measuredColour());
        consistent &= before == null || before == c.measuredColour();
      }
    }
    return new SegmentReport(
        segment, sc, scene.room(), room, scene.wall(), wall, valid, n, chars, consistent);
  }

  /**
   * The room whose two pieces stand at their places, each in some valid frame of every third; the
   * text's room is tried first. Null when none.
   */
  private static Room room(Clip clip, int f0, FrameReading[] frames, int[] camera, Room text) {
    List<Integer> sample = new ArrayList<>();
    for (int f = 0; f < frames.length; f += 3) {
      if (frames[f] != null) {
        sample.add(f);
      }
    }
    if (sample.isEmpty()) {
      for (int f = 0; f < frames.length; f++) {
        if (frames[f] != null) {
          sample.add(f);
        }
      }
    }
    List<Room> order = new ArrayList<>(List.of(Room.values()));
    order.remove(text);
    order.add(0, text);
    for (Room r : order) {
      boolean all = true;
      for (Layout.Place p : Layout.places(r)) {
        boolean found = false;
        for (int f : sample) {
          found |= standsAt(clip, f0 + f, p, camera[f]);
        }
        all &= found;
      }
      if (all) {
        return r;
      }
    }
    return null;
  }

  private static boolean standsAt(Clip clip, int n, Layout.Place p, int cameraX) {
    return share(clip, n, p, cameraX) >= FURNITURE_SHARE;
  }

  /** The share of the piece's box (its visible part) in the piece's colours; 0 when half is off. */
  static double share(Clip clip, int n, Layout.Place p, int cameraX) {
    int x0 = Math.max(0, p.x0() - cameraX);
    int x1 = Math.min(clip.width(), p.x1() - cameraX);
    if (x1 - x0 < p.width() / 2) {
      return 0;
    }
    int[] colours = signature(p.piece());
    int hits = 0;
    for (int y = p.top(); y < Layout.GROUND; y++) {
      for (int x = x0; x < x1; x++) {
        int v = clip.pixel(n, x, y);
        for (int c : colours) {
          if (FrameReading.near(v, c)) {
            hits++;
            break;
          }
        }
      }
    }
    return (double) hits / ((x1 - x0) * (Layout.GROUND - p.top()));
  }

  /** The colours the renderer paints a piece in (its outlines aside). */
  static int[] signature(Furniture f) {
    return switch (f) {
      case TABLE -> new int[] {Palette.CLOTH, Palette.WOOD};
      case FRIDGE -> new int[] {Palette.FRIDGE};
      case SOFA -> new int[] {Palette.SOFA};
      case LAMP -> new int[] {Palette.SHADE, Palette.WOOD};
      case BED -> new int[] {Palette.BLANKET, Palette.WOOD, Palette.CLOTH};
      case WARDROBE -> new int[] {Palette.WARDROBE};
      case TREE -> new int[] {Palette.CROWN, Palette.TRUNK};
      case FENCE -> new int[] {Palette.FENCE};
      case BARREL -> new int[] {Palette.BARREL};
      case STAIRS -> new int[] {Palette.STAIRS};
    };
  }

  /**
   * The colours of the cat and the mouse the text puts in frame: a blob of the text's colour (at
   * least {@link Track#visibleArea} pixels) if there is one, else the largest unclaimed blob of the
   * character's size in another colour (so a recoloured character is found, with the wrong colour).
   */
  private static Map<Character, ToonColour> identify(
      FrameReading[] frames, ToonColour wall, SceneSpec scene, SegmentSpec s) {
    int[] max = new int[FrameReading.K];
    for (FrameReading r : frames) {
      if (r != null) {
        for (int k = 0; k < FrameReading.K; k++) {
          max[k] = Math.max(max[k], r.area[k]);
        }
      }
    }
    if (wall != null) {
      max[wall.ordinal()] = 0;
    }
    Map<Character, ToonColour> out = new EnumMap<>(Character.class);
    boolean[] claimed = new boolean[FrameReading.K];
    for (Character who : Character.values()) {
      ToonColour c = scene.colour(who);
      if (s.action(who) != null && max[c.ordinal()] >= Track.visibleArea(who)) {
        out.put(who, c);
        claimed[c.ordinal()] = true;
      }
    }
    for (Character who : Character.values()) {
      if (s.action(who) == null || out.containsKey(who)) {
        continue;
      }
      int lo = who == Character.CAT ? CAT_AREA : MOUSE_AREA;
      int hi = who == Character.CAT ? Integer.MAX_VALUE : MOUSE_MAX_AREA;
      int best = -1;
      for (int k = 0; k < FrameReading.K; k++) {
        if (!claimed[k] && max[k] >= lo && max[k] <= hi && (best < 0 || max[k] > max[best])) {
          best = k;
        }
      }
      if (best >= 0) {
        out.put(who, ToonColour.values()[best]);
        claimed[best] = true;
      }
    }
    return out;
  }

  /** The measured colours of the characters other than {@code who}. */
  private static List<ToonColour> otherColours(Map<Character, ToonColour> measured, Character who) {
    List<ToonColour> out = new ArrayList<>();
    measured.forEach(
        (w, c) -> {
          if (w != who && c != null) {
            out.add(c);
          }
        });
    return out;
  }

  private static Track track(
      FrameReading[] frames, Character who, ToonColour c, int[] camera, List<ToonColour> others) {
    Track t = new Track(who, frames.length);
    int k = c.ordinal();
    for (int f = 0; f < frames.length; f++) {
      FrameReading r = frames[f];
      if (r == null) {
        continue;
      }
      t.valid[f] = true;
      t.area[f] = r.area[k];
      if (r.area[k] > 0) {
        t.worldX[f] = r.centroidX(c) + camera[f];
        t.feet[f] = r.maxY[k];
        t.worldMinX[f] = r.minX[k] + camera[f];
        t.worldMaxX[f] = r.maxX[k] + camera[f];
        t.atLeftEdge[f] = r.minX[k] <= 1;
        t.atRightEdge[f] = r.maxX[k] >= Geometry.WIDTH - 2;
        for (ToonColour o : others) {
          t.nearOther[f] |= near(r, k, o.ordinal());
        }
      }
    }
    return t;
  }

  /**
   * Whether the blobs of colours {@code k} and {@code o} have boxes within {@link #NEAR_OTHER} px
   * of each other: one may cover part of the other.
   */
  private static boolean near(FrameReading r, int k, int o) {
    if (r.area[o] == 0) {
      return false;
    }
    return r.minX[o] <= r.maxX[k] + NEAR_OTHER
        && r.minX[k] <= r.maxX[o] + NEAR_OTHER
        && r.minY[o] <= r.maxY[k] + NEAR_OTHER
        && r.minY[k] <= r.maxY[o] + NEAR_OTHER;
  }

  private static int[][] points(FrameReading[] frames, Character who, ToonColour c) {
    int[][] out = new int[frames.length][];
    if (c == null) {
      return out;
    }
    for (int f = 0; f < frames.length; f++) {
      FrameReading r = frames[f];
      if (r != null && r.area[c.ordinal()] >= Track.visibleArea(who)) {
        out[f] = new int[] {(int) Math.round(r.centroidX(c)), (int) Math.round(r.centroidY(c))};
      }
    }
    return out;
  }

  private static int argmax(int[] v) {
    int best = 0;
    for (int k = 1; k < v.length; k++) {
      if (v[k] > v[best]) {
        best = k;
      }
    }
    return best;
  }
}
