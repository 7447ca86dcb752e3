package org.tttvideo.storyboard;

/**
 * One 3-second segment of a video: the prompt its frames are generated from.
 *
 * @param index position in the video, from 0
 * @param text the prompt, normalised (NFC, whitespace runs collapsed, trimmed), never blank
 * @param negativeText the negative prompt for classifier-free guidance; empty for none
 * @param sceneStart whether a new scene starts with this segment (always true for segment 0)
 */
public record Segment(int index, String text, String negativeText, boolean sceneStart) {

  public Segment {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, was " + index);
    }
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("segment " + index + ": text must not be blank");
    }
    if (negativeText == null) {
      throw new IllegalArgumentException(
          "segment " + index + ": negativeText must not be null (use \"\" for none)");
    }
    if (index == 0 && !sceneStart) {
      throw new IllegalArgumentException(
          "segment 0 always starts a scene: sceneStart must be true");
    }
  }

  /** This segment at another position (segment 0 always starts a scene). */
  public Segment withIndex(int newIndex) {
    return new Segment(newIndex, text, negativeText, sceneStart || newIndex == 0);
  }
}
