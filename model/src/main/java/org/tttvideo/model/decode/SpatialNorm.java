package org.tttvideo.model.decode;

import java.util.Arrays;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.decode.CausalVaeDecoder.Act;

/**
 * CogVideoX's spatial norm, {@code groupnorm(f) * conv_y(z↑) + conv_b(z↑)}, with z↑ the latents
 * resized to f (nearest) and the group statistics over the whole chunk.
 *
 * <p>Since conv_y and conv_b are 1x1x1 they commute with the nearest resize: they run at the
 * latents' size, and the result is read through index maps. With {@code m}, {@code r} the group's
 * mean and 1 / std and {@code γ}, {@code β} the norm's affine weights, each element is {@code (f −
 * m) · A + B} where {@code A = r·γ·y} and {@code B = β·y + b} depend only on the channel and the
 * latent pixel: both are laid out once per latent pixel and then, per output row, spread along the
 * row, so that the per-element work is one loop over the row that C2 vectorises. Statistics and
 * output run per frame on the backend's threads; the per-frame sums add up in frame order, so
 * results do not depend on the thread count.
 *
 * <p>Legend: T x C x H x W = the activation (channels first), G = groups, C / G channels per group,
 * Tz x Hz x Wz = the latents' size.
 */
final class SpatialNorm {
  private final int channels;
  private final int groups;
  private final float eps;

  /** [C]. */
  private final float[] gamma;

  /** [C]. */
  private final float[] beta;

  /** C_z -> C, 1x1x1. */
  private final Conv3d convY;

  /** C_z -> C, 1x1x1. */
  private final Conv3d convB;

  SpatialNorm(
      int channels,
      int groups,
      float eps,
      float[] gamma,
      float[] beta,
      Conv3d convY,
      Conv3d convB) {
    this.channels = channels;
    this.groups = groups;
    this.eps = eps;
    this.gamma = gamma;
    this.beta = beta;
    this.convY = convY;
    this.convB = convB;
  }

  /**
   * @param f [T, C, H, W]
   * @param zq the chunk's latents [Tz, C_z, Hz, Wz]
   * @param first whether the chunk starts the video (its first frame then maps to latent 0 alone)
   * @return [T, C, H, W], a new array
   */
  Act apply(Compute c, Act f, Act zq, boolean first) {
    int ch = channels;
    int per = ch / groups;
    int h = f.h();
    int w = f.w();
    int plane = h * w;
    float[] d = f.d();
    // 1. Per frame and channel: sums of f and f², per column over the rows in float (a loop C2
    // vectorises, where one running sum would be a chain of dependent adds), then in double.
    double[] sum = new double[f.t() * ch];
    double[] sq = new double[f.t() * ch];
    c.forEachTask(
        f.t(),
        3.0 * d.length,
        t -> {
          float[] cs = new float[w];
          float[] cs2 = new float[w];
          for (int k = 0; k < ch; k++) {
            Arrays.fill(cs, 0);
            Arrays.fill(cs2, 0);
            for (int y = 0; y < h; y++) {
              int at = (t * ch + k) * plane + y * w;
              for (int x = 0; x < w; x++) {
                float v = d[at + x];
                cs[x] += v;
                cs2[x] += v * v;
              }
            }
            double s = 0;
            double s2 = 0;
            for (int x = 0; x < w; x++) {
              s += cs[x];
              s2 += cs2[x];
            }
            sum[t * ch + k] = s;
            sq[t * ch + k] = s2;
          }
        });
    double n = (double) f.t() * plane * per;
    float[] mean = new float[ch];
    float[] rstd = new float[ch];
    for (int g = 0; g < groups; g++) {
      double s = 0;
      double s2 = 0;
      for (int t = 0; t < f.t(); t++) {
        for (int k = g * per; k < (g + 1) * per; k++) {
          s += sum[t * ch + k];
          s2 += sq[t * ch + k];
        }
      }
      double m = s / n;
      double var = Math.max(0, s2 / n - m * m);
      for (int k = g * per; k < (g + 1) * per; k++) {
        mean[k] = (float) m;
        rstd[k] = (float) (1.0 / Math.sqrt(var + eps));
      }
    }
    // 2. A and B per latent pixel and channel, [Tz, C, Hz, Wz].
    float[] y = CausalVaeDecoder.perFrame(c, convY, zq).d();
    float[] b = CausalVaeDecoder.perFrame(c, convB, zq).d();
    float[] a = new float[y.length];
    int zplane = zq.h() * zq.w();
    for (int i = 0; i < y.length; i++) {
      int k = i / zplane % ch; // once per latent element, not per output element
      a[i] = rstd[k] * gamma[k] * y[i];
      b[i] = beta[k] * y[i] + b[i];
    }
    // 3. (f − m) · A + B, A and B spread along each row through the nearest index maps.
    int[] ti = timeIndex(f.t(), zq.t(), first);
    int[] yi = nearest(h, zq.h());
    int[] xi = nearest(w, zq.w());
    float[] out = new float[d.length];
    c.forEachTask(
        f.t(),
        3.0 * d.length,
        t -> {
          float[] ar = new float[w];
          float[] br = new float[w];
          for (int k = 0; k < ch; k++) {
            float m = mean[k];
            int spread = -1;
            for (int yy = 0; yy < h; yy++) {
              int zrow = ((ti[t] * ch + k) * zq.h() + yi[yy]) * zq.w();
              if (zrow != spread) {
                for (int x = 0; x < w; x++) {
                  ar[x] = a[zrow + xi[x]];
                  br[x] = b[zrow + xi[x]];
                }
                spread = zrow;
              }
              int at = (t * ch + k) * plane + yy * w;
              for (int x = 0; x < w; x++) {
                out[at + x] = (d[at + x] - m) * ar[x] + br[x];
              }
            }
          }
        });
    return new Act(out, f.t(), h, w, ch);
  }

  /** PyTorch's nearest index map from {@code out} positions to {@code in} ones. */
  static int[] nearest(int out, int in) {
    int[] m = new int[out];
    for (int i = 0; i < out; i++) {
      m[i] = Math.min(in - 1, (int) Math.floor(i * ((double) in / out)));
    }
    return m;
  }

  /** The time index map: at the video's start, frame 0 maps to latent 0 alone. */
  static int[] timeIndex(int out, int in, boolean first) {
    if (!(first && out > 1 && in > 1)) {
      return nearest(out, in);
    }
    int[] rest = nearest(out - 1, in - 1);
    int[] m = new int[out];
    for (int i = 1; i < out; i++) {
      m[i] = 1 + rest[i - 1];
    }
    return m;
  }
}
