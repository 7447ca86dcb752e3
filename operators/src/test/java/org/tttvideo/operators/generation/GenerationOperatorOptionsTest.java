package org.tttvideo.operators.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GenerationOperatorOptionsTest {

  @Test
  void defaults() {
    GenerationOperatorOptions o = GenerationOperatorOptions.defaults();
    assertThat(o.timeSlice()).isEqualTo(Duration.ofMillis(200));
    assertThat(o.maxActiveVideos()).isEqualTo(2);
    assertThat(o.progressInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(o.maxQueuedVideos()).isEqualTo(64);
    assertThat(o.queueFullTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(o.maxRestoresWithoutProgress()).isEqualTo(3);
    assertThat(o.finishedRetention()).isEqualTo(Duration.ZERO);
    assertThat(o.observer()).isNull();
    assertThat(o.withMaxActiveVideos(3).withTimeSlice(Duration.ofMillis(50)))
        .isEqualTo(
            new GenerationOperatorOptions(Duration.ofMillis(50), 3, Duration.ofSeconds(1), null));
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> GenerationOperatorOptions.defaults().withTimeSlice(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeSlice must be positive, got PT0S");
    assertThatThrownBy(() -> GenerationOperatorOptions.defaults().withMaxActiveVideos(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxActiveVideos must be >= 1, got 0");
    assertThatThrownBy(
            () -> GenerationOperatorOptions.defaults().withProgressInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("progressInterval must be zero or positive, got PT-1S");
    assertThatThrownBy(() -> GenerationOperatorOptions.defaults().withMaxQueuedVideos(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxQueuedVideos must be >= 1, got 0");
    assertThatThrownBy(
            () -> GenerationOperatorOptions.defaults().withQueueFullTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queueFullTimeout must be zero (reject at once) or positive, got PT-0.001S");
    assertThatThrownBy(
            () -> GenerationOperatorOptions.defaults().withMaxRestoresWithoutProgress(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxRestoresWithoutProgress must be >= 0 (0: off), got -1");
    assertThatThrownBy(
            () -> GenerationOperatorOptions.defaults().withFinishedRetention(Duration.ofDays(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("finishedRetention must be zero (for ever) or positive, got PT-24H");
  }

  @Test
  void presetFactoriesCheckPresetAndBackend() {
    assertThatThrownBy(() -> new PresetGeneratorFactory("huge", null, "vector", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("preset is 'huge'; allowed are tiny, small, toon, cogvideox-5b-ttt");
    assertThatThrownBy(() -> new PresetGeneratorFactory("cogvideox-5b-ttt", null, "vector", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "preset is 'cogvideox-5b-ttt', which cannot run: there is no loader for the real"
                + " CogVideoX-5B checkpoint yet")
        .hasMessageEndingWith("Presets that run: tiny, small, toon");
    assertThatThrownBy(() -> new PresetGeneratorFactory("tiny", null, "cuda", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backend is 'cuda'; allowed are vector, naive");
    assertThat(new PresetGeneratorFactory("tiny", null, "vector", 7).create(-1).config().name())
        .isEqualTo("tiny");
  }
}
