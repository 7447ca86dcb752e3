package org.tttvideo.model.compute.vector;

import java.util.Arrays;
import java.util.Queue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttKind;
import org.tttvideo.model.compute.TttScanInput;
import org.tttvideo.model.compute.TttScanResult;
import org.tttvideo.model.compute.TttState;

/**
 * The fused TTT scan ({@code TTT_SPEC.md} §3) in the primal form: per (batch, head) in parallel,
 * per mini-batch of M tokens, the inner model's forward on the keys, the layer-norm + L2 backward,
 * one gradient step with the whole mini-batch's gradient, then the queries through the updated
 * weights. Everything between two mini-batches lives in one per-thread {@link Scratch}.
 *
 * <p>Legend: B = batch, H = heads, L = tokens, D = head dim, F = inner width (D for TTT-Linear, 4D
 * for TTT-MLP), M = mini-batch. All products go through {@link Gemm#mulAdd}; the two updates are
 * rank-M products {@code (−ηK)ᵀ G}, with {@code −ηK} transposed into a small [D, M] buffer.
 *
 * <p>TTT-MLP needs {@code W2 [F, D]} for its two forwards and {@code W2ᵀ [D, F]} for the backward
 * {@code g2 W2ᵀ}, both as row-major right operands. It keeps both. {@code W2ᵀ += (−η g2)ᵀ x2} is
 * always computed; {@code W2} is then either re-made by one transpose (D·F copies), or, for small
 * mini-batches ({@code 2M ≤ D}), updated by its own rank-M product {@code W2 += x2ᵀ (−η g2)} (M·F
 * copies for {@code x2ᵀ} and 2·M·D·F FLOPs), whichever is cheaper. Both updates multiply the same
 * two numbers for each term and add the terms in the same order, so the two copies stay exact
 * transposes of each other and the choice does not change a bit of the result.
 *
 * <p>Work per token and head, counting multiply and add: TTT-Linear 6·D·F (three [1, D] x [D, F]
 * products), TTT-MLP 14·D·F (seven).
 */
final class TttScanKernel {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int VL = S.length();

  /** Inner layer-norm epsilon ({@code TTT_SPEC.md} §3), inside the root, biased variance. */
  static final float LN_EPS = 1e-8f;

  private TttScanKernel() {}

  /** FLOPs of a scan, counting the products only (see the class comment). */
  static double flops(TttKind kind, int b, int h, int l, int d, int f) {
    return (double) b * h * l * (kind == TttKind.MLP ? 14.0 : 6.0) * d * f;
  }

  static TttScanResult scan(Parallel par, Queue<Scratch> scratchPool, TttScanInput in) {
    boolean updateW2 = in.kind() == TttKind.MLP && 2 * in.miniBatch() <= in.xq().dim(3);
    return scan(par, scratchPool, in, updateW2);
  }

