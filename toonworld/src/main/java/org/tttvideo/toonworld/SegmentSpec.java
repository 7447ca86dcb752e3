package org.tttvideo.toonworld;

/**
 * One 3-second segment: the camera and what each character does; a character whose action is {@code
 * null} is not in the picture. At least one character is.
 *
 * <p>A chase needs the mouse ahead: the mouse runs, or leaves, toward the side the cat chases to.
 *
 * @param camera what the camera does
 * @param cat the cat's action, {@code null} when the cat is not in frame
 * @param mouse the mouse's action, {@code null} when the mouse is not in frame; never a chase
 */
public record SegmentSpec(Camera camera, Action cat, Action mouse) {

  public SegmentSpec {
    if (camera == null) {
      throw new IllegalArgumentException("camera must not be null");
    }
    if (cat == null && mouse == null) {
      throw new IllegalArgumentException(
          "cat: a segment needs at least one character in frame, and neither cat nor mouse is");
    }
    if (mouse != null && mouse.kind() == ActionKind.CHASE) {
      throw new IllegalArgumentException("mouse: only the cat chases; the mouse may run instead");
    }
    if (cat != null && cat.kind() == ActionKind.CHASE) {
      boolean ahead =
          mouse != null
              && (mouse.kind() == ActionKind.RUN || mouse.kind() == ActionKind.LEAVE)
              && mouse.direction() == cat.direction();
      if (!ahead) {
        throw new IllegalArgumentException(
            "mouse: a chase to the "
                + cat.direction().word()
                + " needs the mouse to run or leave to the "
                + cat.direction().word()
                + ", was "
                + (mouse == null ? "not in frame" : describe(mouse)));
      }
    }
  }

  /** The action of {@code who}, or {@code null} when it is not in frame. */
  public Action action(Character who) {
    return who == Character.CAT ? cat : mouse;
  }

  private static String describe(Action a) {
    return a.kind().jsonName() + (a.direction() == null ? "" : " " + a.direction().word());
  }
}
