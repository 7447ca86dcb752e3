package org.tttvideo.storyboard;

/**
 * A run of consecutive segments that belong to one scene, derived from {@link
 * Segment#sceneStart()}.
 *
 * @param index position of the scene in the video, from 0
 * @param firstSegment index of its first segment
 * @param segmentCount number of segments, at least 1
 */
public record Scene(int index, int firstSegment, int segmentCount) {
  public Scene {
    if (index < 0 || firstSegment < 0 || segmentCount < 1) {
      throw new IllegalArgumentException(
          "scene needs index >= 0, firstSegment >= 0, segmentCount >= 1; was "
              + index
              + ", "
              + firstSegment
              + ", "
              + segmentCount);
    }
  }
}
