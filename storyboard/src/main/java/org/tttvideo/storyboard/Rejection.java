package org.tttvideo.storyboard;

/**
 * A storyboard (or a whole record) that will not be generated, with the reason. Written to {@code
 * storyboards.rejected}; see {@link RejectionJson} for the serialized form.
 *
 * @param code stable machine-readable reason
 * @param field where in the input the problem is, e.g. {@code segments[3].text}, {@code
 *     [1][0].neg_text} for the reference format, or {@code $} for the record as a whole
 * @param message names the field and says what is allowed
 * @param videoId the video id if it was known when the problem was found, else {@code ""}
 * @param videoIndex position of the video in a record holding several (reference format), else 0
 * @param payload the original record value
 * @param source where the record came from, or {@code null} when not known
 */
public record Rejection(
    RejectionCode code,
    String field,
    String message,
    String videoId,
    int videoIndex,
    Payload payload,
    RecordSource source) {

  /** The field path used for the record as a whole. */
  public static final String ROOT = "$";

  public Rejection {
    if (code == null || field == null || field.isEmpty() || message == null) {
      throw new IllegalArgumentException("code, field and message must be given");
    }
    if (videoId == null) {
      throw new IllegalArgumentException("videoId must not be null (use \"\" when unknown)");
    }
    if (videoIndex < 0) {
      throw new IllegalArgumentException("videoIndex must be >= 0, was " + videoIndex);
    }
    if (payload == null) {
      throw new IllegalArgumentException("payload must not be null (use Payload.absent())");
    }
  }

  /** The same rejection, traced to where its record came from. */
  public Rejection withSource(RecordSource newSource) {
    return new Rejection(code, field, message, videoId, videoIndex, payload, newSource);
  }

  /** One line for logs and the check command: {@code CODE field: message}. */
  public String summary() {
    return code + " " + field + ": " + message;
  }
}
