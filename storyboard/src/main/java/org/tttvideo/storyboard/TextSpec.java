package org.tttvideo.storyboard;

import org.tttvideo.storyboard.StoryboardOptions.Keys;

/**
 * The limits of one kind of text field: how long it may be, which code a longer one gets, which
 * option sets the limit (named in the message so that the publisher knows what to raise), and
 * whether it may be empty. One value per kind replaces passing the four separately at every field.
 *
 * <pre>{@code
 * TextSpec spec = TextSpec.segmentText(options);
 * String text = fields.text(node, "segments[3].text", spec);
 * }</pre>
 *
 * @param maxChars most characters (code points, after normalising), at least 1
 * @param tooLong the code of a text over {@code maxChars}
 * @param limitKey the option that sets {@code maxChars} (a {@link Keys} constant), or empty when
 *     the field has no limit of its own
 * @param allowEmpty whether an empty (or only white space) text is accepted
 */
record TextSpec(long maxChars, RejectionCode tooLong, String limitKey, boolean allowEmpty) {

  TextSpec {
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be >= 1, was " + maxChars);
    }
    if (tooLong == null) {
      throw new IllegalArgumentException("tooLong must be a rejection code, was null");
    }
    if (limitKey == null) {
      throw new IllegalArgumentException("limitKey must be an option key or empty, was null");
    }
  }

  /** A title: may be empty. */
  static TextSpec title(StoryboardOptions o) {
    return new TextSpec(o.maxTitleChars(), RejectionCode.TEXT_TOO_LONG, Keys.MAX_TITLE_CHARS, true);
  }

  /** The storyboard-wide negative text: may be empty, held to one segment's limit. */
  static TextSpec negativeText(StoryboardOptions o) {
    return new TextSpec(
        o.maxSegmentChars(), RejectionCode.TEXT_TOO_LONG, Keys.MAX_SEGMENT_CHARS, true);
  }

  /** One segment's (or one plot sentence's) prompt: must not be empty. */
  static TextSpec segmentText(StoryboardOptions o) {
    return new TextSpec(
        o.maxSegmentChars(), RejectionCode.SEGMENT_TOO_LONG, Keys.MAX_SEGMENT_CHARS, false);
  }

  /** One segment's negative text: may be empty. */
  static TextSpec segmentNegativeText(StoryboardOptions o) {
    return new TextSpec(
        o.maxSegmentChars(), RejectionCode.SEGMENT_TOO_LONG, Keys.MAX_SEGMENT_CHARS, true);
  }

  /** A summary or a plot given as prose: must not be empty. */
  static TextSpec longText(StoryboardOptions o) {
    return new TextSpec(o.maxTextChars(), RejectionCode.TEXT_TOO_LONG, Keys.MAX_TEXT_CHARS, false);
  }

  /**
   * Annotation text inside a JSON object: no limit of its own, because each of its segments is held
   * to {@link Keys#MAX_SEGMENT_CHARS} and the record to {@link Keys#MAX_PAYLOAD_BYTES}.
   */
  static TextSpec annotationText() {
    return new TextSpec(Long.MAX_VALUE, RejectionCode.TEXT_TOO_LONG, "", false);
  }
}
