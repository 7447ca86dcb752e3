package org.tttvideo.model.dit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.weights.SafetensorsWriter;

class ModelWeightsTest {
  @TempDir Path dir;

  private final ModelConfig tiny = ModelConfig.tiny();

  @Test
  void initIsDeterministicAndRoundTripsThroughSafetensors() throws IOException {
    ModelWeights a = ModelWeights.init(tiny, 42);
    ModelWeights b = ModelWeights.init(tiny, 42);
    ModelWeights other = ModelWeights.init(tiny, 43);
    assertThat(a.untrained()).isTrue();
    assertThat(a.tensors().keySet())
        .containsExactlyElementsOf(ModelWeights.expectedShapes(tiny).keySet());
    String someWeight = DitParameters.block(1) + DitParameters.TO_Q_WEIGHT;
    for (String name : a.tensors().keySet()) {
      assertThat(a.tensors().get(name).bitEquals(b.tensors().get(name))).as(name).isTrue();
    }
    assertThat(a.tensors().get(someWeight).bitEquals(other.tensors().get(someWeight))).isFalse();

    Path file = dir.resolve("tiny.safetensors");
    a.write(file);
    ModelWeights loaded = ModelWeights.load(tiny, file);
    assertThat(loaded.untrained()).isTrue();
    for (String name : a.tensors().keySet()) {
      assertThat(loaded.tensors().get(name).bitEquals(a.tensors().get(name))).as(name).isTrue();
    }
  }

