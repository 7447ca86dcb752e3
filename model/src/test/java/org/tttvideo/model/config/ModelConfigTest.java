package org.tttvideo.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.TttKind;

class ModelConfigTest {

  @Test
  void paperPresetHasTheIssuesSizes() {
    ModelConfig c = ModelConfig.preset("cogvideox-5b-ttt");
    assertThat(c.layers()).isEqualTo(42);
    assertThat(c.width()).isEqualTo(3072);
    assertThat(c.heads()).isEqualTo(48);
    assertThat(c.headDim()).isEqualTo(64);
    assertThat(c.textDim()).isEqualTo(4096);
    assertThat(c.latentChannels()).isEqualTo(16);
    assertThat(c.latentHeight()).isEqualTo(60);
    assertThat(c.latentWidth()).isEqualTo(90);
    assertThat(c.patchSize()).isEqualTo(2);
    assertThat(c.framesOf(0)).isEqualTo(13);
    assertThat(c.framesOf(5)).isEqualTo(12);
    assertThat(c.fps()).isEqualTo(16);
    assertThat(c.derived().outputWidth()).isEqualTo(720);
    assertThat(c.derived().outputHeight()).isEqualTo(480);
    assertThat(c.ttt()).isEqualTo(TttMode.MLP);
    assertThat(c.tttConfig().kind()).isEqualTo(TttKind.MLP);
    assertThat(c.tttMiniBatch()).isEqualTo(16);
    assertThat(c.tokensPerFrame()).isEqualTo(30 * 45);
    // 13 latent frames decode to 49 frames, 12 to 48: 3 s per segment at 16 fps
    assertThat(c.outputFramesOf(0)).isEqualTo(49);
    assertThat(c.outputFramesOf(1)).isEqualTo(48);
    assertThat(c.latentFrames(21)).isEqualTo(253);
    assertThat(c.seconds(21)).isBetween(63.0, 63.1);
    assertThat(c.attention()).isEqualTo(AttentionScope.SEGMENT);
    assertThat(c.steps()).isEqualTo(50);
    assertThat(c.guidanceScale()).isEqualTo(6.0);
    assertThat(c.guidanceExponent()).isEqualTo(5.0);
  }

  @Test
  void runnablePresetsKeepTttMiniBatchesInsideSegments() {
    for (String name : new String[] {"tiny", "small"}) {
      ModelConfig c = ModelConfig.preset(name);
      c.requireTttAligned();
      assertThat(c.derived().outputWidth()).as(name).isPositive();
    }
    ModelConfig small = ModelConfig.preset("small");
    assertThat(small.derived().outputWidth()).isGreaterThanOrEqualTo(192);
    assertThat(small.derived().outputHeight()).isGreaterThanOrEqualTo(128);
    assertThat(small.seconds(21)).isGreaterThanOrEqualTo(63.0);
  }

  @Test
  void paperGeometryIsNotSegmentAligned() {
    assertThatThrownBy(() -> ModelConfig.cogVideoX5bTtt().requireTttAligned())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("textTokens 226");
  }

  @Test
  void derivedSizesAreComputedOnce() {
    ModelConfig a = ModelConfig.tiny();
    assertThat(a.derived()).isSameAs(a.derived());
    assertThat(a.derived().patchDim()).isEqualTo(4 * 2 * 2);
    assertThat(a.derived().ffInnerDim()).isEqualTo(128);
    assertThat(a.toBuilder().build()).isEqualTo(a);
  }

