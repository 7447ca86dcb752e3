package org.tttvideo.operators.generation;

import java.util.Objects;
import org.tttvideo.connectors.video.Frames;

/**
 * One decoded 3-second segment of a video, emitted by the generation operator as soon as it is
 * decoded and collected by the assembler (keyed by {@code videoId}, without a second shuffle).
 *
 * @param videoId the video it belongs to
 * @param segmentIndex 0-based
 * @param segmentCount segments of the video
 * @param seed the video's seed
 * @param modelPreset the preset that generated it
 * @param startedAtMillis when the generation operator first saw the storyboard (for wall time)
 * @param frames the segment's RGB frames
 */
public record DecodedSegment(
    String videoId,
    int segmentIndex,
    int segmentCount,
    long seed,
    String modelPreset,
    long startedAtMillis,
    Frames frames) {

  public DecodedSegment {
    Objects.requireNonNull(videoId, "videoId");
    Objects.requireNonNull(modelPreset, "modelPreset");
    Objects.requireNonNull(frames, "frames");
    if (segmentIndex < 0 || segmentIndex >= segmentCount) {
      throw new IllegalArgumentException(
          "segmentIndex " + segmentIndex + " must be within 0.." + (segmentCount - 1));
    }
  }
}
