package org.tttvideo.model.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.naive.NaiveCompute;
import org.tttvideo.model.compute.vector.VectorCompute;
import org.tttvideo.model.weights.SafetensorsFile;

/**
 * The Java VAE decoder against its PyTorch twin ({@code tools/train/cogvideox_vae.py}): a seeded
 * miniature VAE decoding two chunks of a video with the cache, written by {@code
 * tools/train/make_vae_reference.py} into {@code decode/vae_reference.safetensors}.
 */
class CausalVaeDecoderTest {
  private static VaeConfig config;
  private static Map<String, Tensor> weights;
  private static Tensor latents;
  private static Tensor frames0;
  private static Tensor frames1;

  @BeforeAll
  static void load() throws IOException, URISyntaxException {
    try (InputStream in =
        CausalVaeDecoderTest.class.getResourceAsStream("/decode/vae_reference_config.json")) {
      config = VaeConfig.read(in);
    }
    Path file =
        Path.of(
            CausalVaeDecoderTest.class.getResource("/decode/vae_reference.safetensors").toURI());
    weights = new HashMap<>();
    SafetensorsFile st = SafetensorsFile.open(file);
    for (String name : st.names()) {
      weights.put(name, st.readTensor(name));
    }
    latents = weights.get("latents");
    frames0 = weights.get("frames.0");
    frames1 = weights.get("frames.1");
  }

  private static Tensor frames(Tensor t, int from, int to) {
    int per = t.size() / t.dim(0);
    float[] d = new float[(to - from) * per];
    System.arraycopy(t.data(), from * per, d, 0, d.length);
    int[] shape = t.shape().clone();
    shape[0] = to - from;
    return Tensor.of(d, shape);
  }

  private static float maxAbsDiff(Tensor a, Tensor b) {
    assertThat(a.shape()).containsExactly(b.shape());
    float m = 0;
    for (int i = 0; i < a.size(); i++) {
      m = Math.max(m, Math.abs(a.get(i) - b.get(i)));
    }
    return m;
  }

  @Test
  void readsTheDiffusersStyleConfig() {
    assertThat(config.blockOutChannels()).containsExactly(4, 8, 8);
    assertThat(config.latentChannels()).isEqualTo(2);
    assertThat(config.spatialCompression()).isEqualTo(4);
    assertThat(config.timeLevels()).isEqualTo(1);
    assertThat(config.scalingFactor()).isEqualTo(0.5f);
  }

  /** Two chunks with the cache, on both backends, within 1e-5 of PyTorch (fp32). */
  @Test
  void decodesTwoChunksWithTheCacheAsPyTorchDoes() {
    for (Compute c : new Compute[] {new NaiveCompute(), new VectorCompute(2)}) {
      CausalVaeDecoder d = new CausalVaeDecoder(config, 2, 3, weights);
      LatentDecoder.Result a = d.decode(c, frames(latents, 0, 3), DecoderCache.EMPTY);
      LatentDecoder.Result b = d.decode(c, frames(latents, 3, 5), a.cache());
      assertThat(a.frames().shape()).containsExactly(5, 8, 12, 3);
      assertThat(b.frames().shape()).containsExactly(4, 8, 12, 3);
      assertThat(maxAbsDiff(a.frames(), frames0)).as(c.name()).isLessThan(1e-5f);
      assertThat(maxAbsDiff(b.frames(), frames1)).as(c.name()).isLessThan(1e-5f);
      assertThat(b.cache().decodedFrames()).isEqualTo(5);
      // One entry per causal 3x3x3 convolution: conv_in, 2 per resnet (2 mid + 2 x 3 up), conv_out.
      assertThat(b.cache().tensors()).hasSize(1 + 2 * (2 + 6) + 1);
      assertThat(b.cache().tensor("conv_in.conv").shape()).containsExactly(2, 2, 3, 2);
    }
  }

  /** Without the cache the second chunk decodes as a video's start: other frames, other count. */
  @Test
  void theCacheCarriesTheCausalContext() {
    CausalVaeDecoder d = new CausalVaeDecoder(config, 2, 3, weights);
    Compute c = new NaiveCompute();
    LatentDecoder.Result a = d.decode(c, frames(latents, 0, 3), DecoderCache.EMPTY);
    DecoderCache other = new DecoderCache(a.cache().tensors(), 3);
    Tensor alone = d.decode(c, frames(latents, 3, 5), DecoderCache.EMPTY).frames();
    assertThat(alone.dim(0)).isEqualTo(3);
    Map<String, Tensor> zeroed = new HashMap<>();
    a.cache().tensors().forEach((k, v) -> zeroed.put(k, Tensor.zeros(v.shape())));
    Tensor wrongContext = d.decode(c, frames(latents, 3, 5), new DecoderCache(zeroed, 3)).frames();
    assertThat(maxAbsDiff(wrongContext, frames1)).isGreaterThan(1e-3f);
    assertThat(maxAbsDiff(d.decode(c, frames(latents, 3, 5), other).frames(), frames1))
        .isLessThan(1e-5f);
  }

  /** What a model's weights must hold for this VAE is exactly the decoder.* tensors of the file. */
  @Test
  void theConfigListsExactlyTheTensorsTheDecoderReads() {
    Map<String, int[]> shapes = config.decoderShapes();
    Map<String, Tensor> decoderTensors = new TreeMap<>();
    weights.forEach(
        (k, v) -> {
          if (k.startsWith(CausalVaeDecoder.PREFIX)) {
            decoderTensors.put(k, v);
          }
        });
    assertThat(shapes.keySet()).containsExactlyInAnyOrderElementsOf(decoderTensors.keySet());
    decoderTensors.forEach((k, v) -> assertThat(shapes.get(k)).as(k).containsExactly(v.shape()));
    assertThat(shapes).containsKey("decoder.up_blocks.0.upsamplers.0.conv.weight");
    assertThat(shapes.get("decoder.up_blocks.0.upsamplers.0.conv.weight"))
        .containsExactly(8, 8, 3, 3);
    CausalVaeDecoder fromOnlyThose = new CausalVaeDecoder(config, 2, 3, decoderTensors);
    assertThat(fromOnlyThose.config()).isEqualTo(config);
  }

  @Test
  void aMissingOrMisShapedTensorIsNamed() {
    Map<String, Tensor> w = new HashMap<>(weights);
    w.remove("decoder.up_blocks.1.resnets.0.norm2.conv_y.conv.weight");
    assertThatThrownBy(() -> new CausalVaeDecoder(config, 2, 3, w))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "VAE decoder tensor 'decoder.up_blocks.1.resnets.0.norm2.conv_y.conv.weight' must have"
                + " shape [8, 2, 1, 1, 1], got nothing");
    w.put("decoder.conv_in.conv.bias", Tensor.zeros(7));
    assertThatThrownBy(() -> new CausalVaeDecoder(config, 2, 3, w))
        .hasMessage("VAE decoder tensor 'decoder.conv_in.conv.bias' must have shape [8], got [7]");
  }

  @Test
  void rejectsLatentsOfAnotherSize() {
    CausalVaeDecoder d = new CausalVaeDecoder(config, 2, 3, weights);
    assertThatThrownBy(
            () -> d.decode(new NaiveCompute(), Tensor.zeros(1, 2, 3, 3), DecoderCache.EMPTY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("latents must be [F, 2, 2, 3], got " + Tensor.zeros(1, 2, 3, 3));
  }
}
