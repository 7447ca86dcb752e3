package org.tttvideo.operators.assembly;

import java.util.Objects;
import org.tttvideo.operators.generation.DecodedSegment;

/**
 * One run (one generation) of a video, as its segments name it: every {@link DecodedSegment} of a
 * run carries the same values, and a later run of the same video id (a resubmission after a
 * failure, or after the video was done) has another {@code startedAtMillis}, since the generation
 * operator keeps one run per id at a time and stamps the next one when its storyboard arrives.
 *
 * <pre>{@code
 * VideoRun run = VideoRun.of(segment);
 * boolean sameRun = run.equals(VideoRun.of(other));   // both segments belong to one generation
 * }</pre>
 *
 * @param startedAtMillis when the generation operator first saw the run's storyboard
 * @param segmentCount segments of the run, at least 1
 * @param seed the run's seed
 * @param modelPreset the preset that generates it
 */
public record VideoRun(long startedAtMillis, int segmentCount, long seed, String modelPreset) {

  public VideoRun {
    if (segmentCount < 1) {
      throw new IllegalArgumentException("segmentCount must be at least 1, got " + segmentCount);
    }
    Objects.requireNonNull(modelPreset, "modelPreset");
  }

  /** The run {@code segment} belongs to. */
  public static VideoRun of(DecodedSegment segment) {
    return new VideoRun(
        segment.startedAtMillis(), segment.segmentCount(), segment.seed(), segment.modelPreset());
  }
}
