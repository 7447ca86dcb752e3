package org.tttvideo.model.decode;

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
 * row, so that the per-element work is one loop over the row's W x C values that C2 vectorises.
 * Statistics and output run per frame on the backend's threads; the per-frame sums add up in frame
 * order, so results do not depend on the thread count.
 *
 * <p>Legend: T x H x W x C = the activation (channels last), G = groups, C / G channels per group,
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
   * @param f [T, H, W, C]
   * @param zq the chunk's latents [Tz, Hz, Wz, C_z]
   * @param first whether the chunk starts the video (its first frame then maps to latent 0 alone)
   * @return [T, H, W, C], a new array
   */
  Act apply(Compute c, Act f, Act zq, boolean first) {
    int ch = channels;
    int per = ch / groups;
    int row = f.w() * ch;
    float[] d = f.d();
    // 1. Per frame and channel: sums of f and f² (rows summed per position in float, then in
    // double).
    double[][] sum = new double[f.t()][ch];
    double[][] sq = new double[f.t()][ch];
    c.forEachTask(
        f.t(),
        3.0 * d.length,
        t -> {
          float[] s = new float[row];
          float[] s2 = new float[row];
          for (int y = 0; y < f.h(); y++) {
            int at = (t * f.h() + y) * row;
            for (int j = 0; j < row; j++) {
              float v = d[at + j];
              s[j] += v;
              s2[j] += v * v;
            }
          }
          for (int j = 0, k = 0; j < row; j++, k = k + 1 == ch ? 0 : k + 1) {
            sum[t][k] += s[j];
            sq[t][k] += s2[j];
          }
        });
    double n = (double) f.t() * f.h() * f.w() * per;
    float[] mean = new float[ch];
    float[] rstd = new float[ch];
    for (int g = 0; g < groups; g++) {
      double s = 0;
      double s2 = 0;
      for (int t = 0; t < f.t(); t++) {
        for (int k = g * per; k < (g + 1) * per; k++) {
          s += sum[t][k];
          s2 += sq[t][k];
        }
      }
      double m = s / n;
      double var = Math.max(0, s2 / n - m * m);
      for (int k = g * per; k < (g + 1) * per; k++) {
        mean[k] = (float) m;
        rstd[k] = (float) (1.0 / Math.sqrt(var + eps));
      }
    }
    // 2. A and B per latent pixel and channel.
    float[] y = CausalVaeDecoder.perFrame(c, convY, zq).d();
    float[] b = CausalVaeDecoder.perFrame(c, convB, zq).d();
    float[] a = new float[y.length];
    for (int i = 0, k = 0; i < y.length; i++, k = k + 1 == ch ? 0 : k + 1) {
      a[i] = rstd[k] * gamma[k] * y[i];
      b[i] = beta[k] * y[i] + b[i];
    }
    // 3. (f − m) · A + B, A and B spread along each row through the nearest index maps.
    int[] ti = timeIndex(f.t(), zq.t(), first);
    int[] yi = nearest(f.h(), zq.h());
    int[] xi = nearest(f.w(), zq.w());
    float[] m = new float[row];
    for (int j = 0; j < row; j++) {
      m[j] = mean[j % ch];
    }
    float[] out = new float[d.length];
    c.forEachTask(
        f.t(),
        3.0 * d.length,
        t -> {
          float[] ar = new float[row];
          float[] br = new float[row];
          int spread = -1;
          for (int yy = 0; yy < f.h(); yy++) {
            int zrow = ti[t] * zq.h() + yi[yy];
            if (zrow != spread) {
              for (int x = 0; x < f.w(); x++) {
                int from = (zrow * zq.w() + xi[x]) * ch;
                System.arraycopy(a, from, ar, x * ch, ch);
                System.arraycopy(b, from, br, x * ch, ch);
              }
              spread = zrow;
            }
            int at = (t * f.h() + yy) * row;
            for (int j = 0; j < row; j++) {
              out[at + j] = (d[at + j] - m[j]) * ar[j] + br[j];
            }
          }
        });
    return new Act(out, f.t(), f.h(), f.w(), ch);
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
