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
 */
final class TttScanProblem {
  final TttKind kind;
  final int batch;
  final int heads;
  final int sequence;
  final int headDim;
  final int miniBatch;
  final TttState state; // w1 [B, H, D, F], b1 [B, H, 1, F] (w2 [B, H, F, D], b2 [B, H, 1, D])
  final Tensor xq; // [B, H, L, D]
  final Tensor xk; // [B, H, L, D]
  final Tensor xv; // [B, H, L, D]
  final Tensor eta; // [B, H, L]
  final Tensor normWeight; // [H, D]
  final Tensor normBias; // [H, D]

  TttScanProblem(TttKind kind, int batch, int heads, int sequence, int headDim, int miniBatch) {
    this.kind = kind;
    this.batch = batch;
    this.heads = heads;
    this.sequence = sequence;
    this.headDim = headDim;
    this.miniBatch = miniBatch;
    int f = kind.innerWidth(headDim);
    Random rnd = new Random(20250101L + 31L * heads + miniBatch);
    xq = TttScanInputs.l2Rows(TttScanInputs.gaussian(rnd, 1f, batch, heads, sequence, headDim));
    xk = TttScanInputs.l2Rows(TttScanInputs.gaussian(rnd, 1f, batch, heads, sequence, headDim));
    xv = TttScanInputs.gaussian(rnd, 1f, batch, heads, sequence, headDim);
    float[] e = new float[batch * heads * sequence];
    for (int i = 0; i < e.length; i++) {
      double sigmoid = 1 / (1 + Math.exp(-rnd.nextGaussian()));
      e[i] = (float) (0.1 * sigmoid / headDim / miniBatch);
    }
    eta = Tensor.of(e, batch, heads, sequence);
    float[] ones = new float[heads * headDim];
    java.util.Arrays.fill(ones, 1f);
    normWeight = Tensor.of(ones, heads, headDim);
    normBias = Tensor.zeros(heads, headDim);
    boolean mlp = kind == TttKind.MLP;
    state =
        new TttState(
            TttScanInputs.gaussian(rnd, 0.02f, batch, heads, headDim, f),
            Tensor.zeros(batch, heads, 1, f),
            mlp ? TttScanInputs.gaussian(rnd, 0.02f, batch, heads, f, headDim) : null,
            mlp ? Tensor.zeros(batch, heads, 1, headDim) : null);
  }

  TttScanResult run(Compute compute) {
    return compute.tttScan(
        new TttScanInput(kind, state, xq, xk, xv, eta, normWeight, normBias, miniBatch));
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
