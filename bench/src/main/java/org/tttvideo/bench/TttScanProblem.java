package org.tttvideo.bench;

import java.util.Random;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttKind;
import org.tttvideo.model.compute.TttScanInput;
import org.tttvideo.model.compute.TttScanResult;
import org.tttvideo.model.compute.TttState;
import org.tttvideo.model.ttt.TttScanInputs;

/**
 * The inputs of one {@link Compute#tttScan} with the magnitudes of the paper's model: L2-normalised
 * queries and keys, weights of standard deviation 0.02, {@code η = 0.1 · sigmoid(·) / D / M}, inner
 * norm weight 1 and bias 0. Built with plain Java from a seeded {@link Random}, so every backend
 * gets the same numbers.
 *
 * <p>Legend: B = batch, H = heads, L = tokens, D = head dim, F = inner width, M = mini-batch.
 *
 * @param batch B
 * @param heads H
 * @param sequence L
 * @param headDim D
 * @param miniBatch M
 * @param input state w1 [B, H, D, F], b1 [B, H, 1, F] (w2 [B, H, F, D], b2 [B, H, 1, D]); xq, xk,
 *     xv [B, H, L, D]; eta [B, H, L]; norm weight and bias [H, D]
 */
record TttScanProblem(
    TttKind kind,
    int batch,
    int heads,
    int sequence,
    int headDim,
    int miniBatch,
    TttScanInput input) {

  /** The problem of these sizes, drawn from a seed that depends on the heads and mini-batch. */
  static TttScanProblem of(
      TttKind kind, int batch, int heads, int sequence, int headDim, int miniBatch) {
    return new TttScanProblem(
        kind,
        batch,
        heads,
        sequence,
        headDim,
        miniBatch,
        inputs(kind, batch, heads, sequence, headDim, miniBatch));
  }

  private static TttScanInput inputs(TttKind kind, int b, int h, int l, int d, int m) {
    int f = kind.innerWidth(d);
    Random rnd = new Random(20250101L + 31L * h + m);
    Tensor xq = TttScanInputs.l2Rows(TttScanInputs.gaussian(rnd, 1f, b, h, l, d));
    Tensor xk = TttScanInputs.l2Rows(TttScanInputs.gaussian(rnd, 1f, b, h, l, d));
    Tensor xv = TttScanInputs.gaussian(rnd, 1f, b, h, l, d);
    float[] e = new float[b * h * l];
    for (int i = 0; i < e.length; i++) {
      double sigmoid = 1 / (1 + Math.exp(-rnd.nextGaussian()));
      e[i] = (float) (0.1 * sigmoid / d / m);
    }
    float[] ones = new float[h * d];
    java.util.Arrays.fill(ones, 1f);
    boolean mlp = kind == TttKind.MLP;
    TttState state =
        new TttState(
            TttScanInputs.gaussian(rnd, 0.02f, b, h, d, f),
            Tensor.zeros(b, h, 1, f),
            mlp ? TttScanInputs.gaussian(rnd, 0.02f, b, h, f, d) : null,
            mlp ? Tensor.zeros(b, h, 1, d) : null);
    return new TttScanInput(
        kind,
        state,
        xq,
        xk,
        xv,
        Tensor.of(e, b, h, l),
        Tensor.of(ones, h, d),
        Tensor.zeros(h, d),
        m);
  }

  TttScanResult run(Compute compute) {
    return compute.tttScan(input);
  }

  /** Tokens of one scan: {@code B · L}. */
  long tokens() {
    return (long) batch * sequence;
  }

  /**
   * FLOPs of one scan, counting a multiply-add as 2 and the matrix products only: per token and
   * head, TTT-Linear does 3 products of a [1, D] row with a [D, F] matrix ({@code k W1}, the update
   * {@code kᵀ g}, {@code q W1}), so {@code 6·D·F}; TTT-MLP does 7 ({@code k W1}, {@code x2 W2},
   * {@code g2 W2ᵀ}, the two updates, {@code q W1}, {@code gelu(·) W2}), so {@code 14·D·F}. Layer
   * norms, GELU and the element-wise work (O(F) per token) are not counted.
   */
  double flops() {
    int f = kind.innerWidth(headDim);
    return (double) batch * heads * sequence * (kind == TttKind.MLP ? 14 : 6) * headDim * f;
  }

  @Override
  public String toString() {
    return "ttt-"
        + kind.name().toLowerCase(java.util.Locale.ROOT)
        + " m"
        + miniBatch
        + " h"
        + heads
        + " d"
        + headDim;
  }
}
