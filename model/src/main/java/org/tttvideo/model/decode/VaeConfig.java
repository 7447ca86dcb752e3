package org.tttvideo.model.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration of a causal 3D VAE in the design of CogVideoX's ({@link CausalVaeDecoder}),
 * read from the same JSON keys as diffusers' {@code AutoencoderKLCogVideoX} config, so that our
 * trained model's {@code vae_config.json} and CogVideoX's {@code vae/config.json} both read here.
 * Keys this decoder does not use (the encoder's block types, sample sizes, ...) are ignored.
 *
 * @param latentChannels C, the latent channels
 * @param outChannels the decoded image channels (3)
 * @param blockOutChannels the encoder's channels per level, finest first (the decoder uses them in
 *     reverse); spatial compression is 2^(levels - 1)
 * @param layersPerBlock the encoder's resnets per level; the decoder has one more per level
 * @param normGroups group norm groups, dividing every channel count
 * @param normEps group norm epsilon
 * @param temporalCompression frames per latent frame (a power of two, at most 2^(levels - 1))
 * @param scalingFactor latents are divided by it before decoding
 */
public record VaeConfig(
    int latentChannels,
    int outChannels,
    List<Integer> blockOutChannels,
    int layersPerBlock,
    int normGroups,
    float normEps,
    int temporalCompression,
    float scalingFactor) {

  public VaeConfig {
    blockOutChannels = List.copyOf(blockOutChannels);
    if (blockOutChannels.isEmpty()) {
      throw new IllegalArgumentException("block_out_channels must name at least one level");
    }
    for (int c : blockOutChannels) {
      if (c <= 0 || c % normGroups != 0) {
        throw new IllegalArgumentException(
            "block_out_channels "
                + blockOutChannels
                + " must be positive multiples of norm_num_groups "
                + normGroups);
      }
    }
    if (Integer.bitCount(temporalCompression) != 1
        || temporalCompression > spatialCompressionOf(blockOutChannels)) {
      throw new IllegalArgumentException(
          "temporal_compression_ratio must be a power of two at most the spatial compression "
              + spatialCompressionOf(blockOutChannels)
              + ", got "
              + temporalCompression);
    }
    if (latentChannels <= 0 || outChannels <= 0 || layersPerBlock < 0 || scalingFactor <= 0) {
      throw new IllegalArgumentException(
          "latent_channels, out_channels and scaling_factor must be positive and"
              + " layers_per_block at least 0");
    }
  }

  private static int spatialCompressionOf(List<Integer> channels) {
    return 1 << (channels.size() - 1);
  }

  /** Pixels per latent pixel along each side. */
  public int spatialCompression() {
    return spatialCompressionOf(blockOutChannels);
  }

  /** How many of the decoder's up blocks (coarsest first) also double time. */
  public int timeLevels() {
    return Integer.numberOfTrailingZeros(temporalCompression);
  }

  /**
   * Every tensor the decoder reads ({@link CausalVaeDecoder#PREFIX} included) with its shape, in
   * the decoder's order: what a model's weights must hold for this VAE, nothing more.
   */
  public Map<String, int[]> decoderShapes() {
    Map<String, int[]> m = new LinkedHashMap<>();
    int n = blockOutChannels.size();
    int[] ch = new int[n];
    for (int i = 0; i < n; i++) {
      ch[i] = blockOutChannels.get(n - 1 - i);
    }
    conv(m, "conv_in.conv", latentChannels, ch[0], 3, 3, 3);
    resnets(m, "mid_block", ch[0], ch[0], 2);
    int cout = ch[0];
    for (int i = 0; i < n; i++) {
      int cin = cout;
      cout = ch[i];
      resnets(m, "up_blocks." + i, cin, cout, layersPerBlock + 1);
      if (i < n - 1) {
        conv(m, "up_blocks." + i + ".upsamplers.0.conv", cout, cout, 3, 3);
      }
    }
    spatialNorm(m, "norm_out", cout);
    conv(m, "conv_out.conv", cout, outChannels, 3, 3, 3);
    return m;
  }

  private void resnets(Map<String, int[]> m, String block, int cin, int cout, int layers) {
    for (int j = 0; j < layers; j++) {
      String r = block + ".resnets." + j;
      int in = j == 0 ? cin : cout;
      spatialNorm(m, r + ".norm1", in);
      conv(m, r + ".conv1.conv", in, cout, 3, 3, 3);
      spatialNorm(m, r + ".norm2", cout);
      conv(m, r + ".conv2.conv", cout, cout, 3, 3, 3);
      if (in != cout) {
        conv(m, r + ".conv_shortcut", in, cout, 1, 1, 1);
      }
    }
  }

  private void spatialNorm(Map<String, int[]> m, String name, int channels) {
    m.put(CausalVaeDecoder.PREFIX + name + ".norm_layer.weight", new int[] {channels});
    m.put(CausalVaeDecoder.PREFIX + name + ".norm_layer.bias", new int[] {channels});
    conv(m, name + ".conv_y.conv", latentChannels, channels, 1, 1, 1);
    conv(m, name + ".conv_b.conv", latentChannels, channels, 1, 1, 1);
  }

  private static void conv(Map<String, int[]> m, String name, int cin, int cout, int... kernel) {
    int[] shape = new int[2 + kernel.length];
    shape[0] = cout;
    shape[1] = cin;
    System.arraycopy(kernel, 0, shape, 2, kernel.length);
    m.put(CausalVaeDecoder.PREFIX + name + ".weight", shape);
    m.put(CausalVaeDecoder.PREFIX + name + ".bias", new int[] {cout});
  }

  /** Reads a diffusers-style VAE config. */
  public static VaeConfig read(InputStream json) throws IOException {
    JsonNode n = new ObjectMapper().readTree(json);
    List<Integer> channels = new ArrayList<>();
    for (JsonNode c : required(n, "block_out_channels")) {
      channels.add(c.asInt());
    }
    return new VaeConfig(
        required(n, "latent_channels").asInt(),
        n.path("out_channels").asInt(3),
        channels,
        required(n, "layers_per_block").asInt(),
        required(n, "norm_num_groups").asInt(),
        (float) n.path("norm_eps").asDouble(1e-6),
        n.path("temporal_compression_ratio").asInt(4),
        (float) n.path("scaling_factor").asDouble(1.0));
  }

  private static JsonNode required(JsonNode n, String key) throws IOException {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      throw new IOException("VAE config has no '" + key + "'");
    }
    return v;
  }
}
