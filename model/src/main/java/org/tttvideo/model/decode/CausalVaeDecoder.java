package org.tttvideo.model.decode;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;

/**
 * The decoder of a causal 3D VAE in the design of CogVideoX's, built from a {@link VaeConfig} and
 * tensors under diffusers' names ({@code decoder.conv_in.conv.weight}, {@code
 * decoder.up_blocks.0.resnets.1.norm2.conv_y.conv.weight}, ...): the same code decodes our trained
 * model and, with CogVideoX's configuration, CogVideoX's VAE. Its PyTorch twin is {@code
 * tools/train/cogvideox_vae.py}.
 *
 * <pre>
 * conv_in (causal 3x3x3)  ->  mid_block: 2 resnets
 *   -> up_blocks[i], coarsest first: layers_per_block + 1 resnets, then (not the last) a nearest 2x
 *      upsampling in space (and in time for the first log2(temporal compression) blocks) and a
 *      3x3 conv
 *   -> norm_out (spatial norm), SiLU, conv_out (causal 3x3x3)  ->  pixels in [-1, 1]
 * resnet(x) = shortcut(x) + conv2(SiLU(norm2(conv1(SiLU(norm1(x))))))
 * spatial norm(f, z) = groupnorm(f) * conv_y(z↑) + conv_b(z↑),  z↑ = z resized to f (nearest)
 * </pre>
 *
 * <p>One {@link #decode} call decodes one chunk (here: one segment's latent frames) with the cache
 * of the previous call: every causal convolution with temporal kernel k prepends the last k − 1
 * frames it saw, or k − 1 copies of the video's first frame at its start; group norm statistics are
 * the chunk's. The video's first latent frame is an image: it decodes to one frame, every other
 * latent frame to {@code temporalCompression} frames.
 *
 * <p>Compute: the convolutions (nearly all of the work) run as direct convolutions ({@link Conv3d})
 * on the {@link Compute} backend's threads, as do the norms ({@link SpatialNorm}); SiLU is the
 * backend's; resizing and the residual sums are plain loops per frame on the backend's threads.
 * Activations are channels first, {@code [T, C, H, W]} (the latents' layout), so that a channel's
 * rows are contiguous for the convolution kernel; the decoded frames and the cache keep their
 * channels-last layout.
 *
 * <p>Legend: T x C x H x W = frames, channels, height and width of an activation, k = kernel size,
 * z = the chunk's latents (unscaled).
 */
public final class CausalVaeDecoder implements LatentDecoder {
  /** The tensor name prefix of the decoder inside a VAE checkpoint. */
  public static final String PREFIX = "decoder.";

  private final VaeConfig config;
  private final int latentHeight;
  private final int latentWidth;
  private final Map<String, Conv3d> convs = new HashMap<>();
  private final Map<String, SpatialNorm> norms = new HashMap<>();

  /** An activation, channels first: {@code [t, c, h, w]}. */
  record Act(float[] d, int t, int h, int w, int c) {
    int frameSize() {
      return h * w * c;
    }
  }

  /**
   * @param weights the VAE's tensors (names with {@link #PREFIX}; others, such as the encoder's,
   *     are ignored)
   * @throws IllegalArgumentException naming the first missing or mis-shaped tensor
   */
  public CausalVaeDecoder(
      VaeConfig config, int latentHeight, int latentWidth, Map<String, Tensor> weights) {
    this.config = config;
    this.latentHeight = latentHeight;
    this.latentWidth = latentWidth;
    int zc = config.latentChannels();
    int[] ch = reversedChannels();
    conv(weights, "conv_in.conv", zc, ch[0], 3, 3, 3);
    resnets(weights, "mid_block", ch[0], ch[0], 2);
    int cout = ch[0];
    for (int i = 0; i < ch.length; i++) {
      int cin = cout;
      cout = ch[i];
      resnets(weights, "up_blocks." + i, cin, cout, config.layersPerBlock() + 1);
      if (i < ch.length - 1) {
        conv(weights, "up_blocks." + i + ".upsamplers.0.conv", cout, cout, 1, 3, 3);
      }
    }
    spatialNorm(weights, "norm_out", cout);
    conv(weights, "conv_out.conv", cout, config.outChannels(), 3, 3, 3);
  }

