package org.tttvideo.toonworld;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link WorldSpec} to frames: deterministic in (spec, seed), flat colours with dark
 * outlines, {@link Geometry#WIDTH} x {@link Geometry#HEIGHT} at {@link Geometry#FPS}, 24 frames a
 * segment.
 *
 * <pre>{@code
 * Clip clip = Renderer.render(spec, 42L);             // [N, 128, 192, 3] RGB24
 * Rendered r = Renderer.renderWithTruth(spec, 42L);   // the same clip and, per frame, the boxes
 * }</pre>
 *
 * <p>Each frame is drawn back to front: wall and floor; the pieces nobody hides behind; per piece
 * someone hides behind, that character and then the piece (so a character on its way behind one
 * piece walks in front of the other); then the other characters (the cat before the mouse, so the
 * small mouse stays in view when they meet). {@link Choreography} says where everyone is.
 */
public final class Renderer {

  private Renderer() {}

  /** The frames of {@code spec}. */
  public static Clip render(WorldSpec spec, long seed) {
    return draw(spec, seed, false).clip();
  }

  /** The frames of {@code spec} and what each frame shows of each character. */
  public static Rendered renderWithTruth(WorldSpec spec, long seed) {
    return draw(spec, seed, true);
  }

  /** Renders; measures the truth only when asked (it costs a pass over every frame). */
  private static Rendered draw(WorldSpec spec, long seed, boolean withTruth) {
    List<FramePlan> plans = Choreography.plan(spec, seed);
    int w = Geometry.WIDTH;
    int h = Geometry.HEIGHT;
    Canvas canvas = new Canvas(w, h);
    FurniturePainter room = new FurniturePainter(canvas);
    CharacterPainter toon = new CharacterPainter(canvas);
    byte[] rgb = new byte[plans.size() * h * w * 3];
    List<FrameTruth> truth = new ArrayList<>(plans.size());
    for (FramePlan plan : plans) {
      SceneSpec scene = spec.scenes().get(plan.scene());
      drawFrame(canvas, room, toon, scene, plan);
      pack(canvas, rgb, plan.frame());
      if (withTruth) {
        truth.add(measure(canvas, scene, plan));
      }
    }
    Clip clip = new Clip(w, h, Geometry.FPS, plans.size(), rgb);
    return withTruth ? new Rendered(clip, truth) : new Rendered(clip, null);
  }

  private static void drawFrame(
      Canvas canvas, FurniturePainter room, CharacterPainter toon, SceneSpec scene, FramePlan p) {
    canvas.pen = 0;
    room.background(scene.room(), scene.wall(), p.cameraX());
    List<Layout.Place> places = Layout.places(scene.room());
    for (Layout.Place piece : places) {
      if (!hiddenBehind(p, piece.piece())) {
        room.piece(piece, p.cameraX());
      }
    }
    for (Layout.Place piece : places) {
      if (hiddenBehind(p, piece.piece())) {
        drawCharacters(canvas, toon, scene, p, piece.piece());
        canvas.pen = 0;
        room.piece(piece, p.cameraX());
      }
    }
    drawCharacters(canvas, toon, scene, p, null);
    canvas.pen = 0;
  }

  /** Whether a character hides behind {@code piece} in this frame. */
  private static boolean hiddenBehind(FramePlan p, Furniture piece) {
    for (Character who : Character.values()) {
      Pose pose = p.pose(who);
      if (pose != null && pose.behind() == piece) {
        return true;
      }
    }
    return false;
  }

  /** The characters drawn behind {@code behind} (null: in front of all furniture). */
  private static void drawCharacters(
      Canvas canvas, CharacterPainter toon, SceneSpec scene, FramePlan p, Furniture behind) {
    for (Character who : Character.values()) {
      Pose pose = p.pose(who);
      if (pose != null && pose.behind() == behind) {
        canvas.pen = (byte) (who.ordinal() + 1);
        toon.draw(pose, pose.x() - p.cameraX(), scene.colour(who).rgb());
      }
    }
  }

  /** Frame {@code n}'s pixels into {@code rgb} at {@code ((n * H + y) * W + x) * 3}. */
  private static void pack(Canvas canvas, byte[] rgb, int n) {
    int[] px = canvas.pixels;
    int o = n * px.length * 3;
    for (int v : px) {
      rgb[o++] = (byte) (v >> 16);
      rgb[o++] = (byte) (v >> 8);
      rgb[o++] = (byte) v;
    }
  }

  private static FrameTruth measure(Canvas canvas, SceneSpec scene, FramePlan p) {
    CharacterTruth[] t = new CharacterTruth[2];
    for (Character who : Character.values()) {
      Pose pose = p.pose(who);
      if (pose == null) {
        continue;
      }
      byte id = (byte) (who.ordinal() + 1);
      int count = 0;
      int x0 = Integer.MAX_VALUE;
      int y0 = Integer.MAX_VALUE;
      int x1 = -1;
      int y1 = -1;
      for (int y = 0; y < canvas.height; y++) {
        int row = y * canvas.width;
        for (int x = 0; x < canvas.width; x++) {
          if (canvas.owner[row + x] == id) {
            count++;
            x0 = Math.min(x0, x);
            y0 = Math.min(y0, y);
            x1 = Math.max(x1, x + 1);
            y1 = Math.max(y1, y + 1);
          }
        }
      }
      if (count == 0) {
        x0 = -1;
        y0 = -1;
      }
      t[who.ordinal()] =
          new CharacterTruth(
              who, scene.colour(who), pose, pose.x() - p.cameraX(), count, x0, y0, x1, y1);
    }
    return new FrameTruth(p.frame(), p.segment(), p.scene(), p.cameraX(), t[0], t[1]);
  }
}