  /**
   * {@link #scan} with the way of keeping {@code W2} chosen by the caller (see the class comment;
   * tests check that both give the same bits).
   */
  static TttScanResult scan(
      Parallel par, Queue<Scratch> scratchPool, TttScanInput in, boolean updateW2) {
    TttKind kind = in.kind();
    TttState state = in.state();
    Tensor xq = in.xq();
    Tensor xk = in.xk();
    Tensor xv = in.xv();
    Tensor eta = in.eta();
    Tensor normWeight = in.normWeight();
    Tensor normBias = in.normBias();
    int m = in.miniBatch();
    int bs = xq.dim(0);
    int hs = xq.dim(1);
    int l = xq.dim(2);
    int d = xq.dim(3);
    int f = state.innerWidth();
    boolean mlp = kind == TttKind.MLP;
    float[] out = new float[xq.size()];
    float[] w1Out = new float[state.w1().size()];
    float[] b1Out = new float[state.b1().size()];
    float[] w2Out = mlp ? new float[state.w2().size()] : null;
    float[] b2Out = mlp ? new float[state.b2().size()] : null;
    par.forEach(
        bs * hs,
        flops(kind, bs, hs, l, d, f),
        bh -> {
          Scratch s = take(scratchPool, mlp, d, f, m, updateW2);
          try {
            int h = bh % hs;
            System.arraycopy(normWeight.data(), h * d, s.nw, 0, d);
            System.arraycopy(normBias.data(), h * d, s.nb, 0, d);
            System.arraycopy(state.w1().data(), bh * d * f, s.w1, 0, d * f);
            System.arraycopy(state.b1().data(), bh * f, s.b1, 0, f);
            if (mlp) {
              // W2 [F, D] -> the primary W2ᵀ [D, F]
              System.arraycopy(state.w2().data(), bh * f * d, s.w2, 0, f * d);
              Gemm.transpose(s.w2, 0, f, d, s.w2t, 0);
              System.arraycopy(state.b2().data(), bh * d, s.b2, 0, d);
            }
            for (int t0 = 0; t0 < l; t0 += m) {
              int rowOff = (bh * l + t0) * d;
              int etaOff = bh * l + t0;
              if (mlp) {
                mlpStep(s, xq.data(), xk.data(), xv.data(), eta.data(), rowOff, etaOff, out);
              } else {
                linearStep(s, xq.data(), xk.data(), xv.data(), eta.data(), rowOff, etaOff, out);
              }
            }
            System.arraycopy(s.w1, 0, w1Out, bh * d * f, d * f);
            System.arraycopy(s.b1, 0, b1Out, bh * f, f);
            if (mlp) {
              System.arraycopy(s.w2, 0, w2Out, bh * f * d, f * d);
              System.arraycopy(s.b2, 0, b2Out, bh * d, d);
            }
          } finally {
            scratchPool.offer(s);
          }
        });
    TttState next =
        new TttState(
            Tensor.of(w1Out, state.w1().shape()),
            Tensor.of(b1Out, state.b1().shape()),
            mlp ? Tensor.of(w2Out, state.w2().shape()) : null,
            mlp ? Tensor.of(b2Out, state.b2().shape()) : null);
    return new TttScanResult(Tensor.of(out, xq.shape()), next);
  }

  private static Scratch take(
      Queue<Scratch> pool, boolean mlp, int d, int f, int m, boolean updateW2) {
    Scratch s = pool.poll();
    if (s != null && s.fits(mlp, d, f, m, updateW2)) {
      return s;
    }
    return new Scratch(mlp, d, f, m, updateW2);
  }

  /** One mini-batch of TTT-Linear (F = D). */
  private static void linearStep(
      Scratch s,
      float[] q,
      float[] k,
      float[] v,
      float[] eta,
      int rowOff,
      int etaOff,
      float[] out) {
    int d = s.d;
    int m = s.m;
    // z [M, D] = K [M, D] @ W1 [D, D] + b1
    fillRows(s.z1, s.b1, m, d);
    Gemm.mulAdd(k, rowOff, d, s.w1, 0, d, s.z1, 0, d, m, d, d);
    // g [M, D] = ∂/∂z ½‖LN(z) − (v − k)‖²
    lnL2Backward(s, s.z1, k, v, rowOff, s.g1, m, d);
    // (−ηK)ᵀ [D, M], −η [1, M]
    negEtaTransposed(s, k, rowOff, d, eta, etaOff, s.kt);
    // W1 [D, D] += (−ηK)ᵀ [D, M] @ g [M, D];  b1 [1, D] += −η [1, M] @ g [M, D]
    Gemm.mulAdd(s.kt, 0, m, s.g1, 0, d, s.w1, 0, d, d, d, m);
    Gemm.mulAdd(s.negEta, 0, m, s.g1, 0, d, s.b1, 0, d, 1, d, m);
    // out = q + LN(q W1 + b1) with the updated weights
    fillRows(s.z1, s.b1, m, d);
    Gemm.mulAdd(q, rowOff, d, s.w1, 0, d, s.z1, 0, d, m, d, d);
    lnResidual(s, s.z1, q, rowOff, out, m, d);
  }