  /** The configuration. */
  public VaeConfig config() {
    return config;
  }

  private int[] reversedChannels() {
    int n = config.blockOutChannels().size();
    int[] ch = new int[n];
    for (int i = 0; i < n; i++) {
      ch[i] = config.blockOutChannels().get(n - 1 - i);
    }
    return ch;
  }

  private void resnets(Map<String, Tensor> w, String block, int cin, int cout, int layers) {
    for (int j = 0; j < layers; j++) {
      String r = block + ".resnets." + j;
      int in = j == 0 ? cin : cout;
      spatialNorm(w, r + ".norm1", in);
      conv(w, r + ".conv1.conv", in, cout, 3, 3, 3);
      spatialNorm(w, r + ".norm2", cout);
      conv(w, r + ".conv2.conv", cout, cout, 3, 3, 3);
      if (in != cout) {
        conv(w, r + ".conv_shortcut", in, cout, 1, 1, 1);
      }
    }
  }

  private void spatialNorm(Map<String, Tensor> w, String name, int channels) {
    float[] gamma = take(w, name + ".norm_layer.weight", channels).data();
    float[] beta = take(w, name + ".norm_layer.bias", channels).data();
    conv(w, name + ".conv_y.conv", config.latentChannels(), channels, 1, 1, 1);
    conv(w, name + ".conv_b.conv", config.latentChannels(), channels, 1, 1, 1);
    norms.put(
        name,
        new SpatialNorm(
            channels,
            config.normGroups(),
            config.normEps(),
            gamma,
            beta,
            convs.get(name + ".conv_y.conv"),
            convs.get(name + ".conv_b.conv")));
  }

  private void conv(Map<String, Tensor> w, String name, int cin, int cout, int kt, int kh, int kw) {
    Tensor weight =
        kt == 1 && name.endsWith("upsamplers.0.conv")
            ? take(w, name + ".weight", cout, cin, kh, kw)
            : take(w, name + ".weight", cout, cin, kt, kh, kw);
    Tensor bias = take(w, name + ".bias", cout);
    convs.put(name, new Conv3d(name, cin, cout, kt, kh, kw, weight.data(), bias.data()));
  }

  private static Tensor take(Map<String, Tensor> w, String name, int... shape) {
    Tensor t = w.get(PREFIX + name);
    if (t == null || !Arrays.equals(t.shape(), shape)) {
      throw new IllegalArgumentException(
          "VAE decoder tensor '"
              + PREFIX
              + name
              + "' must have shape "
              + Arrays.toString(shape)
              + ", got "
              + (t == null ? "nothing" : Arrays.toString(t.shape())));
    }
    return t;
  }

  @Override
  public Result decode(Compute c, Tensor latents, DecoderCache cache) {
    int zc = config.latentChannels();
    if (latents.rank() != 4
        || latents.dim(1) != zc
        || latents.dim(2) != latentHeight
        || latents.dim(3) != latentWidth) {
      throw new IllegalArgumentException(
          "latents must be [F, "
              + zc
              + ", "
              + latentHeight
              + ", "
              + latentWidth
              + "], got "
              + latents);
    }
    int f = latents.dim(0);
    float[] src = latents.data();
    float[] z = new float[src.length];
    float inv = 1f / config.scalingFactor();
    for (int i = 0; i < z.length; i++) {
      z[i] = src[i] * inv;
    }
    Act zq = new Act(z, f, latentHeight, latentWidth, zc);
    boolean first = cache.decodedFrames() == 0;
    Map<String, Tensor> next = new TreeMap<>();
    Act x = causalConv(c, convs.get("conv_in.conv"), zq, cache, next);
    x = resnets(c, "mid_block", 2, x, zq, first, cache, next);
    int[] ch = reversedChannels();
    for (int i = 0; i < ch.length; i++) {
      x = resnets(c, "up_blocks." + i, config.layersPerBlock() + 1, x, zq, first, cache, next);
      if (i < ch.length - 1) {
        x = upsample(c, x, first, i < config.timeLevels());
        x = perFrame(c, convs.get("up_blocks." + i + ".upsamplers.0.conv"), x);
      }
    }
    x = silu(c, spatialNorm(c, "norm_out", x, zq, first));
    x = causalConv(c, convs.get("conv_out.conv"), x, cache, next);
    float[] px = channelsLast(x.d(), x.t(), x.h(), x.w(), x.c());
    for (int i = 0; i < px.length; i++) {
      px[i] = Math.min(1f, Math.max(0f, (px[i] + 1f) * 0.5f));
    }
    return new Result(
        Tensor.of(px, x.t(), x.h(), x.w(), x.c()),
        new DecoderCache(next, cache.decodedFrames() + f));
  }

