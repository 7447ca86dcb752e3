package org.tttvideo.storyboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextSpecTest {

  private static final StoryboardOptions OPTIONS =
      StoryboardOptions.fromMap(
          java.util.Map.of(
              StoryboardOptions.Keys.MAX_TITLE_CHARS, "11",
              StoryboardOptions.Keys.MAX_SEGMENT_CHARS, "22",
              StoryboardOptions.Keys.MAX_TEXT_CHARS, "33"));

  @Test
  void eachKindTakesItsLimitCodeAndOption() {
    assertThat(
            java.util.List.of(
                TextSpec.title(OPTIONS),
                TextSpec.negativeText(OPTIONS),
                TextSpec.segmentText(OPTIONS),
                TextSpec.segmentNegativeText(OPTIONS),
                TextSpec.longText(OPTIONS),
                TextSpec.annotationText()))
        .containsExactly(
            new TextSpec(11, RejectionCode.TEXT_TOO_LONG, "storyboard.max-title-chars", true),
            new TextSpec(22, RejectionCode.TEXT_TOO_LONG, "storyboard.max-segment-chars", true),
            new TextSpec(22, RejectionCode.SEGMENT_TOO_LONG, "storyboard.max-segment-chars", false),
            new TextSpec(22, RejectionCode.SEGMENT_TOO_LONG, "storyboard.max-segment-chars", true),
            new TextSpec(33, RejectionCode.TEXT_TOO_LONG, "storyboard.max-text-chars", false),
            new TextSpec(Long.MAX_VALUE, RejectionCode.TEXT_TOO_LONG, "", false));
  }

  @Test
  void rejectsALimitBelowOneAndMissingParts() {
    assertThatThrownBy(() -> new TextSpec(0, RejectionCode.TEXT_TOO_LONG, "", true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxChars must be >= 1, was 0");
    assertThatThrownBy(() -> new TextSpec(1, null, "", true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tooLong must be a rejection code, was null");
    assertThatThrownBy(() -> new TextSpec(1, RejectionCode.TEXT_TOO_LONG, null, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limitKey must be an option key or empty, was null");
  }

  @Test
  void aTooLongTextNamesTheFieldTheLengthAndTheOption() {
    FieldReader fields = new FieldReader(OPTIONS);
    com.fasterxml.jackson.databind.JsonNode node =
        com.fasterxml.jackson.databind.node.TextNode.valueOf("twelve chars");
    assertThatThrownBy(() -> fields.text(node, "title", TextSpec.title(OPTIONS)))
        .isInstanceOfSatisfying(
            InvalidInput.class,
            e -> {
              assertThat(e.code).isEqualTo(RejectionCode.TEXT_TOO_LONG);
              assertThat(e.field).isEqualTo("title");
            })
        .hasMessage("title has 12 characters; at most 11 are allowed (storyboard.max-title-chars)");
    assertThat(fields.text(node, "title", TextSpec.longText(OPTIONS))).isEqualTo("twelve chars");
  }
}
