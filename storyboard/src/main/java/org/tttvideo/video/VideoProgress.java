package org.tttvideo.video;

import java.util.Objects;

/**
 * Where a video's generation stands, published on {@code video-progress} (at most a few per second
 * per video) and shown by the command line's progress bars.
 *
 * @param videoId the storyboard's video id
 * @param status QUEUED, GENERATING, DECODING, DONE or FAILED
 * @param queuePosition 1-based position among queued videos of the subtask; 0 when not queued
 * @param step denoising step being run (0-based), or {@code steps} once decoding
 * @param steps denoising steps in total
 * @param segment segment of the current unit (0-based)
 * @param segments segments of the video
 * @param unitsDone work units done
 * @param unitsTotal work units in the whole generation (denoising and decoding)
 * @param etaSeconds estimated seconds to finish, from the measured unit rate; -1 if unknown
 * @param timestampMillis when this record was made
 */
public record VideoProgress(
    String videoId,
    Status status,
    int queuePosition,
    int step,
    int steps,
    int segment,
    int segments,
    long unitsDone,
    long unitsTotal,
    double etaSeconds,
    long timestampMillis) {

  /** The stages of a video. */
  public enum Status {
    QUEUED,
    GENERATING,
    DECODING,
    DONE,
    FAILED
  }

  public VideoProgress {
    Objects.requireNonNull(videoId, "videoId");
    Objects.requireNonNull(status, "status");
    if (unitsDone < 0 || unitsTotal < 0 || unitsDone > unitsTotal) {
      throw new IllegalArgumentException(
          "unitsDone " + unitsDone + " must be within 0.." + unitsTotal);
    }
  }

  /** Completed fraction in [0, 1]. */
  public double fraction() {
    return unitsTotal == 0 ? 0 : (double) unitsDone / unitsTotal;
  }
}
