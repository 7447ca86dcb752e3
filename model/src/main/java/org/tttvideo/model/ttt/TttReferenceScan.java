package org.tttvideo.model.ttt;

import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttKind;
import org.tttvideo.model.compute.TttScanInput;
import org.tttvideo.model.compute.TttScanResult;
import org.tttvideo.model.compute.TttState;

/**
 * The plain reference of the TTT scan ({@code TTT_SPEC.md} §3): per-token loops in double
 * precision, the gradient taken token by token and summed, the weights materialised after each
 * mini-batch. Slow and obvious on purpose; the fast backends ({@code Compute.tttScan}) are tested
 * against it.
 *
 * <p>Legend: B = batch, H = heads, L = tokens, D = head dim, F = inner width, M = mini-batch.
 */
public final class TttReferenceScan {
  /** Inner layer-norm epsilon (inside the root, biased variance). */
  public static final double INNER_LN_EPS = 1e-8;

  private TttReferenceScan() {}

  /**
   * The scan's results in double precision, before rounding to float32 (for tests that compare a
   * fast scan against more digits than float32 holds). Layouts as in {@link TttState}; {@code w2}
   * and {@code b2} are null for TTT-Linear.
   */
  public record Exact(double[] out, double[] w1, double[] b1, double[] w2, double[] b2) {}

  /** Same contract as {@code Compute.tttScan}. */
  public static TttScanResult scan(TttScanInput in) {
    TttState state = in.state();
    Tensor xq = in.xq();
    Exact e = exact(in);
    boolean mlp = state.kind() == TttKind.MLP;
    TttState next =
        new TttState(
            Tensor.of(toFloat(e.w1()), state.w1().shape()),
            Tensor.of(toFloat(e.b1()), state.b1().shape()),
            mlp ? Tensor.of(toFloat(e.w2()), state.w2().shape()) : null,
            mlp ? Tensor.of(toFloat(e.b2()), state.b2().shape()) : null);
    return new TttScanResult(Tensor.of(toFloat(e.out()), xq.shape()), next);
  }

  /** {@link #scan} without the final rounding to float32. */
  public static Exact exact(TttScanInput in) {
    TttState state = in.state();
    int miniBatch = in.miniBatch();
    int len = in.xq().dim(2);
    // [B, H, L, D] x 3, [B, H, L], [H, D] x 2
    float[][] x = {in.xq().data(), in.xk().data(), in.xv().data()};
    float[] eta = in.eta().data();
    float[] lnWeight = in.normWeight().data();
    float[] lnBias = in.normBias().data();
    boolean mlp = state.kind() == TttKind.MLP;
    int nb = state.batch();
    int nh = state.heads();
    int d = state.headDim();
    int f = state.innerWidth();
    if (len % miniBatch != 0) {
      throw new IllegalArgumentException(
          "sequence length " + len + " is not a multiple of the mini-batch size " + miniBatch);
    }
    double[] out = new double[nb * nh * len * d];
    double[] w1Out = new double[state.w1().size()];
    double[] b1Out = new double[state.b1().size()];
    double[] w2Out = mlp ? new double[state.w2().size()] : null;
    double[] b2Out = mlp ? new double[state.b2().size()] : null;

    for (int b = 0; b < nb; b++) {
      for (int h = 0; h < nh; h++) {
        int bh = b * nh + h;
        double[][] w1 = matrix(state.w1().data(), bh * d * f, d, f); // [D, F]
        double[] b1 = row(state.b1().data(), bh * f, f); // [F]
        double[][] w2 = mlp ? matrix(state.w2().data(), bh * f * d, f, d) : null; // [F, D]
        double[] b2 = mlp ? row(state.b2().data(), bh * d, d) : null; // [D]
        double[] lnW = row(lnWeight, h * d, d);
        double[] lnB = row(lnBias, h * d, d);

        for (int start = 0; start < len; start += miniBatch) {
          double[][] gw1 = new double[d][f];
          double[] gb1 = new double[f];
          double[][] gw2 = mlp ? new double[f][d] : null;
          double[] gb2 = mlp ? new double[d] : null;
          // 1. Gradient of each token's loss at the weights of the mini-batch start, summed.
          for (int j = start; j < start + miniBatch; j++) {
            int tok = (bh * len + j) * d;
            double[] k = row(x[1], tok, d);
            double[] v = row(x[2], tok, d);
            double[] target = new double[d];
            for (int i = 0; i < d; i++) {
              target[i] = v[i] - k[i];
            }
            double e = eta[bh * len + j];
            if (mlp) {
              double[] z1 = affine(k, w1, b1); // [F]
              double[] x2 = new double[f];
              for (int i = 0; i < f; i++) {
                x2[i] = gelu(z1[i]);
              }
              double[] z2 = affine(x2, w2, b2); // [D]
              double[] g2 = lnL2Backward(z2, target, lnW, lnB); // [D]
              double[] g1 = new double[f]; // (g2 W2ᵀ) ⊙ gelu'(z1), old W2
              for (int i = 0; i < f; i++) {
                double s = 0;
                for (int o = 0; o < d; o++) {
                  s += g2[o] * w2[i][o];
                }
                g1[i] = s * geluDerivative(z1[i]);
              }
              accumulateOuter(gw1, gb1, k, g1, e);
              accumulateOuter(gw2, gb2, x2, g2, e);
            } else {
              double[] z = affine(k, w1, b1); // [D]
              double[] g = lnL2Backward(z, target, lnW, lnB);
              accumulateOuter(gw1, gb1, k, g, e);
            }
          }
          // 2. One step with the whole mini-batch's gradient.
          subtract(w1, b1, gw1, gb1);
          if (mlp) {
            subtract(w2, b2, gw2, gb2);
          }
          // 3. Every query of the mini-batch reads the updated weights.
          for (int i = start; i < start + miniBatch; i++) {
            int tok = (bh * len + i) * d;
            double[] q = row(x[0], tok, d);
            double[] z = mlp ? affine(geluAll(affine(q, w1, b1)), w2, b2) : affine(q, w1, b1);
            double[] ln = layerNorm(z, lnW, lnB);
            for (int o = 0; o < d; o++) {
              out[tok + o] = q[o] + ln[o];
            }
          }
        }
        store(w1, w1Out, bh * d * f);
        store(b1, b1Out, bh * f);
        if (mlp) {
          store(w2, w2Out, bh * f * d);
          store(b2, b2Out, bh * d);
        }
      }
    }
    return new Exact(out, w1Out, b1Out, w2Out, b2Out);
  }

