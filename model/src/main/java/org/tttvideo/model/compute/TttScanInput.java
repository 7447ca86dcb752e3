package org.tttvideo.model.compute;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * The inputs of one TTT scan ({@link Compute#tttScan}), checked once here for every backend: the
 * kind agrees with the state, the shapes agree with each other, and the mini-batch divides the
 * sequence. Legend: B = batch, H = heads, L = tokens, D = head dimension, F = inner width.
 *
 * @param kind TTT-Linear or TTT-MLP; the state's kind
 * @param state the inner model's weights before the first mini-batch, {@code w1 [B, H, D, F]}
 * @param xq queries {@code [B, H, L, D]}, already L2-normalised
 * @param xk keys {@code [B, H, L, D]}, already L2-normalised
 * @param xv reconstruction input {@code [B, H, L, D]}; the inner target is {@code xv − xk}
 * @param eta per-token inner learning rate {@code [B, H, L]} (base lr, 1/D and 1/M included)
 * @param normWeight inner layer-norm weight {@code [H, D]}
 * @param normBias inner layer-norm bias {@code [H, D]}
 * @param miniBatch M; {@code L} must be a multiple of it
 */
public record TttScanInput(
    TttKind kind,
    TttState state,
    Tensor xq,
    Tensor xk,
    Tensor xv,
    Tensor eta,
    Tensor normWeight,
    Tensor normBias,
    int miniBatch) {

  public TttScanInput {
    requireNonNull(kind, "kind");
    requireNonNull(state, "state");
    requireNonNull(xq, "xq");
    requireNonNull(xk, "xk");
    requireNonNull(xv, "xv");
    requireNonNull(eta, "eta");
    requireNonNull(normWeight, "normWeight");
    requireNonNull(normBias, "normBias");
    if (state.kind() != kind) {
      throw new IllegalArgumentException(
          "tttScan: kind is "
              + kind
              + " but state is a "
              + state.kind()
              + " state (w1 "
              + shape(state.w1())
              + (state.w2() == null ? ", no w2)" : ", w2 " + shape(state.w2()) + ")"));
    }
    if (xq.rank() != 4) {
      throw new IllegalArgumentException("tttScan: xq " + shape(xq) + " must be [B, H, L, D]");
    }
    if (!xk.sameShape(xq) || !xv.sameShape(xq)) {
      throw new IllegalArgumentException(
          "tttScan: xq "
              + shape(xq)
              + ", xk "
              + shape(xk)
              + " and xv "
              + shape(xv)
              + " must all be [B, H, L, D]");
    }
    int b = xq.dim(0);
    int h = xq.dim(1);
    int l = xq.dim(2);
    int d = xq.dim(3);
    if (!Arrays.equals(eta.shape(), new int[] {b, h, l})) {
      throw new IllegalArgumentException(
          "tttScan: eta "
              + shape(eta)
              + " must be [B, H, L] = "
              + Arrays.toString(new int[] {b, h, l})
              + " for xq "
              + shape(xq));
    }
    int[] headShape = {h, d};
    if (!Arrays.equals(normWeight.shape(), headShape)
        || !Arrays.equals(normBias.shape(), headShape)) {
      throw new IllegalArgumentException(
          "tttScan: normWeight "
              + shape(normWeight)
              + " and normBias "
              + shape(normBias)
              + " must be [H, D] = "
              + Arrays.toString(headShape)
              + " for xq "
              + shape(xq));
    }
    if (state.batch() != b
        || state.heads() != h
        || state.headDim() != d
        || (kind == TttKind.LINEAR && state.innerWidth() != d)) {
      throw new IllegalArgumentException(
          "tttScan: state w1 "
              + shape(state.w1())
              + " does not fit xq "
              + shape(xq)
              + ": w1 must be [B, H, D, F] with F = "
              + (kind == TttKind.LINEAR ? "D" : "the inner width"));
    }
    if (miniBatch < 1 || l % miniBatch != 0) {
      throw new IllegalArgumentException(
          "tttScan: miniBatch "
              + miniBatch
              + " must be positive and divide the sequence length L = "
              + l
              + " of xq "
              + shape(xq));
    }
  }

  private static String shape(Tensor t) {
    return Arrays.toString(t.shape());
  }
}
