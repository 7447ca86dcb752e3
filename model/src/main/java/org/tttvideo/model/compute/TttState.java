package org.tttvideo.model.compute;

import java.util.Arrays;

/**
 * The hidden state of a TTT layer: the inner model's weights, per batch entry and head. This is
 * what a scan carries from one piece of the sequence to the next, and what the Flink operator keeps
 * in managed state between work units.
 *
 * @param w1 {@code [B, H, D, F]}
 * @param b1 {@code [B, H, 1, F]}
 * @param w2 {@code [B, H, F, D]} for {@link TttKind#MLP}, null for {@link TttKind#LINEAR}
 * @param b2 {@code [B, H, 1, D]} for {@link TttKind#MLP}, null for {@link TttKind#LINEAR}
 */
public record TttState(Tensor w1, Tensor b1, Tensor w2, Tensor b2) {

  public TttState {
    require(w1 != null && w1.rank() == 4, "w1 must be [B, H, D, F], got " + w1);
    int b = w1.dim(0);
    int h = w1.dim(1);
    int d = w1.dim(2);
    int f = w1.dim(3);
    requireShape("b1", b1, b, h, 1, f);
    if ((w2 == null) != (b2 == null)) {
      throw new IllegalArgumentException("w2 and b2 must both be present (mlp) or both absent");
    }
    if (w2 != null) {
      requireShape("w2", w2, b, h, f, d);
      requireShape("b2", b2, b, h, 1, d);
    }
  }

  /** Whether this is the state of a TTT-MLP (else TTT-Linear). */
  public TttKind kind() {
    return w2 == null ? TttKind.LINEAR : TttKind.MLP;
  }

  public int batch() {
    return w1.dim(0);
  }

  public int heads() {
    return w1.dim(1);
  }

  public int headDim() {
    return w1.dim(2);
  }

  public int innerWidth() {
    return w1.dim(3);
  }

  /**
   * The initial state: the layer's parameters {@code W1 [H, D, F], b1 [H, 1, F] (W2 [H, F, D], b2
   * [H, 1, D])} repeated for each of {@code batch} entries.
   */
  public static TttState broadcast(int batch, Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
    return new TttState(
        repeat(batch, w1),
        repeat(batch, b1),
        w2 == null ? null : repeat(batch, w2),
        b2 == null ? null : repeat(batch, b2));
  }

  private static Tensor repeat(int batch, Tensor t) {
    int[] s = t.shape();
    int[] out = new int[s.length + 1];
    out[0] = batch;
    System.arraycopy(s, 0, out, 1, s.length);
    float[] data = new float[batch * t.size()];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(t.data(), 0, data, i * t.size(), t.size());
    }
    return Tensor.of(data, out);
  }

  private static void requireShape(String name, Tensor t, int... shape) {
    require(t != null, name + " is missing");
    require(
        Arrays.equals(t.shape(), shape),
        name
            + " must have shape "
            + Arrays.toString(shape)
            + ", got "
            + Arrays.toString(t.shape()));
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
