package org.tttvideo.model.compute.vector;

/** Permute and gather as strided copies. */
final class Layout {
  private Layout() {}

  /**
   * {@code y = permute(x, axes)} for the output rows {@code [r0, r1)} (a row is the last output
   * dim). When the last axis stays last, rows are contiguous in both and copied whole.
   */
  static void permuteRows(float[] x, int[] shape, int[] axes, float[] y, int r0, int r1) {
    int rank = shape.length;
    int[] inStride = new int[rank];
    int s = 1;
    for (int i = rank - 1; i >= 0; i--) {
      inStride[i] = s;
      s *= shape[i];
    }
    int[] outShape = new int[rank];
    int[] stride = new int[rank]; // input stride of each output dim
    for (int i = 0; i < rank; i++) {
      outShape[i] = shape[axes[i]];
      stride[i] = inStride[axes[i]];
    }
    int n = outShape[rank - 1];
    int innerStride = stride[rank - 1];
    int[] idx = new int[rank];
    for (int r = r0; r < r1; r++) {
      // multi-index of row r over the output's leading dims
      int rest = r;
      int base = 0;
      for (int i = rank - 2; i >= 0; i--) {
        idx[i] = rest % outShape[i];
        rest /= outShape[i];
        base += idx[i] * stride[i];
      }
      int o = r * n;
      if (innerStride == 1) {
        System.arraycopy(x, base, y, o, n);
      } else {
        for (int j = 0; j < n; j++) {
          y[o + j] = x[base + j * innerStride];
        }
      }
    }
  }

  /**
   * {@code y[o, i, :] = x[o, index[i], :]} for the outer indices {@code [o0, o1)}, where {@code o}
   * runs over the dims before the axis and {@code :} is the contiguous block after it.
   */
  static void gather(float[] x, int axisLen, int inner, int[] index, float[] y, int o0, int o1) {
    int n = index.length;
    for (int o = o0; o < o1; o++) {
      int src = o * axisLen * inner;
      int dst = o * n * inner;
      for (int i = 0; i < n; i++) {
        System.arraycopy(x, src + index[i] * inner, y, dst + i * inner, inner);
      }
    }
  }
}
