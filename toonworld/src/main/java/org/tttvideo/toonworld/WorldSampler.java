package org.tttvideo.toonworld;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random valid {@link WorldSpec}s for training and evaluation, deterministic in (split, seed,
 * segments).
 *
 * <p><b>The split.</b> A scene's combination is (room, wall colour, cat colour, mouse colour), a
 * missing character counting as "-". A combination is held out when the FNV-1a 64-bit hash of
 * {@code "room/wall/cat/mouse"} (lower-case names, e.g. {@code "kitchen/blue/orange/-"}) is 0
 * modulo 8: about one in eight ({@link #isHeldOut}). Every scene of a {@link Split#TRAIN} example
 * has a training combination and every scene of a {@link Split#HELD_OUT} example a held-out one, so
 * no held-out scene's look is ever seen in training. The seeds are disjoint too: training seeds are
 * {@code [0, 2^62)}, held-out seeds {@code [2^62, 2^63)} ({@link #seedOf}); the seed also drives
 * the render and the text.
 *
 * <p><b>The scenes.</b> N segments are cut into between ceil(N / 7) and min(5, N) scenes of 1 to 7
 * segments. Each scene has both characters (3 in 5), only the cat or only the mouse; both are in
 * its first segment (so its text can introduce them), and each is in a later segment with
 * probability 0.85. The camera is still in 3 of 5 segments. A chase makes the mouse run (or leave)
 * ahead of the cat; the two never use the same piece of furniture in one segment.
 *
 * <pre>{@code
 * WorldSpec w = WorldSampler.sample(Split.TRAIN, WorldSampler.seedOf(Split.TRAIN, 17), 21);
 * }</pre>
 */
public final class WorldSampler {

  /** The first held-out seed; training seeds are below it. */
  public static final long HELD_OUT_SEED_BASE = 1L << 62;

  private static final ActionKind[] KINDS = ActionKind.values();

  private WorldSampler() {}

  /** The seed of example {@code index} (from 0) of {@code split}. */
  public static long seedOf(Split split, long index) {
    if (index < 0 || index >= HELD_OUT_SEED_BASE) {
      throw new IllegalArgumentException("index must be in [0, 2^62), was " + index);
    }
    return split == Split.TRAIN ? index : HELD_OUT_SEED_BASE + index;
  }

  /** The split whose seed range holds {@code seed}. */
  public static Split splitOfSeed(long seed) {
    if (seed < 0) {
      throw new IllegalArgumentException("seed must be >= 0, was " + seed);
    }
    return seed < HELD_OUT_SEED_BASE ? Split.TRAIN : Split.HELD_OUT;
  }

  /** Whether the scene look (room, wall, cat, mouse; colours may be null) is held out. */
  public static boolean isHeldOut(Room room, ToonColour wall, ToonColour cat, ToonColour mouse) {
    return Long.remainderUnsigned(comboHash(room, wall, cat, mouse), 8) == 0;
  }

  /** Whether {@code scene}'s combination is held out. */
  public static boolean isHeldOut(SceneSpec scene) {
    return isHeldOut(scene.room(), scene.wall(), scene.catColour(), scene.mouseColour());
  }

  /** FNV-1a 64 of {@code "room/wall/cat/mouse"}. */
  static long comboHash(Room room, ToonColour wall, ToonColour cat, ToonColour mouse) {
    String key = name(room) + "/" + name(wall) + "/" + name(cat) + "/" + name(mouse);
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  private static String name(WorldWord e) {
    return e == null ? "-" : e.jsonName();
  }

  /**
   * A random valid spec of {@code segments} segments in {@code split}.
   *
   * @throws IllegalArgumentException when the seed is outside the split's range or {@code segments}
   *     is not in [1, 21]
   */
  public static WorldSpec sample(Split split, long seed, int segments) {
    if (splitOfSeed(seed) != split) {
      throw new IllegalArgumentException(
          "seed: "
              + seed
              + " is a "
              + splitOfSeed(seed).jsonName()
              + " seed; "
              + split.jsonName()
              + " seeds are "
              + (split == Split.TRAIN ? "[0, 2^62)" : "[2^62, 2^63)"));
    }
    if (segments < 1 || segments > WorldSpec.MAX_SEGMENTS) {
      throw new IllegalArgumentException(
          "segments must be in [1, " + WorldSpec.MAX_SEGMENTS + "], was " + segments);
    }
    SplittableRandom r = new SplittableRandom(seed);
    int minScenes = (segments + SceneSpec.MAX_SEGMENTS - 1) / SceneSpec.MAX_SEGMENTS;
    int maxScenes = Math.min(WorldSpec.MAX_SCENES, segments);
    int scenes = minScenes + r.nextInt(maxScenes - minScenes + 1);
    List<SceneSpec> out = new ArrayList<>(scenes);
    for (int size : sizes(segments, scenes, r)) {
      out.add(scene(split, size, r));
    }
    return new WorldSpec(out);
  }

  /** {@code scenes} sizes in [1, 7] summing to {@code segments}. */
  private static int[] sizes(int segments, int scenes, SplittableRandom r) {
    int[] sizes = new int[scenes];
    java.util.Arrays.fill(sizes, 1);
    for (int left = segments - scenes; left > 0; ) {
      int i = r.nextInt(scenes);
      if (sizes[i] < SceneSpec.MAX_SEGMENTS) {
        sizes[i]++;
        left--;
      }
    }
    return sizes;
  }

  private static SceneSpec scene(Split split, int size, SplittableRandom r) {
    while (true) {
      Room room = pick(Room.values(), r);
      int cast = r.nextInt(5); // 0-2 both, 3 cat only, 4 mouse only
      boolean hasCat = cast != 4;
      boolean hasMouse = cast != 3;
      ToonColour[] c = distinctColours(r);
      ToonColour wall = c[0];
      ToonColour cat = hasCat ? c[1] : null;
      ToonColour mouse = hasMouse ? c[2] : null;
      if (isHeldOut(room, wall, cat, mouse) != (split == Split.HELD_OUT)) {
        continue;
      }
      List<SegmentSpec> segs = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        boolean catIn = hasCat && (i == 0 || r.nextInt(100) < 85);
        boolean mouseIn = hasMouse && (i == 0 || r.nextInt(100) < 85);
        if (!catIn && !mouseIn) {
          if (hasCat) {
            catIn = true;
          } else {
            mouseIn = true;
          }
        }
        segs.add(segment(room, catIn, mouseIn, r));
      }
      return new SceneSpec(room, wall, cat, mouse, segs);
    }
  }

  private static SegmentSpec segment(
      Room room, boolean catIn, boolean mouseIn, SplittableRandom r) {
    int cam = r.nextInt(5);
    Camera camera = cam < 3 ? Camera.STILL : cam == 3 ? Camera.PAN_LEFT : Camera.PAN_RIGHT;
    Action mouse = mouseIn ? action(room, false, null, r) : null;
    Action cat = null;
    if (catIn) {
      cat = action(room, mouseIn, mouse, r);
      if (cat.kind() == ActionKind.CHASE) {
        mouse =
            r.nextInt(4) == 0
                ? Action.of(ActionKind.LEAVE, cat.direction())
                : Action.of(ActionKind.RUN, cat.direction());
      }
    }
    return new SegmentSpec(camera, cat, mouse);
  }

  /** A random action; the cat may chase when the mouse is in frame, never on the mouse's piece. */
  private static Action action(Room room, boolean canChase, Action other, SplittableRandom r) {
    while (true) {
      ActionKind k = pick(KINDS, r);
      if (k == ActionKind.CHASE && !canChase) {
        continue;
      }
      Side d = r.nextBoolean() ? Side.LEFT : Side.RIGHT;
      Furniture target = null;
      if (k == ActionKind.JUMP_ONTO || k == ActionKind.HIDE) {
        List<Furniture> ok = new ArrayList<>();
        for (Furniture f : room.furniture()) {
          if (k == ActionKind.JUMP_ONTO ? f.canJumpOnto() : f.canHideBehind()) {
            ok.add(f);
          }
        }
        if (other != null && other.target() != null) {
          ok.remove(other.target());
        }
        if (ok.isEmpty()) {
          continue;
        }
        target = ok.get(r.nextInt(ok.size()));
      }
      return new Action(k, k.takesDirection() ? d : null, target);
    }
  }

  private static ToonColour[] distinctColours(SplittableRandom r) {
    ToonColour[] all = ToonColour.values();
    ToonColour[] out = new ToonColour[3];
    for (int i = 0; i < 3; i++) {
      ToonColour c;
      do {
        c = pick(all, r);
      } while ((i > 0 && c == out[0]) || (i > 1 && c == out[1]));
      out[i] = c;
    }
    return out;
  }

  private static <T> T pick(T[] options, SplittableRandom r) {
    return options[r.nextInt(options.length)];
  }
}
