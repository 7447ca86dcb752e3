package org.tttvideo.operators.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.generate.GenerationRequest;
import org.tttvideo.storyboard.GenerationSettings;
import org.tttvideo.storyboard.InputForm;
import org.tttvideo.storyboard.Segment;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.storyboard.StoryboardFormat;

class StoryboardRequestsTest {

  private static Storyboard storyboard(GenerationSettings settings) {
    return new Storyboard(
        "heron-1",
        "Heron",
        StoryboardFormat.STORYBOARD,
        InputForm.JSON,
        77,
        settings,
        List.of(
            new Segment(0, "A heron stands in a misty pond.", "blurry", true),
            new Segment(1, "The heron spears a fish.", "dark", false),
            new Segment(2, "Night falls over the pond.", "", true)),
        "",
        "");
  }

  @Test
  void promptsSeedStepsAndGuidanceComeFromTheStoryboard() {
    GenerationRequest r =
        StoryboardRequests.toRequest(
            storyboard(new GenerationSettings(30, 4.5)), ModelConfig.tiny());
    assertThat(r)
        .isEqualTo(
            new GenerationRequest(
                List.of(
                    "A heron stands in a misty pond.",
                    "The heron spears a fish.",
                    "Night falls over the pond."),
                List.of("blurry", "dark", ""),
                77,
                30,
                4.5));
  }

  @Test
  void everySegmentKeepsItsOwnNegativePrompt() {
    assertThat(
            StoryboardRequests.toRequest(
                    storyboard(new GenerationSettings(2, 1.0)), ModelConfig.tiny())
                .negativePrompts())
        .containsExactly("blurry", "dark", "");
  }

  @Test
  void settingsTheModelRefusesAreReportedByTheRequest() {
    assertThatThrownBy(
            () ->
                StoryboardRequests.toRequest(
                    storyboard(new GenerationSettings(5000, 1.0)), ModelConfig.tiny()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("steps must be in 1..1000, got 5000");
  }
}