  @Test
  void rejectsBadValuesNamingTheField() {
    assertThatThrownBy(() -> ModelConfig.tiny().toBuilder().heads(3).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("width 32 must be a multiple of heads 3");
    assertThatThrownBy(() -> ModelConfig.tiny().toBuilder().heads(4).build())
        .hasMessageContaining("head dim width/heads = 8 must be a multiple of 16");
    assertThatThrownBy(() -> ModelConfig.tiny().toBuilder().latentWidth(5).build())
        .hasMessageContaining("patch size 2");
    assertThatThrownBy(() -> ModelConfig.tiny().toBuilder().layers(0).build())
        .hasMessage("layers must be positive, got 0");
    assertThatThrownBy(() -> ModelConfig.tiny().toBuilder().segmentFrames(4).build())
        .hasMessageContaining("firstSegmentFrames 3 must be >= segmentFrames 4");
    assertThatThrownBy(() -> ModelConfig.preset("huge"))
        .hasMessage("unknown preset 'huge': allowed are tiny, small, toon, cogvideox-5b-ttt");
    assertThatThrownBy(
            () -> ModelConfig.tiny().toBuilder().textTokens(3).build().requireTttAligned())
        .hasMessage("textTokens 3 must be a multiple of the TTT mini-batch 4");
  }

  @Test
  void attentionScopesParse() {
    assertThat(AttentionScope.parse("segment")).isEqualTo(AttentionScope.SEGMENT);
    assertThat(AttentionScope.parse("full")).isEqualTo(AttentionScope.FULL);
    assertThat(AttentionScope.parse("sliding:3")).isEqualTo(AttentionScope.sliding(3));
    assertThat(AttentionScope.sliding(3).toString()).isEqualTo("sliding:3");
    assertThatThrownBy(() -> AttentionScope.parse("sliding:0"))
        .hasMessageContaining("at least 1 segment");
    assertThatThrownBy(() -> AttentionScope.parse("local"))
        .hasMessage(
            "unknown attention scope 'local': allowed are segment, full, sliding:N (N >= 1)");
    assertThat(TttMode.parse("ttt-linear")).isEqualTo(TttMode.LINEAR);
    assertThat(TttMode.parse("NONE")).isEqualTo(TttMode.NONE);
    assertThatThrownBy(() -> TttMode.parse("rnn"))
        .hasMessage("unknown TTT mode 'rnn': allowed are none, linear, mlp");
  }

  @Test
  void presetsAreTheirOwnIdentitySoStoredStateKeepsItsBytes() {
    for (String name : ModelPresets.NAMES) {
      assertThat(ModelConfig.preset(name).identity()).isEqualTo(name);
      assertThat(ModelConfig.preset(name).toBuilder().build().identity()).isEqualTo(name);
    }
  }

  @Test
  void anyChangedValueChangesTheIdentityEvenUnderTheSameName() {
    ModelConfig small = ModelConfig.small();
    ModelConfig fewerSteps = small.toBuilder().steps(10).build();
    assertThat(fewerSteps.name()).isEqualTo("small");
    assertThat(fewerSteps).isNotEqualTo(small);
    assertThat(fewerSteps.identity()).startsWith("small#").hasSize("small#".length() + 16);
    // every builder configuration is named "custom": the values tell them apart
    ModelConfig a = ModelConfig.tiny().toBuilder().name("custom").build();
    ModelConfig b = ModelConfig.tiny().toBuilder().name("custom").gateInit(0.2f).build();
    assertThat(a.identity()).startsWith("custom#").isNotEqualTo(b.identity());
    // equal values, equal identity (it is a fingerprint, not a counter)
    assertThat(a.toBuilder().build().identity()).isEqualTo(a.identity());
    assertThat(a.toBuilder().build()).isEqualTo(a).hasSameHashCodeAs(a);
  }

  @Test
  void toStringListsEveryValue() {
    assertThat(ModelConfig.tiny().toString())
        .startsWith("ModelConfig[name=tiny, width=32, heads=2, layers=2,")
        .endsWith(", steps=4, guidanceScale=6.0, guidanceExponent=5.0]");
  }

  @Test
  void tinySmallAndToonRunAndThe5bPresetSaysWhy() {
    assertThat(ModelPresets.RUNNABLE).containsExactly("tiny", "small", "toon");
    assertThat(ModelPresets.whyNotRunnable("tiny")).isEmpty();
    assertThat(ModelPresets.whyNotRunnable("small")).isEmpty();
    assertThat(ModelPresets.whyNotRunnable("cogvideox-5b-ttt")).isPresent();
    ModelPresets.requireRunnable("model.preset", "small"); // no exception
    assertThatThrownBy(() -> ModelPresets.requireRunnable("model.preset", "cogvideox-5b-ttt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "model.preset is 'cogvideox-5b-ttt', which cannot run: there is no loader for the real"
                + " CogVideoX-5B checkpoint yet (nor its T5 text encoder and VAE), so it would"
                + " allocate 7.23 billion seeded parameters and make noise; it describes the"
                + " paper's model for parameter counts only. Presets that run: tiny, small, toon");
    assertThatThrownBy(() -> ModelPresets.requireRunnable("--preset", "huge"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--preset is 'huge'; allowed are tiny, small, toon, cogvideox-5b-ttt");
  }
}
