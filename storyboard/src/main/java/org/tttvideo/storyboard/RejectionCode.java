package org.tttvideo.storyboard;

import org.tttvideo.storyboard.StoryboardOptions.Keys;

/**
 * Why a storyboard was rejected. The names are stable: consumers of {@code storyboards.rejected}
 * match on them, so a code is never renamed or reused for another meaning (add a new one instead).
 * Each code's description is the text that {@code docs/storyboards.md} gives for it.
 */
public enum RejectionCode {
  // --- the record as a whole ---
  EMPTY_PAYLOAD("The record has no value (a tombstone), or only whitespace."),
  PAYLOAD_TOO_LARGE("The record is larger than " + Keys.MAX_PAYLOAD_BYTES + "."),
  INVALID_UTF8("The bytes are not valid UTF-8; the message gives the byte offset."),
  MALFORMED_JSON(
      "The text is not one complete JSON value (or annotation text starting with <scene start>);"
          + " the message gives line and column."),
  NESTING_TOO_DEEP("Arrays and objects are nested deeper than " + Keys.MAX_NESTING_DEPTH + "."),
  DUPLICATE_FIELD("An object names the same field twice."),
  UNSUPPORTED_SCHEMA_VERSION("schemaVersion is not one this version of the system reads."),
  TOO_MANY_VIDEOS(
      "A reference-format array holds more videos than " + Keys.MAX_VIDEOS_PER_RECORD + "."),
  MALFORMED_ANNOTATION(
      "Annotation text has text outside a scene, a scene that is not closed, nested or stray"
          + " scene markers, or an empty scene."),
  // --- one field ---
  MISSING_FIELD("A required field is absent (or null)."),
  UNKNOWN_FIELD(
      "A field that this format does not define (often a typo); the message lists"
          + " the allowed fields."),
  CONFLICTING_FIELDS("Two fields that exclude each other are both present."),
  WRONG_TYPE("A field has the wrong JSON type (e.g. a string where a number belongs)."),
  INVALID_NUMBER("A number is NaN, infinite, or has too many digits."),
  UNKNOWN_FORMAT("format is not one of summary, plot, storyboard."),
  INVALID_VIDEO_ID(
      "videoId does not match [A-Za-z0-9][A-Za-z0-9._-]{0,127} (so it can never name another"
          + " directory)."),
  EMPTY_TEXT("A text is empty or whitespace-only."),
  CONTROL_CHARACTERS(
      "A text holds control characters (anything below U+0020 other than tab,"
          + " line feed and carriage return, DEL, or U+0080-U+009F)."),
  INVALID_UNICODE("A text holds an unpaired surrogate (an escape such as \\ud800 on its own)."),
  TEXT_TOO_LONG(
      "A title, summary, plot text or default negativeText is longer than its limit"
          + " ("
          + Keys.MAX_TITLE_CHARS
          + ", "
          + Keys.MAX_TEXT_CHARS
          + ", and"
          + " "
          + Keys.MAX_SEGMENT_CHARS
          + " for negativeText)."),
  SEGMENT_TOO_LONG(
      "One segment's text or negative text is longer than " + Keys.MAX_SEGMENT_CHARS + "."),
  TOO_MANY_SEGMENTS("More segments (or plot sentences) than " + Keys.MAX_SEGMENTS + "."),
  TOO_FEW_SEGMENTS("Fewer segments than " + Keys.MIN_SEGMENTS + " (e.g. an empty list)."),
  DUPLICATE_SEGMENT_INDEX("Two segments give the same index."),
  INVALID_SEGMENT_INDEX("A segment index is outside 0..n-1, or only some segments give an index."),
  SEED_OUT_OF_RANGE("seed is not an integer in " + Keys.MIN_SEED + ".." + Keys.MAX_SEED + "."),
  SETTING_OUT_OF_RANGE(
      "A generation setting (denoisingSteps, guidanceScale) is outside its allowed range."),
  EXPANDER_FAILED(
      "A summary (Format 1) could not be expanded to segments: the endpoint failed, timed out or"
          + " answered something unusable."),
  // --- found by the generation operator, after validation ---
  DUPLICATE_VIDEO_ID(
      "A storyboard with this video id and the same content is already queued, generating or"
          + " finished: the video is generated once, and its one outcome on the videos topic"
          + " answers both."),
  VIDEO_ID_CONFLICT(
      "The video id is taken by a storyboard with different content (queued, generating or"
          + " finished); a finished video is never replaced: use another videoId."),
  QUEUE_FULL(
      "The generation subtask of this video already holds generation.max-queued-videos queued"
          + " videos and no place freed within generation.queue-full-timeout; nothing was"
          + " generated: submit it again later."),
  INTERNAL_ERROR("A bug: validation itself failed. The record is kept; please report it.");

  private final String description;

  RejectionCode(String description) {
    this.description = description;
  }

  /** What the code means, for users. */
  public String description() {
    return description;
  }
}
