package org.tttvideo.model.dit;

import java.util.List;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.LinearWeight;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.config.ModelConfig;

/**
 * A segment's tokens ({@code patch_embed}, diffusers {@code CogVideoXPatchEmbed}): its text
 * embeddings projected to the width, then its latent frames cut into p x p patches, a stride-p
 * convolution written as a linear layer on flattened patches. Also the inverse cut, {@link
 * #unpatchify}, which turns {@code proj_out}'s patches back into latents.
 *
 * <p>Legend: B = batch, T = text tokens, V = video tokens, W = width, C = latent channels, p =
 * patch size, F = latent frames, h x w = latent rows x columns.
 */
public final class PatchEmbed {
  private final int patchSize; // p
  private final int channels; // C
  private final int height; // h
  private final int widthPixels; // w
  private final LinearWeight proj; // [W, C·p·p] (the conv kernel [W, C, p, p]), bias [W]
  private final LinearWeight textProj; // [W, textDim], bias [W]

  PatchEmbed(ModelConfig config, LinearWeight proj, LinearWeight textProj) {
    this.patchSize = config.patchSize();
    this.channels = config.latentChannels();
    this.height = config.latentHeight();
    this.widthPixels = config.latentWidth();
    this.proj = proj;
    this.textProj = textProj;
  }

  /**
   * @param latents {@code [B, F, C, h, w]}
   * @param text {@code [B, T, textDim]}
   * @return {@code [B, T + V, W]}
   */
  Tensor forward(Compute c, Tensor latents, Tensor text) {
    Tensor textTokens = c.linearBound(text, textProj); // [B, T, textDim] -> [B, T, W]
    Tensor videoTokens = c.linearBound(patchify(latents), proj); // [B, V, C·p·p] -> [B, V, W]
    return Tensors.cat1(List.of(textTokens, videoTokens));
  }

  /** {@code [B, F, C, h, w] -> [B, F·(h/p)·(w/p), C·p·p]}, patch vector in (c, pi, qi) order. */
  Tensor patchify(Tensor latents) {
    int nb = latents.dim(0);
    int frames = latents.dim(1);
    int ch = latents.dim(2);
    int h = latents.dim(3);
    int wd = latents.dim(4);
    int p = patchSize;
    float[] out = new float[nb * frames * (h / p) * (wd / p) * ch * p * p];
    copyPatches(latents.data(), out, nb, frames, ch, h, wd, true);
    return Tensor.of(out, nb, frames * (h / p) * (wd / p), ch * p * p);
  }

  /** {@code [B, F·(h/p)·(w/p), C·p·p] -> [B, F, C, h, w]}, the inverse of {@link #patchify}. */
  Tensor unpatchify(Tensor patches, int frames) {
    int nb = patches.dim(0);
    float[] out = new float[nb * frames * channels * height * widthPixels];
    copyPatches(out, patches.data(), nb, frames, channels, height, widthPixels, false);
    return Tensor.of(out, nb, frames, channels, height, widthPixels);
  }

  /**
   * The one index walk of both directions: the o-th patch element is latent element {@code rowBase
   * + qi}; {@code toPatches} copies latent to patches, else patches to latent.
   */
  private void copyPatches(
      float[] latent,
      float[] patches,
      int nb,
      int frames,
      int ch,
      int h,
      int wd,
      boolean toPatches) {
    int p = patchSize;
    int rows = h / p;
    int cols = wd / p;
    int o = 0;
    for (int b = 0; b < nb; b++) {
      for (int f = 0; f < frames; f++) {
        int frameBase = (b * frames + f) * ch * h * wd;
        for (int r = 0; r < rows; r++) {
          for (int q = 0; q < cols; q++) {
            for (int k = 0; k < ch; k++) {
              for (int pi = 0; pi < p; pi++) {
                int rowBase = frameBase + (k * h + r * p + pi) * wd + q * p;
                if (toPatches) {
                  System.arraycopy(latent, rowBase, patches, o, p);
                } else {
                  System.arraycopy(patches, o, latent, rowBase, p);
                }
                o += p;
              }
            }
          }
        }
      }
    }
  }
}