  private Act resnets(
      Compute c,
      String block,
      int layers,
      Act x,
      Act zq,
      boolean first,
      DecoderCache cache,
      Map<String, Tensor> next) {
    for (int j = 0; j < layers; j++) {
      String r = block + ".resnets." + j;
      Act h = silu(c, spatialNorm(c, r + ".norm1", x, zq, first));
      h = causalConv(c, convs.get(r + ".conv1.conv"), h, cache, next);
      h = silu(c, spatialNorm(c, r + ".norm2", h, zq, first));
      h = causalConv(c, convs.get(r + ".conv2.conv"), h, cache, next);
      Conv3d shortcut = convs.get(r + ".conv_shortcut");
      Act s = shortcut == null ? x : perFrame(c, shortcut, x);
      float[] hd = h.d();
      float[] sd = s.d();
      int size = h.frameSize();
      c.forEachTask(
          h.t(),
          hd.length,
          t -> {
            for (int i = t * size; i < (t + 1) * size; i++) {
              hd[i] += sd[i];
            }
          });
      x = h;
    }
    return x;
  }

  /**
   * Group norm of f over the chunk, modulated by the latents resized to f ({@link SpatialNorm}).
   */
  private Act spatialNorm(Compute c, String name, Act f, Act zq, boolean first) {
    return norms.get(name).apply(c, f, zq, first);
  }

  /** {@code x · sigmoid(x)}, on the backend. */
  private static Act silu(Compute c, Act a) {
    Tensor x = Tensor.of(a.d(), a.d().length);
    return new Act(c.mul(x, c.sigmoid(x)).data(), a.t(), a.h(), a.w(), a.c());
  }

  /** Nearest 2x in space, and in time (the video's first frame once) when {@code time}. */
  private static Act upsample(Compute c, Act x, boolean first, boolean time) {
    int t2 = time ? (first ? 2 * x.t() - 1 : 2 * x.t()) : x.t();
    int h2 = 2 * x.h();
    int w2 = 2 * x.w();
    int ch = x.c();
    float[] in = x.d();
    float[] out = new float[t2 * ch * h2 * w2];
    c.forEachTask(
        t2,
        out.length,
        t -> {
          int st = !time ? t : first ? (t + 1) / 2 : t / 2;
          for (int k = 0; k < ch; k++) {
            for (int y = 0; y < x.h(); y++) {
              int from = ((st * ch + k) * x.h() + y) * x.w();
              int to = ((t * ch + k) * h2 + 2 * y) * w2;
              for (int xx = 0; xx < w2; xx++) {
                out[to + xx] = in[from + xx / 2];
              }
              System.arraycopy(out, to, out, to + w2, w2);
            }
          }
        });
    return new Act(out, t2, h2, w2, ch);
  }

  /** [T, H, W, C] -> [T, C, H, W]. */
  private static float[] channelsFirst(float[] src, int t, int h, int w, int c) {
    float[] out = new float[t * c * h * w];
    int plane = h * w;
    for (int f = 0; f < t; f++) {
      for (int p = 0; p < plane; p++) {
        for (int k = 0; k < c; k++) {
          out[(f * c + k) * plane + p] = src[(f * plane + p) * c + k];
        }
      }
    }
    return out;
  }

