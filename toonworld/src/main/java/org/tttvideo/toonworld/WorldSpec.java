package org.tttvideo.toonworld;

import java.util.List;

/**
 * A whole video of the world: 1 to 5 scenes, at most 21 segments (63 s) in all. Segments are
 * numbered through the video from 0; {@link #sceneOf} and {@link #segment} map between the two.
 *
 * @param scenes 1 to {@link #MAX_SCENES} scenes, copied
 */
public record WorldSpec(List<SceneSpec> scenes) {

  /** The most scenes in one video. */
  public static final int MAX_SCENES = 5;

  /** The most segments in one video: 63 seconds. */
  public static final int MAX_SEGMENTS = 21;

  public WorldSpec {
    scenes = Counts.oneTo(MAX_SCENES, "scenes", "video", scenes);
    int n = 0;
    for (SceneSpec s : scenes) {
      n += s.segments().size();
    }
    if (n > MAX_SEGMENTS) {
      throw new IllegalArgumentException(
          "scenes: a video has at most " + MAX_SEGMENTS + " segments, these scenes have " + n);
    }
  }

  /** A video of one scene. */
  public static WorldSpec of(SceneSpec scene) {
    return new WorldSpec(List.of(scene));
  }

  /** Segments in the whole video. */
  public int segmentCount() {
    int n = 0;
    for (SceneSpec s : scenes) {
      n += s.segments().size();
    }
    return n;
  }

  /** Frames in the whole video. */
  public int frameCount() {
    return segmentCount() * Geometry.FRAMES_PER_SEGMENT;
  }

  /** The index of the scene that holds video segment {@code segment}. */
  public int sceneOf(int segment) {
    checkSegment(segment);
    int first = 0;
    for (int i = 0; i < scenes.size(); i++) {
      int size = scenes.get(i).segments().size();
      if (segment < first + size) {
        return i;
      }
      first += size;
    }
    throw new AssertionError("unreachable: segment " + segment + " was checked");
  }

  /** The video segment index at which scene {@code scene} starts. */
  public int firstSegmentOf(int scene) {
    if (scene < 0 || scene >= scenes.size()) {
      throw new IndexOutOfBoundsException(
          "scene must be in [0, " + scenes.size() + "), was " + scene);
    }
    int first = 0;
    for (int i = 0; i < scene; i++) {
      first += scenes.get(i).segments().size();
    }
    return first;
  }

  /** Whether video segment {@code segment} is the first of its scene. */
  public boolean sceneStart(int segment) {
    return firstSegmentOf(sceneOf(segment)) == segment;
  }

  /** Video segment {@code segment}. */
  public SegmentSpec segment(int segment) {
    int scene = sceneOf(segment);
    return scenes.get(scene).segments().get(segment - firstSegmentOf(scene));
  }

  private void checkSegment(int segment) {
    int n = segmentCount();
    if (segment < 0 || segment >= n) {
      throw new IndexOutOfBoundsException("segment must be in [0, " + n + "), was " + segment);
    }
  }
}