  private Path writeWith(Map<String, Tensor> tensors, String extraName, Tensor extra)
      throws IOException {
    SafetensorsWriter w = new SafetensorsWriter();
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      w.add(e.getKey(), e.getValue());
    }
    if (extraName != null) {
      w.add(extraName, extra);
    }
    Path file = dir.resolve("w" + System.nanoTime() + ".safetensors");
    w.write(file);
    return file;
  }

  /** Bundled weights are found by preset name under the root, and loaded strictly. */
  @Test
  void bundledWeightsAreLookedUpByPresetNameAndLoadedStrictly() throws Exception {
    ModelWeights written = ModelWeights.init(tiny, 11);
    Path file = dir.resolve("tiny.safetensors");
    written.write(file);
    java.util.List<String> asked = new java.util.ArrayList<>();
    var found =
        ModelWeights.bundled(
            tiny,
            name -> {
              asked.add(name);
              return name.equals("/weights/tiny.safetensors") ? toUrl(file) : null;
            });
    assertThat(asked).containsExactly("/weights/tiny.safetensors");
    assertThat(found).isPresent();
    assertThat(
            found
                .get()
                .tensors()
                .get("proj_out.weight")
                .bitEquals(written.tensors().get("proj_out.weight")))
        .isTrue();
    assertThat(ModelWeights.bundled(ModelConfig.small(), n -> null)).isEmpty();
    // A file for another preset under this one's name is refused, as load refuses it.
    Path wrong = dir.resolve("other.safetensors");
    ModelWeights.init(ModelConfig.small(), 1).write(wrong);
    assertThatThrownBy(() -> ModelWeights.bundled(tiny, n -> toUrl(wrong)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unexpected tensor 'transformer_blocks.2.attn1.norm_k.bias' with shape [32] in"
                + " tiny.safetensors: preset 'tiny' has no such parameter");
    // Nothing is bundled for tiny in the build itself.
    assertThat(ModelWeights.bundled(tiny)).isEmpty();
    assertThat(ModelWeights.hasBundled("tiny")).isFalse();
  }

  private static java.net.URL toUrl(Path p) {
    try {
      return p.toUri().toURL();
    } catch (java.net.MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void missingTensorIsRejectedByName() throws IOException {
    Map<String, Tensor> m = new java.util.LinkedHashMap<>(ModelWeights.init(tiny, 1).tensors());
    String name = DitParameters.block(0) + DitParameters.TTT_PREFIX + "W2";
    m.remove(name);
    Path file = writeWith(m, null, null);
    assertThatThrownBy(() -> ModelWeights.load(tiny, file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing tensor '" + name + "' (expected shape [2, 64, 16])");
  }

  @Test
  void unknownTensorIsRejectedByName() throws IOException {
    Map<String, Tensor> m = ModelWeights.init(tiny, 1).tensors();
    Path file = writeWith(m, "transformer_blocks.9.attn1.to_q.weight", Tensor.zeros(2, 3));
    assertThatThrownBy(() -> ModelWeights.load(tiny, file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "unexpected tensor 'transformer_blocks.9.attn1.to_q.weight' with shape [2, 3]");
  }

  @Test
  void wrongShapeIsRejectedWithBothShapes() throws IOException {
    Map<String, Tensor> m = new java.util.LinkedHashMap<>(ModelWeights.init(tiny, 1).tensors());
    m.put(DitParameters.PROJ_OUT_WEIGHT, Tensor.zeros(16, 31));
    Path file = writeWith(m, null, null);
    assertThatThrownBy(() -> ModelWeights.load(tiny, file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "tensor 'proj_out.weight' in "
                + file.getFileName()
                + " has shape [16, 31], preset 'tiny' expects [16, 32]");
  }

  @Test
  void transformerRejectsAWrongShapeToo() {
    Map<String, Tensor> m = new java.util.HashMap<>(ModelWeights.init(tiny, 1).tensors());
    m.put(DitParameters.TEXT_PROJ_BIAS, Tensor.zeros(31));
    assertThatThrownBy(() -> new DiffusionTransformer(tiny, m))
        .hasMessage(
            "transformer tensor 'patch_embed.text_proj.bias' must have shape [32], got [31]");
  }

  /**
   * The paper's model: the parameter list is built from the config alone (nothing allocated). The
   * CogVideoX-5B transformer ("5B") is counted here in closed form from diffusers' module layout;
   * each TTT-MLP layer and its gates add 4·(W²+W) + H·W + H + 2·H·D + 2·W + 2·H·D·4D + H·4D + H·D +
   * 4·W.
   */
  @Test
  void paperPresetParameterCount() {
    ModelConfig c = ModelConfig.preset("cogvideox-5b-ttt");
    Map<String, int[]> shapes = DitParameters.shapes(c);
    long total = DitParameters.count(shapes);
    long ttt = 0;
    for (Map.Entry<String, int[]> e : shapes.entrySet()) {
      if (DitParameters.isTtt(e.getKey())) {
        ttt += DitParameters.count(Map.of(e.getKey(), e.getValue()));
      }
    }
    long base = total - ttt;
    System.out.printf(
        "cogvideox-5b-ttt: %,d parameters = %,d CogVideoX-5B transformer + %,d TTT-MLP (%d layers)%n",
        total, base, ttt, c.layers());
    long w = c.width();
    long h = c.heads();
    long d = c.headDim();
    long perLayer =
        4 * (w * w + w)
            + h * w
            + h
            + 2 * h * d
            + 2 * w
            + 2 * h * d * 4 * d
            + h * 4 * d
            + h * d
            + 4 * w;
    assertThat(ttt).isEqualTo(c.layers() * perLayer);
    long e = c.timeEmbedDim();
    long ff = 4 * w;
    long block =
        2 * (6 * w * e + 6 * w + 2 * w) + 4 * d + 4 * (w * w + w) + ff * w + ff + w * ff + w;
    long outside =
        w * c.derived().patchDim()
            + w // patch_embed.proj
            + w * c.textDim()
            + w // patch_embed.text_proj
            + e * w
            + e
            + e * e
            + e // time_embedding
            + 2 * w // norm_final
            + 2 * w * e
            + 2 * w
            + 2 * w // norm_out
            + c.derived().patchDim() * w
            + c.derived().patchDim(); // proj_out
    assertThat(base).isEqualTo(c.layers() * block + outside);
    assertThat(base).isBetween(5_000_000_000L, 6_000_000_000L); // "about 5 billion"

    assertThat(total).isBetween(7_000_000_000L, 7_500_000_000L);
  }
}