  /** One mini-batch of TTT-MLP. */
  private static void mlpStep(
      Scratch s,
      float[] q,
      float[] k,
      float[] v,
      float[] eta,
      int rowOff,
      int etaOff,
      float[] out) {
    int d = s.d;
    int f = s.f;
    int m = s.m;
    // z1 [M, F] = K [M, D] @ W1 [D, F] + b1; x2 = gelu(z1) in place, gp = gelu'(z1)
    fillRows(s.z1, s.b1, m, f);
    Gemm.mulAdd(k, rowOff, d, s.w1, 0, f, s.z1, 0, f, m, f, d);
    geluWithGrad(s.z1, s.gp, m * f, s);
    float[] x2 = s.z1;
    // z2 [M, D] = x2 [M, F] @ W2 [F, D] + b2
    fillRows(s.z2, s.b2, m, d);
    Gemm.mulAdd(x2, 0, f, s.w2, 0, d, s.z2, 0, d, m, d, f);
    // g2 [M, D] = ∂/∂z2 ½‖LN(z2) − (v − k)‖²
    lnL2Backward(s, s.z2, k, v, rowOff, s.g2, m, d);
    // g1 [M, F] = (g2 [M, D] @ W2ᵀ [D, F]) ⊙ gelu'(z1), with the old W2
    Arrays.fill(s.g1, 0, m * f, 0f);
    Gemm.mulAdd(s.g2, 0, d, s.w2t, 0, f, s.g1, 0, f, m, f, d);
    multiplyInPlace(s.g1, s.gp, m * f);
    // W1 [D, F] += (−ηK)ᵀ [D, M] @ g1 [M, F];  b1 += −η [1, M] @ g1
    negEtaTransposed(s, k, rowOff, d, eta, etaOff, s.kt);
    Gemm.mulAdd(s.kt, 0, m, s.g1, 0, f, s.w1, 0, f, d, f, m);
    Gemm.mulAdd(s.negEta, 0, m, s.g1, 0, f, s.b1, 0, f, 1, f, m);
    // W2ᵀ [D, F] += (−η g2)ᵀ [D, M] @ x2 [M, F];  b2 += −η [1, M] @ g2
    negEtaTransposed(s, s.g2, 0, d, eta, etaOff, s.g2t);
    Gemm.mulAdd(s.g2t, 0, m, x2, 0, f, s.w2t, 0, f, d, f, m);
    if (s.updateW2) {
      // W2 [F, D] += x2ᵀ [F, M] @ (−η g2) [M, D]: the same products as above, in the same order
      Gemm.transpose(s.g2t, 0, d, m, s.g2s, 0);
      Gemm.transpose(x2, 0, m, f, s.x2t, 0);
      Gemm.mulAdd(s.x2t, 0, m, s.g2s, 0, d, s.w2, 0, d, f, d, m);
    }
    Gemm.mulAdd(s.negEta, 0, m, s.g2, 0, d, s.b2, 0, d, 1, d, m);
    if (!s.updateW2) {
      Gemm.transpose(s.w2t, 0, d, f, s.w2, 0);
    }
    // out = q + LN(gelu(q W1 + b1) W2 + b2) with the updated weights
    fillRows(s.z1, s.b1, m, f);
    Gemm.mulAdd(q, rowOff, d, s.w1, 0, f, s.z1, 0, f, m, f, d);
    ElementWise.geluRange(s.z1, s.z1, 0, m * f);
    fillRows(s.z2, s.b2, m, d);
    Gemm.mulAdd(s.z1, 0, f, s.w2, 0, d, s.z2, 0, d, m, d, f);
    lnResidual(s, s.z2, q, rowOff, out, m, d);
  }

  /** Every row of {@code dst [rows, n]} set to {@code row [n]}. */
  private static void fillRows(float[] dst, float[] row, int rows, int n) {
    for (int r = 0; r < rows; r++) {
      System.arraycopy(row, 0, dst, r * n, n);
    }
  }

  /**
   * {@code dst [D, M] = (−η ⊙ src)ᵀ} for the M rows of {@code src} at {@code srcOff} (row length
   * D), and {@code s.negEta = −η}.
   */
  private static void negEtaTransposed(
      Scratch s, float[] src, int srcOff, int d, float[] eta, int etaOff, float[] dst) {
    int m = s.m;
    for (int j = 0; j < m; j++) {
      float ne = -eta[etaOff + j];
      s.negEta[j] = ne;
      int row = srcOff + j * d;
      for (int p = 0; p < d; p++) {
        dst[p * m + j] = ne * src[row + p];
      }
    }
  }

  /** {@code x ← gelu(x)}, {@code grad ← gelu'(x)} (the exact derivative of the tanh form). */
  private static void geluWithGrad(float[] x, float[] grad, int n, Scratch s) {
    int i = 0;
    int bound = n / VL * VL;
    for (; i < bound; i += VL) {
      geluWithGrad(x, grad, i);
    }
    if (i < n) {
      // the last partial vector goes through the same vector code, padded
      int rest = n - i;
      Arrays.fill(s.tailX, 0f);
      System.arraycopy(x, i, s.tailX, 0, rest);
      geluWithGrad(s.tailX, s.tailG, 0);
      System.arraycopy(s.tailX, 0, x, i, rest);
      System.arraycopy(s.tailG, 0, grad, i, rest);
    }
  }

