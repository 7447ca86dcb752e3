package org.tttvideo.model.dit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.config.ModelConfig;

/** Patchify's token and feature order, and unpatchify as its exact inverse. */
class PatchEmbedTest {
  @Test
  void patchifyOrdersTokensByFrameRowColumnAndFeaturesByChannelRowColumn() {
    ModelConfig config = ModelConfig.tiny();
    int p = config.patchSize();
    int ch = config.latentChannels();
    int h = config.latentHeight();
    int w = config.latentWidth();
    int frames = 2;
    float[] v = new float[frames * ch * h * w];
    for (int i = 0; i < v.length; i++) {
      v[i] = i; // the value is the latent's flat index [b=0, f, c, y, x]
    }
    Tensor latents = Tensor.of(v, 1, frames, ch, h, w);
    PatchEmbed embed = new PatchEmbed(config, null, null);

    Tensor patches = embed.patchify(latents);

    int rows = h / p;
    int cols = w / p;
    assertThat(patches.shape()).containsExactly(1, frames * rows * cols, ch * p * p);
    // token (f = 1, r = rows - 1, q = 1), feature (c = ch - 1, pi = p - 1, qi = 1)
    int f = 1;
    int r = rows - 1;
    int q = 1;
    int c = ch - 1;
    int pi = p - 1;
    int qi = 1;
    int token = (f * rows + r) * cols + q;
    int feature = (c * p + pi) * p + qi;
    int latentIndex = ((f * ch + c) * h + r * p + pi) * w + q * p + qi;
    assertThat(patches.get(token * ch * p * p + feature)).isEqualTo((float) latentIndex);

    assertThat(embed.unpatchify(patches, frames).data()).containsExactly(v);
  }
}
