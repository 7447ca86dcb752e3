package org.tttvideo.model.decode;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.config.ModelConfig;

/**
 * A learned causal patch decoder: every latent pixel of frame g, together with the same pixel of
 * frame g − 1 (from the cache across segments; zeros before the first frame), is mapped by one
 * linear layer to an r x s x s block of RGB pixels (r frames in time, s x s in space), squashed to
 * [0, 1]. A causal 2-frame convolution followed by a pixel shuffle.
 *
 * <pre>
 * rgb[g, t', y·s + i, x·s + j, :] = (tanh(W · [z_g(y, x) ; z_{g−1}(y, x)] + b) + 1) / 2
 * </pre>
 *
 * As in CogVideoX's VAE, the first latent frame of the video yields a single frame (the last of its
 * r), every other one r frames.
 *
 * <p>Legend: C = latent channels, h x w = latent size, r = temporal compression, s = spatial
 * compression, K = r·s·s·3 outputs per latent pixel.
 */
public final class LinearPatchDecoder implements LatentDecoder {
  public static final String PREFIX = "latent_decoder.";
  public static final String PROJ_WEIGHT = PREFIX + "proj.weight";
  public static final String PROJ_BIAS = PREFIX + "proj.bias";

  /** The name of the cached last latent frame ({@code [C, h, w]}) in the {@link DecoderCache}. */
  public static final String PREVIOUS_FRAME = "previous_frame";

  private final int ch;
  private final int h;
  private final int w;
  private final int r;
  private final int s;
  private final Tensor weight; // [K, 2C]
  private final Tensor bias; // [K]

  /** Names and shapes for {@code config}: present for presets with a built-in text encoder. */
  public static Map<String, int[]> shapes(ModelConfig config) {
    Map<String, int[]> m = new LinkedHashMap<>();
    if (config.vocabSize() > 0) {
      int k =
          config.temporalCompression()
              * config.spatialCompression()
              * config.spatialCompression()
              * 3;
      m.put(PROJ_WEIGHT, new int[] {k, 2 * config.latentChannels()});
      m.put(PROJ_BIAS, new int[] {k});
    }
    return m;
  }

  public LinearPatchDecoder(ModelConfig config, Map<String, Tensor> weights) {
    Map<String, int[]> expected = shapes(config);
    if (expected.isEmpty()) {
      throw new IllegalArgumentException(
          "preset '" + config.name() + "' has no built-in decoder: it needs the CogVideoX VAE");
    }
    for (Map.Entry<String, int[]> e : expected.entrySet()) {
      Tensor t = weights.get(e.getKey());
      if (t == null || !Arrays.equals(t.shape(), e.getValue())) {
        throw new IllegalArgumentException(
            "decoder tensor '"
                + e.getKey()
                + "' must have shape "
                + Arrays.toString(e.getValue())
                + ", got "
                + (t == null ? "nothing" : Arrays.toString(t.shape())));
      }
    }
    this.ch = config.latentChannels();
    this.h = config.latentHeight();
    this.w = config.latentWidth();
    this.r = config.temporalCompression();
    this.s = config.spatialCompression();
    this.weight = weights.get(PROJ_WEIGHT);
    this.bias = weights.get(PROJ_BIAS);
  }

  @Override
  public Result decode(Compute c, Tensor latents, DecoderCache cache) {
    int frames = latents.dim(0);
    if (latents.rank() != 4 || latents.dim(1) != ch || latents.dim(2) != h || latents.dim(3) != w) {
      throw new IllegalArgumentException(
          "latents must be [F, " + ch + ", " + h + ", " + w + "], got " + latents);
    }
    int plane = h * w;
    int frameSize = ch * plane;
    // Inputs [F, h, w, 2C]: the frame's channels, then the previous frame's.
    float[] in = new float[frames * plane * 2 * ch];
    float[] z = latents.data();
    for (int f = 0; f < frames; f++) {
      float[] prev;
      int prevBase;
      if (f > 0) {
        prev = z;
        prevBase = (f - 1) * frameSize;
      } else if (cache.tensor(PREVIOUS_FRAME) != null) {
        prev = cache.tensor(PREVIOUS_FRAME).data();
        prevBase = 0;
      } else {
        prev = null;
        prevBase = 0;
      }
      for (int p = 0; p < plane; p++) {
        int at = (f * plane + p) * 2 * ch;
        for (int k = 0; k < ch; k++) {
          in[at + k] = z[f * frameSize + k * plane + p];
          in[at + ch + k] = prev == null ? 0f : prev[prevBase + k * plane + p];
        }
      }
    }
    Tensor px = c.linear(Tensor.of(in, frames, plane, 2 * ch), weight, bias); // [F, h·w, K]
    px = c.scale(c.add(c.tanh(px), one()), 0.5f);
    float[] v = px.data();
    boolean videoStart = cache.decodedFrames() == 0;
    int outFrames = frames * r - (videoStart ? r - 1 : 0);
    int height = h * s;
    int width = w * s;
    float[] out = new float[outFrames * height * width * 3];
    int k = r * s * s * 3;
    int o = 0;
    for (int f = 0; f < frames; f++) {
      int firstSub = (videoStart && f == 0) ? r - 1 : 0;
      for (int t = firstSub; t < r; t++, o++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int src = (f * plane + y * w + x) * k + t * s * s * 3;
            for (int i = 0; i < s; i++) {
              int dst = ((o * height + y * s + i) * width + x * s) * 3;
              System.arraycopy(v, src + i * s * 3, out, dst, s * 3);
            }
          }
        }
      }
    }
    float[] last = new float[frameSize];
    System.arraycopy(z, (frames - 1) * frameSize, last, 0, frameSize);
    return new Result(
        Tensor.of(out, outFrames, height, width, 3),
        DecoderCache.of(PREVIOUS_FRAME, Tensor.of(last, ch, h, w), cache.decodedFrames() + frames));
  }

  private static Tensor one() {
    return Tensor.of(new float[] {1f}, 1);
  }
}
