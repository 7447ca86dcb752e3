package org.tttvideo.toonworld;

/**
 * Everything {@link Renderer} needs for one frame.
 *
 * @param frame the frame's index in the video
 * @param segment the video segment it belongs to
 * @param scene the scene's index
 * @param cameraX the view's left edge in world x ({@link Layout#cameraX})
 * @param cat the cat's pose, {@code null} when the segment has no cat
 * @param mouse the mouse's pose, {@code null} when the segment has no mouse
 */
public record FramePlan(int frame, int segment, int scene, int cameraX, Pose cat, Pose mouse) {

  /** The pose of {@code who}, or {@code null}. */
  public Pose pose(Character who) {
    return who == Character.CAT ? cat : mouse;
  }
}