  /**
   * One vector: {@code u = c(x + a x³)}, {@code t = tanh u}, {@code gelu = ½x(1 + t)}, {@code gelu'
   * = ½(1 + t) + ½x(1 − t²) c (1 + 3a x²)}.
   */
  private static void geluWithGrad(float[] x, float[] grad, int i) {
    FloatVector xv = FloatVector.fromArray(S, x, i);
    FloatVector x2 = xv.mul(xv);
    FloatVector u = x2.fma(ElementWise.GELU_A, 1f).mul(xv).mul(ElementWise.GELU_C);
    FloatVector t = ElementWise.tanh(u);
    FloatVector half1pt = t.fma(0.5f, 0.5f); // ½(1 + t)
    FloatVector hx = xv.mul(0.5f);
    FloatVector du = x2.fma(3 * ElementWise.GELU_A, 1f).mul(ElementWise.GELU_C); // c(1 + 3a x²)
    FloatVector oneMinusT2 = t.neg().fma(t, FloatVector.broadcast(S, 1f)); // 1 − t²
    FloatVector g = hx.mul(oneMinusT2).fma(du, half1pt);
    xv.mul(half1pt).intoArray(x, i);
    g.intoArray(grad, i);
  }

  private static void multiplyInPlace(float[] a, float[] b, int n) {
    int i = 0;
    int bound = n / VL * VL;
    for (; i < bound; i += VL) {
      FloatVector.fromArray(S, a, i).mul(FloatVector.fromArray(S, b, i)).intoArray(a, i);
    }
    for (; i < n; i++) {
      a[i] *= b[i];
    }
  }

  /**
   * The layer-norm backward fused with the L2 loss, row by row ({@code TTT_SPEC.md} §3): {@code x̂
   * = (z − mean)/σ}, {@code γ = (LN(z) − (v − k)) ⊙ w}, {@code g = (D·γ − Σγ − x̂ ⊙ Σ(γ ⊙ x̂)) /
   * (D·σ)}.
   */
  private static void lnL2Backward(
      Scratch s, float[] z, float[] k, float[] v, int rowOff, float[] g, int rows, int n) {
    float[] w = s.nw;
    float[] b = s.nb;
    float[] xhat = s.rowA;
    float[] gamma = s.rowB;
    int bound = n / VL * VL;
    for (int r = 0; r < rows; r++) {
      int zo = r * n;
      int ko = rowOff + r * n;
      float mean = ElementWise.sum(z, zo, n) / n;
      float var = ElementWise.sumSquaredDeviation(z, zo, n, mean) / n;
      float inv = (float) (1 / Math.sqrt(var + LN_EPS));
      FloatVector sg = FloatVector.zero(S);
      FloatVector sgx = FloatVector.zero(S);
      int i = 0;
      for (; i < bound; i += VL) {
        FloatVector xh = FloatVector.fromArray(S, z, zo + i).sub(mean).mul(inv);
        FloatVector wv = FloatVector.fromArray(S, w, i);
        FloatVector target =
            FloatVector.fromArray(S, v, ko + i).sub(FloatVector.fromArray(S, k, ko + i));
        FloatVector ln = xh.fma(wv, FloatVector.fromArray(S, b, i));
        FloatVector gm = ln.sub(target).mul(wv);
        sg = sg.add(gm);
        sgx = gm.fma(xh, sgx);
        xh.intoArray(xhat, i);
        gm.intoArray(gamma, i);
      }
      float sumG = sg.reduceLanes(VectorOperators.ADD);
      float sumGX = sgx.reduceLanes(VectorOperators.ADD);
      for (; i < n; i++) {
        float xh = (z[zo + i] - mean) * inv;
        float ln = Math.fma(xh, w[i], b[i]);
        float gm = (ln - (v[ko + i] - k[ko + i])) * w[i];
        sumG += gm;
        sumGX = Math.fma(gm, xh, sumGX);
        xhat[i] = xh;
        gamma[i] = gm;
      }
      float scale = inv / n;
      float fn = n;
      i = 0;
      for (; i < bound; i += VL) {
        FloatVector gm = FloatVector.fromArray(S, gamma, i);
        FloatVector xh = FloatVector.fromArray(S, xhat, i);
        gm.mul(fn).sub(sumG).sub(xh.mul(sumGX)).mul(scale).intoArray(g, zo + i);
      }
      for (; i < n; i++) {
        g[zo + i] = (gamma[i] * fn - sumG - xhat[i] * sumGX) * scale;
      }
    }
  }

