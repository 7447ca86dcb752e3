package org.tttvideo.operators.generation;

import java.util.Objects;

/**
 * What the generation operator remembers of a video after it: that its id is taken, by which
 * content, and how it ended. All other state of the video is cleared; this marker is what makes a
 * later storyboard with the same id a {@code DUPLICATE_VIDEO_ID} or {@code VIDEO_ID_CONFLICT}
 * rejection instead of a second generation that would overwrite the first video.
 *
 * @param outcome generated (every segment went to the assembler) or failed here
 * @param code the {@code VideoFailed} code of a failed video; empty for a generated one
 * @param fingerprint the content it was generated from
 * @param finishedAtMillis processing time when it ended (for {@code generation.finished-retention})
 */
public record FinishedVideo(
    Outcome outcome, String code, VideoFingerprint fingerprint, long finishedAtMillis) {

  /** How a video ended in the generation operator. */
  public enum Outcome {
    /**
     * Every segment was decoded and sent on; the assembler publishes VideoReady (or its failure).
     */
    GENERATED,
    /** The operator published a VideoFailed. */
    FAILED
  }

  public FinishedVideo {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(fingerprint, "fingerprint");
    if ((outcome == Outcome.FAILED) == code.isEmpty()) {
      throw new IllegalArgumentException(
          "code must be given exactly for a failed video, got outcome "
              + outcome
              + ", code '"
              + code
              + "'");
    }
  }
}