  /** [T, C, H, W] -> [T, H, W, C]. */
  private static float[] channelsLast(float[] src, int t, int h, int w, int c) {
    float[] out = new float[t * c * h * w];
    int plane = h * w;
    for (int f = 0; f < t; f++) {
      for (int k = 0; k < c; k++) {
        for (int p = 0; p < plane; p++) {
          out[(f * plane + p) * c + k] = src[(f * c + k) * plane + p];
        }
      }
    }
    return out;
  }

  /** A convolution of one frame at a time (kt = 1): the 1x1x1 ones and the upsamplers' Conv2d. */
  static Act perFrame(Compute c, Conv3d k, Act x) {
    return new Act(frames(c, k, new Act[] {x}, new int[0], x), x.t(), x.h(), x.w(), k.cout);
  }

  /**
   * A causal 3D convolution: time padded with the cache (or copies of the first frame at the
   * video's start), space with zeros; its last kt − 1 input frames become the cache under its name.
   */
  private static Act causalConv(
      Compute c, Conv3d k, Act x, DecoderCache cache, Map<String, Tensor> next) {
    if (k.kt == 1) {
      return perFrame(c, k, x);
    }
    int pad = k.kt - 1;
    Tensor cached = cache.tensors().get(k.name);
    Act before;
    if (cached != null) {
      if (cached.rank() != 4
          || cached.dim(0) != pad
          || cached.dim(1) != x.h()
          || cached.dim(2) != x.w()
          || cached.dim(3) != x.c()) {
        throw new IllegalArgumentException(
            "decoder cache '"
                + k.name
                + "' must be ["
                + pad
                + ", "
                + x.h()
                + ", "
                + x.w()
                + ", "
                + x.c()
                + "], got "
                + cached);
      }
      before =
          new Act(channelsFirst(cached.data(), pad, x.h(), x.w(), x.c()), pad, x.h(), x.w(), x.c());
    } else {
      float[] copies = new float[pad * x.frameSize()];
      for (int i = 0; i < pad; i++) {
        System.arraycopy(x.d(), 0, copies, i * x.frameSize(), x.frameSize());
      }
      before = new Act(copies, pad, x.h(), x.w(), x.c());
    }
    // The padded sequence is before ++ x.
    float[] out = frames(c, k, new Act[] {before, x}, new int[] {pad}, x);
    int total = pad + x.t();
    float[] keep = new float[pad * x.frameSize()];
    for (int i = 0; i < pad; i++) {
      int j = total - pad + i;
      Act p = j < pad ? before : x;
      int f = j < pad ? j : j - pad;
      System.arraycopy(p.d(), f * x.frameSize(), keep, i * x.frameSize(), x.frameSize());
    }
    // The cache keeps the layout it has always had (channels last): other code stores it.
    next.put(
        k.name, Tensor.of(channelsLast(keep, pad, x.h(), x.w(), x.c()), pad, x.h(), x.w(), x.c()));
    return new Act(out, x.t(), x.h(), x.w(), k.cout);
  }

  /**
   * The convolution over the frames of {@code parts} one after the other ({@code parts[0]}'s, then
   * {@code parts[1]}'s, ...; {@code counts[i]} frames of part i, the last part all of its frames),
   * giving one output frame per frame of {@code x}.
   */
  private static float[] frames(Compute c, Conv3d k, Act[] parts, int[] counts, Act x) {
    int n = x.t() + k.kt - 1;
    float[][] data = new float[n][];
    int[] offset = new int[n];
    int j = 0;
    for (int p = 0; p < parts.length; p++) {
      int m = p < counts.length ? counts[p] : n - j;
      for (int f = 0; f < m; f++, j++) {
        data[j] = parts[p].d();
        offset[j] = f * x.frameSize();
      }
    }
    return k.apply(c, data, offset, x.t(), x.h(), x.w());
  }
}
