package org.tttvideo.storyboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StoryboardOptionsTest {

  @Test
  void theDefaultsAreTheIssuesDefaults() {
    StoryboardOptions o = StoryboardOptions.defaults();
    assertThat(o.minSegments()).isEqualTo(1);
    assertThat(o.maxSegments()).isEqualTo(21);
    assertThat(o.maxPayloadBytes()).isEqualTo(1024 * 1024);
    assertThat(o.defaultDenoisingSteps()).isEqualTo(50);
    assertThat(o.maxSeed()).isEqualTo(4_294_967_295L);
  }

  @Test
  void everyOptionHasAKeyADefaultAndADescriptionAndRoundTrips() {
    assertThat(StoryboardOptions.SPECS)
        .hasSize(StoryboardOptions.class.getRecordComponents().length);
    for (StoryboardOptions.Spec s : StoryboardOptions.SPECS) {
      assertThat(s.key()).startsWith("storyboard.").matches("[a-z.-]+");
      assertThat(s.description()).isNotBlank();
      assertThat(s.defaultValue()).isNotNull();
    }
    StoryboardOptions o =
        StoryboardOptions.fromMap(Map.of("storyboard.max-segments", "8", "other.key", "x"));
    assertThat(o.maxSegments()).isEqualTo(8);
    assertThat(StoryboardOptions.fromMap(o.toMap())).isEqualTo(o);
    assertThat(StoryboardOptions.fromMap(Map.of())).isEqualTo(StoryboardOptions.defaults());
  }

  @Test
  void badConfigurationIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> StoryboardOptions.fromMap(Map.of("storyboard.max-segmnts", "8")))
        .hasMessageContaining("unknown option storyboard.max-segmnts")
        .hasMessageContaining("storyboard.max-segments");
    assertThatThrownBy(() -> StoryboardOptions.fromMap(Map.of("storyboard.max-segments", "many")))
        .hasMessageContaining("storyboard.max-segments must be an integer, was \"many\"");
    assertThatThrownBy(() -> StoryboardOptions.fromMap(Map.of("storyboard.max-segments", "0")))
        .hasMessageContaining("storyboard.max-segments must be >= storyboard.min-segments");
    assertThatThrownBy(() -> StoryboardOptions.fromMap(Map.of("storyboard.default-seed", "-1")))
        .hasMessageContaining("default-seed");
    assertThatThrownBy(
            () -> StoryboardOptions.fromMap(Map.of("storyboard.default-guidance-scale", "NaN")))
        .hasMessageContaining("guidance-scale");
  }

  @Test
  void theRejectedPayloadLimitKeepsARejectionUnderKafkasDefaultMebibyte() {
    assertThat(
            StoryboardOptions.fromMap(Map.of("storyboard.max-rejected-payload-bytes", "1015808"))
                .maxRejectedPayloadBytes())
        .isEqualTo(StoryboardOptions.MAX_REJECTED_PAYLOAD_BYTES)
        .isEqualTo(1024 * 1024 - 32 * 1024);
    assertThatThrownBy(
            () ->
                StoryboardOptions.fromMap(
                    Map.of("storyboard.max-rejected-payload-bytes", "1015809")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "storyboard.max-rejected-payload-bytes must be in 0..1015808 (a rejection must fit in"
                + " Kafka's default 1 MiB record), was 1015809");
    assertThatThrownBy(
            () -> StoryboardOptions.fromMap(Map.of("storyboard.max-rejected-payload-bytes", "-1")))
        .hasMessageContaining("must be in 0..1015808");
  }
}
