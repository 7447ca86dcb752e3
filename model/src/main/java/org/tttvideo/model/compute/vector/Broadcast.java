package org.tttvideo.model.compute.vector;

import java.util.Arrays;

/**
 * How {@code b} broadcasts against {@code a} in an element-wise binary operation: shapes aligned on
 * the right, each dim of {@code b} equal to {@code a}'s or 1. Adjacent dims that broadcast the same
 * way are merged, so the innermost run is as long as possible and either contiguous in {@code b}
 * (stride 1) or one {@code b} value repeated (stride 0).
 */
final class Broadcast {
  private final int[] dims; // merged dims of a, innermost last
  private final int[] bStride; // stride of b along each merged dim (0 = broadcast)

  private Broadcast(int[] dims, int[] bStride) {
    this.dims = dims;
    this.bStride = bStride;
  }

  static Broadcast of(String op, int[] a, int[] b) {
    int off = a.length - b.length;
    boolean ok = off >= 0;
    for (int i = 0; ok && i < b.length; i++) {
      ok = b[i] == a[off + i] || b[i] == 1;
    }
    if (!ok) {
      throw new IllegalArgumentException(
          op
              + ": b "
              + Arrays.toString(b)
              + " does not broadcast against a "
              + Arrays.toString(a)
              + " (aligned on the right, each dim of b must equal a's or be 1)");
    }
    // stride of b along each dim of a; dims of a of size 1 are dropped
    int[] dims = new int[a.length];
    int[] strides = new int[a.length];
    int count = 0;
    int stride = 1;
    int[] rev = new int[a.length];
    int[] revStride = new int[a.length];
    for (int i = a.length - 1; i >= 0; i--) {
      int bi = i - off;
      int bDim = bi >= 0 ? b[bi] : 1;
      if (a[i] == 1) {
        continue;
      }
      boolean full = bDim != 1;
      int s = full ? stride : 0;
      if (full) {
        stride *= bDim;
      }
      // merge with the dim inside it when both broadcast, or both are contiguous in b
      if (count > 0) {
        int innerStride = revStride[count - 1];
        boolean mergeBroadcast = s == 0 && innerStride == 0;
        boolean mergeFull = s != 0 && innerStride != 0 && s == innerStride * rev[count - 1];
        if (mergeBroadcast || mergeFull) {
          rev[count - 1] *= a[i];
          continue;
        }
      }
      rev[count] = a[i];
      revStride[count] = s;
      count++;
    }
    if (count == 0) {
      return new Broadcast(new int[] {1}, new int[] {0});
    }
    for (int i = 0; i < count; i++) {
      dims[i] = rev[count - 1 - i];
      strides[i] = revStride[count - 1 - i];
    }
    return new Broadcast(Arrays.copyOf(dims, count), Arrays.copyOf(strides, count));
  }

  /** {@code y[i] = a[i] op b[...]} for the flat indices {@code [from, to)} of {@code a}. */
  void run(ElementWise.Binary op, float[] a, float[] b, float[] y, int from, int to) {
    int last = dims.length - 1;
    int n = dims[last];
    int innerStride = bStride[last];
    int pos = from;
    while (pos < to) {
      int row = pos / n;
      int j0 = pos - row * n;
      int j1 = Math.min(n, to - row * n);
      int bOff = 0;
      int rest = row;
      for (int i = last - 1; i >= 0; i--) {
        bOff += (rest % dims[i]) * bStride[i];
        rest /= dims[i];
      }
      ElementWise.binaryRun(op, a, pos, b, bOff + j0 * innerStride, innerStride, y, j1 - j0);
      pos = row * n + j1;
    }
  }
}
