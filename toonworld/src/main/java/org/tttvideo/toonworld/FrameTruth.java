package org.tttvideo.toonworld;

/**
 * The ground truth of one rendered frame.
 *
 * @param frame index in the video
 * @param segment the video segment
 * @param scene the scene
 * @param cameraX the view's left edge in world x
 * @param cat the cat, {@code null} when the segment has none
 * @param mouse the mouse, {@code null} when the segment has none
 */
public record FrameTruth(
    int frame, int segment, int scene, int cameraX, CharacterTruth cat, CharacterTruth mouse) {

  /** The truth of {@code who}, or {@code null}. */
  public CharacterTruth of(Character who) {
    return who == Character.CAT ? cat : mouse;
  }
}
