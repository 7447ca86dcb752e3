package org.tttvideo.model.dit;

import java.util.Arrays;
import java.util.List;
import org.tttvideo.model.compute.Tensor;

/**
 * Layout helpers that only move data (no arithmetic, so no backend is involved): slicing and
 * concatenating along the token axis of {@code [B, L, ...]} tensors, and along the batch axis.
 */
public final class Tensors {
  private Tensors() {}

  /** Rows {@code [from, to)} of axis 1 of {@code x [B, L, ...]} -> {@code [B, to - from, ...]}. */
  public static Tensor rows(Tensor x, int from, int to) {
    int nb = x.dim(0);
    int len = x.dim(1);
    if (from < 0 || to > len || from > to) {
      throw new IllegalArgumentException(
          "rows [" + from + ", " + to + ") out of " + Arrays.toString(x.shape()));
    }
    int inner = x.size() / Math.max(1, nb * len);
    int n = to - from;
    float[] out = new float[nb * n * inner];
    for (int b = 0; b < nb; b++) {
      System.arraycopy(x.data(), (b * len + from) * inner, out, b * n * inner, n * inner);
    }
    int[] shape = x.shape();
    shape[1] = n;
    return Tensor.of(out, shape);
  }

  /** Concatenates {@code [B, L_i, ...]} tensors along axis 1. */
  public static Tensor cat1(List<Tensor> parts) {
    Tensor first = parts.get(0);
    int nb = first.dim(0);
    int inner = first.size() / Math.max(1, nb * first.dim(1));
    int total = 0;
    for (Tensor t : parts) {
      if (t.dim(0) != nb || t.size() != nb * t.dim(1) * inner) {
        throw new IllegalArgumentException(
            "cannot concatenate " + t + " with " + first + " along axis 1");
      }
      total += t.dim(1);
    }
    float[] out = new float[nb * total * inner];
    for (int b = 0; b < nb; b++) {
      int at = b * total * inner;
      for (Tensor t : parts) {
        int n = t.dim(1) * inner;
        System.arraycopy(t.data(), b * n, out, at, n);
        at += n;
      }
    }
    int[] shape = first.shape();
    shape[1] = total;
    return Tensor.of(out, shape);
  }

  /**
   * {@code [B, L, ...]}: the same tensor for each of {@code batch} entries, from {@code [L, ...]}.
   */
  public static Tensor repeatBatch(Tensor x, int batch) {
    int[] s = x.shape();
    int[] out = new int[s.length + 1];
    out[0] = batch;
    System.arraycopy(s, 0, out, 1, s.length);
    float[] data = new float[batch * x.size()];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(x.data(), 0, data, b * x.size(), x.size());
    }
    return Tensor.of(data, out);
  }

  /** Stacks equally shaped tensors into a new leading axis. */
  public static Tensor stack(List<Tensor> parts) {
    Tensor first = parts.get(0);
    int[] s = first.shape();
    int[] out = new int[s.length + 1];
    out[0] = parts.size();
    System.arraycopy(s, 0, out, 1, s.length);
    float[] data = new float[parts.size() * first.size()];
    for (int i = 0; i < parts.size(); i++) {
      Tensor t = parts.get(i);
      if (!t.sameShape(first)) {
        throw new IllegalArgumentException("cannot stack " + t + " with " + first);
      }
      System.arraycopy(t.data(), 0, data, i * first.size(), first.size());
    }
    return Tensor.of(data, out);
  }

  /** Entry {@code i} of the leading axis: {@code [N, ...] -> [...]}. */
  public static Tensor entry(Tensor x, int i) {
    int[] s = x.shape();
    int n = x.size() / s[0];
    float[] data = new float[n];
    System.arraycopy(x.data(), i * n, data, 0, n);
    return Tensor.of(data, Arrays.copyOfRange(s, 1, s.length));
  }

  /** A 1-element tensor {@code [1]} holding {@code v}, for broadcasting a scalar. */
  public static Tensor scalar(float v) {
    return Tensor.of(new float[] {v}, 1);
  }
}