  /** {@code out[row] = q[row] + LN(z[row])} with the head's norm weight and bias. */
  private static void lnResidual(
      Scratch s, float[] z, float[] q, int rowOff, float[] out, int rows, int n) {
    float[] w = s.nw;
    float[] b = s.nb;
    int bound = n / VL * VL;
    for (int r = 0; r < rows; r++) {
      int zo = r * n;
      int qo = rowOff + r * n;
      float mean = ElementWise.sum(z, zo, n) / n;
      float var = ElementWise.sumSquaredDeviation(z, zo, n, mean) / n;
      float inv = (float) (1 / Math.sqrt(var + LN_EPS));
      int i = 0;
      for (; i < bound; i += VL) {
        FloatVector xh = FloatVector.fromArray(S, z, zo + i).sub(mean).mul(inv);
        FloatVector ln = xh.fma(FloatVector.fromArray(S, w, i), FloatVector.fromArray(S, b, i));
        ln.add(FloatVector.fromArray(S, q, qo + i)).intoArray(out, qo + i);
      }
      for (; i < n; i++) {
        float xh = (z[zo + i] - mean) * inv;
        out[qo + i] = q[qo + i] + Math.fma(xh, w[i], b[i]);
      }
    }
  }

  /** Working memory of one (batch, head) task; shape comments per mini-batch. */
  static final class Scratch {
    final boolean mlp;
    final int d;
    final int f;
    final int m;
    final float[] w1; // [D, F]
    final float[] b1; // [F]
    final float[] w2; // [F, D] (mlp), re-made from w2t after each update
    final float[] w2t; // [D, F] (mlp), the primary copy of W2
    final float[] b2; // [D] (mlp)
    final float[] nw; // [D] inner layer-norm weight of the head
    final float[] nb; // [D]
    final float[] z1; // [M, F]: z1, then x2 = gelu(z1) in place; the query pass reuses it
    final float[] gp; // [M, F] gelu'(z1) (mlp)
    final float[] z2; // [M, D] (mlp)
    final float[] g2; // [M, D] (mlp)
    final float[] g1; // [M, F]
    final float[] kt; // [D, M] (−ηK)ᵀ
    final float[] g2t; // [D, M] (−η g2)ᵀ (mlp)
    final boolean updateW2; // W2 by its own rank-M update rather than a transpose (mlp, 2M ≤ D)
    final float[] g2s; // [M, D] −η g2 (mlp, updateW2)
    final float[] x2t; // [F, M] x2ᵀ (mlp, updateW2)
    final float[] negEta; // [M]
    final float[] rowA; // [D]
    final float[] rowB; // [D]
    final float[] tailX; // [VL]
    final float[] tailG; // [VL]

    Scratch(boolean mlp, int d, int f, int m, boolean updateW2) {
      this.mlp = mlp;
      this.d = d;
      this.f = f;
      this.m = m;
      w1 = new float[d * f];
      b1 = new float[f];
      w2 = mlp ? new float[f * d] : null;
      w2t = mlp ? new float[d * f] : null;
      b2 = mlp ? new float[d] : null;
      nw = new float[d];
      nb = new float[d];
      z1 = new float[m * f];
      gp = mlp ? new float[m * f] : null;
      z2 = mlp ? new float[m * d] : null;
      g2 = mlp ? new float[m * d] : null;
      g1 = new float[m * f];
      kt = new float[d * m];
      g2t = mlp ? new float[d * m] : null;
      this.updateW2 = mlp && updateW2;
      g2s = updateW2 ? new float[m * d] : null;
      x2t = updateW2 ? new float[f * m] : null;
      negEta = new float[m];
      rowA = new float[d];
      rowB = new float[d];
      tailX = new float[VL];
      tailG = new float[VL];
    }

    boolean fits(boolean mlp, int d, int f, int m, boolean updateW2) {
      return this.mlp == mlp
          && this.d == d
          && this.f == f
          && this.m == m
          && this.updateW2 == (mlp && updateW2);
    }
  }
}
