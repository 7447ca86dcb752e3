package org.tttvideo.video;

import java.util.Objects;

/**
 * A video whose generation failed after its storyboard was accepted (published on {@code videos} in
 * place of a {@link VideoReady}); only that video fails, never the job.
 *
 * @param videoId the storyboard's video id
 * @param code stable upper-snake reason, e.g. {@code GENERATION_FAILED}, {@code ENCODING_FAILED}
 * @param message what went wrong, for people
 * @param segmentsDone segments fully decoded before the failure
 * @param wallTimeMillis from arrival to the failure
 */
public record VideoFailed(
    String videoId, String code, String message, int segmentsDone, long wallTimeMillis) {

  public VideoFailed {
    Objects.requireNonNull(videoId, "videoId");
    if (code == null || !code.matches("[A-Z][A-Z0-9_]*")) {
      throw new IllegalArgumentException("code must be upper-snake, got " + code);
    }
    Objects.requireNonNull(message, "message");
  }
}