  private static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  /** GELU, tanh approximation. */
  public static double gelu(double x) {
    double c = Math.sqrt(2 / Math.PI);
    return 0.5 * x * (1 + Math.tanh(c * (x + 0.044715 * x * x * x)));
  }

  /** Exact derivative of the tanh-approximated GELU. */
  public static double geluDerivative(double x) {
    double c = Math.sqrt(2 / Math.PI);
    double t = Math.tanh(c * (x + 0.044715 * x * x * x));
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x);
  }

  /** {@code LN(z) = w ⊙ (z − mean) / sqrt(var + eps) + b}, biased variance. */
  static double[] layerNorm(double[] z, double[] w, double[] b) {
    int n = z.length;
    double mean = mean(z);
    double sigma = sigma(z, mean);
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = w[i] * (z[i] - mean) / sigma + b[i];
    }
    return y;
  }

  /**
   * {@code ∂/∂z ½‖LN(z) − target‖²}, the layer-norm backward written out: {@code γ = (LN(z) −
   * target) ⊙ w}, {@code g = (n·γ − Σγ − x̂ ⊙ Σ(γ ⊙ x̂)) / (n·σ)}.
   */
  static double[] lnL2Backward(double[] z, double[] target, double[] w, double[] b) {
    int n = z.length;
    double mean = mean(z);
    double sigma = sigma(z, mean);
    double[] xhat = new double[n];
    double[] gamma = new double[n];
    double sumGamma = 0;
    double sumGammaXhat = 0;
    for (int i = 0; i < n; i++) {
      xhat[i] = (z[i] - mean) / sigma;
      gamma[i] = (w[i] * xhat[i] + b[i] - target[i]) * w[i];
      sumGamma += gamma[i];
      sumGammaXhat += gamma[i] * xhat[i];
    }
    double[] g = new double[n];
    for (int i = 0; i < n; i++) {
      g[i] = (n * gamma[i] - sumGamma - xhat[i] * sumGammaXhat) / (n * sigma);
    }
    return g;
  }

  private static double mean(double[] z) {
    double sum = 0;
    for (double v : z) {
      sum += v;
    }
    return sum / z.length;
  }

  /** {@code sqrt(var + eps)}, the biased variance of {@code z} about {@code mean}. */
  private static double sigma(double[] z, double mean) {
    double var = 0;
    for (double v : z) {
      var += (v - mean) * (v - mean);
    }
    return Math.sqrt(var / z.length + INNER_LN_EPS);
  }

  private static double[] affine(double[] x, double[][] w, double[] b) {
    int out = b.length;
    double[] y = b.clone();
    for (int i = 0; i < x.length; i++) {
      for (int o = 0; o < out; o++) {
        y[o] += x[i] * w[i][o];
      }
    }
    return y;
  }

  private static double[] geluAll(double[] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = gelu(x[i]);
    }
    return y;
  }

  /** {@code gw += e · xᵀ g; gb += e · g}. */
  private static void accumulateOuter(
      double[][] gw, double[] gb, double[] x, double[] g, double e) {
    for (int i = 0; i < x.length; i++) {
      for (int o = 0; o < g.length; o++) {
        gw[i][o] += e * x[i] * g[o];
      }
    }
    for (int o = 0; o < g.length; o++) {
      gb[o] += e * g[o];
    }
  }

  private static void subtract(double[][] w, double[] b, double[][] gw, double[] gb) {
    for (int i = 0; i < w.length; i++) {
      for (int o = 0; o < w[i].length; o++) {
        w[i][o] -= gw[i][o];
      }
    }
    for (int o = 0; o < b.length; o++) {
      b[o] -= gb[o];
    }
  }

  private static double[][] matrix(float[] src, int offset, int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        m[r][c] = src[offset + r * cols + c];
      }
    }
    return m;
  }

  private static double[] row(float[] src, int offset, int n) {
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = src[offset + i];
    }
    return r;
  }

  private static void store(double[][] m, double[] dst, int offset) {
    int cols = m[0].length;
    for (int r = 0; r < m.length; r++) {
      System.arraycopy(m[r], 0, dst, offset + r * cols, cols);
    }
  }

  private static void store(double[] v, double[] dst, int offset) {
    System.arraycopy(v, 0, dst, offset, v.length);
  }
}
