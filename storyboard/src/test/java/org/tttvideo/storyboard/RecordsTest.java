package org.tttvideo.storyboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The domain records validate themselves, whoever builds them. */
class RecordsTest {
  private static final GenerationSettings SETTINGS = new GenerationSettings(50, 6.0);
  private static final List<Segment> ONE = List.of(new Segment(0, "A.", "", true));

  private static Storyboard storyboard(String id, List<Segment> segments) {
    return new Storyboard(
        id, "", StoryboardFormat.STORYBOARD, InputForm.JSON, 0, SETTINGS, segments, "", "");
  }

  @Test
  void segmentsNeedTextAndTheFirstStartsAScene() {
    assertThatThrownBy(() -> new Segment(0, " ", "", true))
        .hasMessageContaining("text must not be blank");
    assertThatThrownBy(() -> new Segment(-1, "A.", "", true))
        .hasMessageContaining("index must be >= 0");
    assertThatThrownBy(() -> new Segment(0, "A.", "", false))
        .hasMessageContaining("sceneStart must be true");
    assertThatThrownBy(() -> new Segment(1, "A.", null, false))
        .hasMessageContaining("negativeText");
  }

  @Test
  void storyboardsCheckIdIndexesAndFormatSpecificFields() {
    assertThatThrownBy(() -> storyboard("../../etc/passwd", ONE))
        .hasMessageContaining("videoId must match");
    assertThatThrownBy(() -> storyboard("..", ONE)).hasMessageContaining("videoId must match");
    assertThatThrownBy(() -> storyboard("v", List.of()))
        .hasMessageContaining("at least one segment");
    assertThatThrownBy(
            () ->
                storyboard(
                    "v", List.of(new Segment(0, "A.", "", true), new Segment(2, "B.", "", false))))
        .hasMessageContaining("index() must be 1");
    assertThatThrownBy(
            () ->
                new Storyboard(
                    "v", "", StoryboardFormat.SUMMARY, InputForm.JSON, 0, SETTINGS, ONE, "", ""))
        .hasMessageContaining("summary must be given");
    assertThatThrownBy(() -> new GenerationSettings(50, Double.NaN))
        .hasMessageContaining("guidanceScale");
  }

  @Test
  void theSegmentListIsACopyThatCannotChange() {
    List<Segment> list = new ArrayList<>(ONE);
    Storyboard s = storyboard("v", list);
    list.add(new Segment(1, "B.", "", false));
    assertThat(s.segments()).hasSize(1);
    assertThatThrownBy(() -> s.segments().add(new Segment(1, "B.", "", false)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void videoIdsAreSafeFileNames() {
    assertThat(VideoIds.isValid("a")).isTrue();
    assertThat(VideoIds.isValid("A0._-z")).isTrue();
    assertThat(VideoIds.isValid("a".repeat(128))).isTrue();
    assertThat(VideoIds.isValid("a".repeat(129))).isFalse();
    for (String bad :
        List.of("", ".", "..", "./a", "a/b", "a\\b", ".hidden", "-x", "a b", "a\nb")) {
      assertThat(VideoIds.isValid(bad)).as(bad).isFalse();
    }
    assertThat(VideoIds.derive("x")).isEqualTo(VideoIds.derive("x")).matches("sb-[0-9a-f]{16}");
    assertThat(VideoIds.derive("x")).isNotEqualTo(VideoIds.derive("y"));
  }

  @Test
  void outcomesHoldExactlyOneThing() {
    assertThatThrownBy(() -> new ParseOutcome(null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new Rejection(RejectionCode.EMPTY_TEXT, "", "m", "", 0, Payload.absent(), null))
        .hasMessageContaining("field");
  }
}
