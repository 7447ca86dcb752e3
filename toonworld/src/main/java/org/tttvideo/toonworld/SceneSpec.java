package org.tttvideo.toonworld;

import java.util.ArrayList;
import java.util.List;

/**
 * One scene: a room, its wall colour, the characters' colours and 1 to 7 segments. Everything but
 * the segments persists through the scene; a scene cut may change all of it.
 *
 * <p>Checked here: a character's colour is given exactly when some segment has it in frame; the
 * wall and the two characters have three different colours (so each is told apart by colour alone);
 * every furniture target stands in the room.
 *
 * @param room where the scene plays
 * @param wall the wall (in the garden the garden wall) colour
 * @param catColour the cat's colour, {@code null} when no segment has the cat
 * @param mouseColour the mouse's colour, {@code null} when no segment has the mouse
 * @param segments 1 to {@link #MAX_SEGMENTS} segments, copied
 */
public record SceneSpec(
    Room room,
    ToonColour wall,
    ToonColour catColour,
    ToonColour mouseColour,
    List<SegmentSpec> segments) {

  /** The most segments in one scene. */
  public static final int MAX_SEGMENTS = 7;

  public SceneSpec {
    if (room == null) {
      throw new IllegalArgumentException("room must not be null");
    }
    if (wall == null) {
      throw new IllegalArgumentException("wall must not be null");
    }
    segments = Counts.oneTo(MAX_SEGMENTS, "segments", "scene", segments);
    boolean hasCat = false;
    boolean hasMouse = false;
    for (int i = 0; i < segments.size(); i++) {
      SegmentSpec s = segments.get(i);
      hasCat |= s.cat() != null;
      hasMouse |= s.mouse() != null;
      checkTarget(room, i, "cat", s.cat());
      checkTarget(room, i, "mouse", s.mouse());
    }
    checkColour("catColour", "cat", hasCat, catColour);
    checkColour("mouseColour", "mouse", hasMouse, mouseColour);
    if (wall == catColour) {
      throw new IllegalArgumentException(
          "catColour: the cat must differ from the " + wall.word() + " wall");
    }
    if (wall == mouseColour) {
      throw new IllegalArgumentException(
          "mouseColour: the mouse must differ from the " + wall.word() + " wall");
    }
    if (catColour != null && catColour == mouseColour) {
      throw new IllegalArgumentException(
          "mouseColour: the mouse must differ from the cat, both were " + catColour.word());
    }
  }

  /** The colour of {@code who} in this scene, or {@code null} when it never appears. */
  public ToonColour colour(Character who) {
    return who == Character.CAT ? catColour : mouseColour;
  }

  /** The characters that appear in the scene, cat first. */
  public List<CharacterSpec> characters() {
    List<CharacterSpec> out = new ArrayList<>(2);
    if (catColour != null) {
      out.add(new CharacterSpec(Character.CAT, catColour));
    }
    if (mouseColour != null) {
      out.add(new CharacterSpec(Character.MOUSE, mouseColour));
    }
    return out;
  }

  private static void checkTarget(Room room, int segment, String who, Action a) {
    if (a != null && a.target() != null && !room.has(a.target())) {
      throw new IllegalArgumentException(
          "segments["
              + segment
              + "]."
              + who
              + ".target: there is no "
              + a.target().word()
              + " in the "
              + room.word()
              + "; it has "
              + room.furniture().get(0).word()
              + " and "
              + room.furniture().get(1).word());
    }
  }

  private static void checkColour(String field, String who, boolean present, ToonColour c) {
    if (present && c == null) {
      throw new IllegalArgumentException(
          field + ": the " + who + " is in frame in some segment, so its colour must be given");
    }
    if (!present && c != null) {
      throw new IllegalArgumentException(
          field
              + ": the "
              + who
              + " is in no segment, so it takes no colour (was "
              + c.word()
              + ")");
    }
  }
}
