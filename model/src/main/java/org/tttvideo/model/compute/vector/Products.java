package org.tttvideo.model.compute.vector;

import static org.tttvideo.model.compute.vector.VectorCompute.prod;
import static org.tttvideo.model.compute.vector.VectorCompute.requireNonNull;
import static org.tttvideo.model.compute.vector.VectorCompute.rowsOf;
import static org.tttvideo.model.compute.vector.VectorCompute.shape;

import java.util.Arrays;
import org.tttvideo.model.compute.LinearWeight;
import org.tttvideo.model.compute.Tensor;

/**
 * The matrix products of {@link VectorCompute} ({@code linear}, {@code linearBound}, {@code
 * matmul}): the shape checks and the transposes that bring the right-hand matrix into the layout
 * {@link Gemm} broadcasts over, kept apart from the element-wise and row operations. The caller has
 * checked that the backend is open.
 *
 * <p>Legend: M, K, N = rows, inner and output dims of a product; out, in = a linear layer's output
 * and input features.
 */
final class Products {
  private final Parallel par;

  Products(Parallel par) {
    this.par = par;
  }

  Tensor linear(Tensor x, Tensor w, Tensor b) {
    requireNonNull(x, "x");
    requireNonNull(w, "w");
    if (x.rank() < 1 || w.rank() != 2 || w.dim(1) != x.dim(-1)) {
      throw new IllegalArgumentException(
          "linear: x "
              + shape(x)
              + " and w "
              + shape(w)
              + " do not fit: w must be [out, in] with in = the last dim of x");
    }
    int out = w.dim(0);
    int in = w.dim(1);
    if (b != null && (b.rank() != 1 || b.dim(0) != out)) {
      throw new IllegalArgumentException(
          "linear: b " + shape(b) + " must be [out] = [" + out + "] for w " + shape(w));
    }
    int rows = rowsOf(x);
    int[] yShape = x.shape();
    yShape[yShape.length - 1] = out;
    float[] y = new float[Math.multiplyExact(rows, out)];
    // [out, in] -> wᵀ [in, out], so that rows of x broadcast against rows of wᵀ
    float[] wt = transposed(w.data(), 1, out, in);
    // [rows, in] @ [in, out] + [out] -> [rows, out]
    Gemm.product(par, 1, x.data(), wt, true, y, b == null ? null : b.data(), rows, out, in);
    return Tensor.of(y, yShape);
  }

  /** As {@link #linear}, on the transposed matrix the binding made once: no transpose per call. */
  Tensor linearBound(Tensor x, LinearWeight w) {
    requireNonNull(x, "x");
    requireNonNull(w, "w");
    if (x.rank() < 1 || w.in() != x.dim(-1)) {
      throw new IllegalArgumentException(
          "linearBound: x "
              + shape(x)
              + " does not fit "
              + w
              + ": the last dim of x must be in = "
              + w.in());
    }
    int out = w.out();
    int rows = rowsOf(x);
    int[] yShape = x.shape();
    yShape[yShape.length - 1] = out;
    float[] y = new float[Math.multiplyExact(rows, out)];
    Tensor b = w.bias();
    // [rows, in] @ wᵀ [in, out] + [out] -> [rows, out]
    Gemm.product(
        par, 1, x.data(), w.transposed(), true, y, b == null ? null : b.data(), rows, out, w.in());
    return Tensor.of(y, yShape);
  }

  Tensor matmul(Tensor a, Tensor b, boolean transposeB) {
    requireNonNull(a, "a");
    requireNonNull(b, "b");
    String what = transposeB ? " (b given as [..., N, K])" : "";
    if (a.rank() < 2 || b.rank() < 2) {
      throw new IllegalArgumentException(
          "matmul: a " + shape(a) + " and b " + shape(b) + " must both be at least rank 2");
    }
    int m = a.dim(-2);
    int k = a.dim(-1);
    int kb = transposeB ? b.dim(-1) : b.dim(-2);
    int n = transposeB ? b.dim(-2) : b.dim(-1);
    if (kb != k) {
      throw new IllegalArgumentException(
          "matmul: a "
              + shape(a)
              + " and b "
              + shape(b)
              + what
              + ": inner dims differ ("
              + k
              + " vs "
              + kb
              + ")");
    }
    int[] as = a.shape();
    int[] bs = b.shape();
    boolean shared = b.rank() == 2;
    if (!shared
        && !Arrays.equals(
            Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, Math.max(0, bs.length - 2)))) {
      throw new IllegalArgumentException(
          "matmul: a "
              + shape(a)
              + " and b "
              + shape(b)
              + what
              + ": the leading dims must be equal, or b a single matrix");
    }
    int batch = prod(as, 0, as.length - 2);
    int[] yShape = as.clone();
    yShape[yShape.length - 1] = n;
    float[] y = new float[Math.multiplyExact(batch, Math.multiplyExact(m, n))];
    float[] bData = b.data();
    if (transposeB) {
      // [..., N, K] -> [..., K, N]
      bData = transposed(b.data(), shared ? 1 : batch, n, k);
    }
    // [batch, M, K] @ [batch or 1, K, N] -> [batch, M, N]
    Gemm.product(par, batch, a.data(), bData, shared, y, null, m, n, k);
    return Tensor.of(y, yShape);
  }

  /** Each of {@code count} {@code [rows, cols]} matrices transposed, in parallel when large. */
  private float[] transposed(float[] src, int count, int rows, int cols) {
    float[] dst = new float[src.length];
    int per = rows * cols;
    int blocks = (rows + 63) / 64;
    par.forEach(
        count * blocks,
        2.0 * src.length,
        task -> {
          int e = task / blocks;
          int r0 = (task % blocks) * 64;
          int r1 = Math.min(rows, r0 + 64);
          // rows [r0, r1) of entry e, in 64 x 64 tiles: dst[e][c, r] = src[e][r, c]
          for (int c0 = 0; c0 < cols; c0 += 64) {
            int c1 = Math.min(cols, c0 + 64);
            for (int r = r0; r < r1; r++) {
              int s = e * per + r * cols;
              int d = e * per + r;
              for (int c = c0; c < c1; c++) {
                dst[d + c * rows] = src[s + c];
              }
            }
          }
        });
    return dst;
  }
}
