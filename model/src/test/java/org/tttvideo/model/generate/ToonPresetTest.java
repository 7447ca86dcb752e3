package org.tttvideo.model.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.vector.VectorCompute;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.config.ModelPresets;
import org.tttvideo.model.decode.CausalVaeDecoder;
import org.tttvideo.model.decode.LinearPatchDecoder;
import org.tttvideo.model.decode.VaeConfig;
import org.tttvideo.model.dit.ModelWeights;

/**
 * The {@code toon} preset: small's transformer decoding through the ToonWorld VAE, whose decoder
 * tensors are part of the model's weights and loaded as strictly as the rest.
 */
class ToonPresetTest {
  private final ModelConfig toon = ModelPresets.named("toon");

  @Test
  void isSmallsTransformerOnTheVaesLatents() {
    ModelConfig small = ModelConfig.small();
    assertThat(toon.width()).isEqualTo(small.width());
    assertThat(toon.layers()).isEqualTo(small.layers());
    assertThat(toon.latentChannels()).isEqualTo(8);
    assertThat(toon.textTokens()).isEqualTo(48);
    assertThat(toon.vae()).isEqualTo(ModelPresets.TOON_VAE);
    assertThat(small.vae()).isNull();
    assertThat(toon.identity()).isEqualTo("toon");
    assertThat(toon.toString()).endsWith(", vae=" + ModelPresets.TOON_VAE + "]");
    assertThat(small.toString()).doesNotContain("vae=");
    toon.requireTttAligned();
    assertThat(ModelPresets.RUNNABLE).contains("toon");
  }

  @Test
  void aVaeThatDoesNotFitTheLatentsIsRefused() {
    VaeConfig four = new VaeConfig(4, 3, List.of(8, 16, 32, 64), 1, 4, 1e-6f, 8, 1f);
    assertThatThrownBy(() -> toon.toBuilder().vae(four).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("vae has 4 latent channels, latentChannels is 8; they must be equal");
    VaeConfig timeFour = new VaeConfig(8, 3, List.of(8, 16, 32, 64), 1, 4, 1e-6f, 4, 1f);
    assertThatThrownBy(() -> toon.toBuilder().vae(timeFour).build())
        .hasMessage("vae compresses time 4x, temporalCompression is 8; they must be equal");
    VaeConfig spaceFour = new VaeConfig(8, 3, List.of(8, 16, 32), 1, 4, 1e-6f, 4, 1f);
    assertThatThrownBy(() -> toon.toBuilder().temporalCompression(4).vae(spaceFour).build())
        .hasMessage("vae compresses space 4x, spatialCompression is 8; they must be equal");
  }

  @Test
  void theWeightsHoldTheVaeDecoderInsteadOfThePatchDecoder(@TempDir Path dir) throws IOException {
    Map<String, int[]> shapes = ModelWeights.expectedShapes(toon);
    assertThat(shapes).containsAllEntriesOf(ModelPresets.TOON_VAE.decoderShapes());
    assertThat(shapes).doesNotContainKey(LinearPatchDecoder.PROJ_WEIGHT);
    assertThat(shapes.keySet().stream().filter(k -> k.startsWith("decoder.")).count())
        .isEqualTo(ModelPresets.TOON_VAE.decoderShapes().size());

    ModelWeights w = ModelWeights.init(toon, 3);
    assertThat(w.decoder()).isInstanceOf(CausalVaeDecoder.class);
    Path file = dir.resolve("toon.safetensors");
    w.write(file);
    ModelWeights back = ModelWeights.load(toon, file);
    assertThat(back.tensors().keySet()).containsExactlyElementsOf(w.tensors().keySet());
    assertThat(ModelWeights.load(toon, file).tensors().get("decoder.conv_out.conv.weight").shape())
        .containsExactly(3, 8, 3, 3, 3);
    // The small preset's file lacks the VAE decoder: refused by name.
    Path smallFile = dir.resolve("small.safetensors");
    ModelWeights.init(ModelConfig.small(), 3).write(smallFile);
    assertThat(Files.size(smallFile)).isPositive();
    assertThatThrownBy(() -> ModelWeights.load(toon, smallFile))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("missing tensor '");
  }

  /** One segment end to end: the first segment's 4 latent frames decode to 1 + 3 x 8 frames. */
  @Test
  void generatesASegmentThroughTheVae() {
    try (VectorCompute c = new VectorCompute(2)) {
      Generator g = new Generator(c, ModelWeights.init(toon, 4));
      GeneratedVideo v =
          g.generate(
              new GenerationRequest(
                  List.of("An orange cat sleeps. We are in a kitchen with blue walls."),
                  "",
                  7,
                  1,
                  6.0));
      assertThat(v.frames()).hasSize(1);
      Tensor frames = v.frames().get(0);
      assertThat(frames.shape()).containsExactly(25, 128, 192, 3);
      for (int i = 0; i < frames.size(); i += 997) {
        assertThat(frames.get(i)).isBetween(0f, 1f);
      }
      assertThat(v.latents().get(0).shape()).containsExactly(4, 8, 16, 24);
    }
  }
}
