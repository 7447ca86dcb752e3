package org.tttvideo.model.compute.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix-product kernels on row-major float arrays given as (array, offset, leading dimension).
 *
 * <p>Every kernel computes each output element as one fused multiply-add chain over {@code k} in
 * ascending order, starting from the value already in {@code C}: {@code c = fma(a[i,p], b[p,j], c)}
 * for {@code p = 0 .. k-1}. The vector lanes and the scalar tail both compute exactly that ({@link
 * FloatVector#fma} and {@link Math#fma} round once), so the result of an element depends neither on
 * how the product is cut into blocks or tasks nor on the thread that computes it: the backend is
 * bit-for-bit deterministic for any thread count.
 *
 * <p>The register tile is 4 rows of {@code A} by 4 vectors of {@code B} (16 accumulators): per step
 * of {@code k} it broadcasts 4 elements of {@code A}, loads 4 vectors of a row of {@code B} and
 * issues 16 FMAs.
 */
final class Gemm {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int VL = S.length();

  /** Rows of {@code C} per task of a large product. */
  static final int ROW_BLOCK = 64;

  /** Columns of {@code C} per task of a large product (a multiple of the 4-vector panel). */
  static final int COL_BLOCK = 256;

  /**
   * Depth of {@code k} per pass over a task's tile, so that the panel of {@code B} stays cached.
   */
  static final int DEPTH_BLOCK = 256;

  private Gemm() {}

  /**
   * {@code C[e] = bias + A[e] @ B[e]} for every batch entry {@code e}, cut into tasks of {@link
   * #ROW_BLOCK} rows by {@link #COL_BLOCK} columns of one entry. A task computes its whole tile of
   * {@code C}, {@code k} in ascending order, so the result does not depend on the thread count.
   *
   * @param a {@code [batch, m, k]}
   * @param b {@code [batch, k, n]}, or {@code [k, n]} shared by every entry when {@code bShared}
   * @param c {@code [batch, m, n]}, zeros on entry
   * @param bias {@code [n]} added to every row, or null
   */
  static void product(
      Parallel par,
      int batch,
      float[] a,
      float[] b,
      boolean bShared,
      float[] c,
      float[] bias,
      int m,
      int n,
      int k) {
    int rowBlocks = (m + ROW_BLOCK - 1) / ROW_BLOCK;
    int colBlocks = (n + COL_BLOCK - 1) / COL_BLOCK;
    int tilesPerEntry = rowBlocks * colBlocks;
    double flops = 2.0 * batch * m * n * k;
    par.forEach(
        batch * tilesPerEntry,
        flops,
        task -> {
          int e = task / tilesPerEntry;
          int tile = task % tilesPerEntry;
          int i0 = (tile / colBlocks) * ROW_BLOCK;
          int j0 = (tile % colBlocks) * COL_BLOCK;
          int rows = Math.min(ROW_BLOCK, m - i0);
          int cols = Math.min(COL_BLOCK, n - j0);
          int aOff = e * m * k + i0 * k;
          int bOff = (bShared ? 0 : e * k * n) + j0;
          int cOff = e * m * n + i0 * n + j0;
          if (bias != null) {
            for (int i = 0; i < rows; i++) {
              System.arraycopy(bias, j0, c, cOff + i * n, cols);
            }
          }
          for (int p0 = 0; p0 < k; p0 += DEPTH_BLOCK) {
            int depth = Math.min(DEPTH_BLOCK, k - p0);
            mulAdd(a, aOff + p0, k, b, bOff + p0 * n, n, c, cOff, n, rows, cols, depth);
          }
        });
  }

  /** {@code dst[c, r] = src[r, c]} for a {@code [rows, cols]} matrix, in cache-sized tiles. */
  static void transpose(float[] src, int srcOff, int rows, int cols, float[] dst, int dstOff) {
    final int t = 16;
    for (int r0 = 0; r0 < rows; r0 += t) {
      int r1 = Math.min(rows, r0 + t);
      for (int c0 = 0; c0 < cols; c0 += t) {
        int c1 = Math.min(cols, c0 + t);
        for (int r = r0; r < r1; r++) {
          int s = srcOff + r * cols;
          for (int cc = c0; cc < c1; cc++) {
            dst[dstOff + cc * rows + r] = src[s + cc];
          }
        }
      }
    }
  }

  /**
   * {@code C[m, n] += A[m, k] @ B[k, n]}.
   *
   * @param a {@code A[i, p]} at {@code a[aOff + i * lda + p]}
   * @param b {@code B[p, j]} at {@code b[bOff + p * ldb + j]}
   * @param c {@code C[i, j]} at {@code c[cOff + i * ldc + j]}
   */
  static void mulAdd(
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc,
      int m,
      int n,
      int k) {
    int j = 0;
    for (; j + 4 * VL <= n; j += 4 * VL) {
      int i = 0;
      for (; i + 4 <= m; i += 4) {
        tile4x4(a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, k);
      }
      for (; i < m; i++) {
        tile1x4(a, aOff + i * lda, b, bOff + j, ldb, c, cOff + i * ldc + j, k);
      }
    }
    for (; j + VL <= n; j += VL) {
      int i = 0;
      for (; i + 4 <= m; i += 4) {
        tile4x1(a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, k);
      }
      for (; i < m; i++) {
        tile1x1(a, aOff + i * lda, b, bOff + j, ldb, c, cOff + i * ldc + j, k);
      }
    }
    if (j < n) {
      // The last n - j < VL columns: the same tiles with masked lanes (the same FMA chain per
      // element as every other column, so results stay bit-for-bit those of the scalar order).
      VectorMask<Float> mask = S.indexInRange(j, n);
      int i = 0;
      for (; i + 4 <= m; i += 4) {
        tile4x1Masked(
            a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, k, mask);
      }
      for (; i < m; i++) {
        tile1x1Masked(a, aOff + i * lda, b, bOff + j, ldb, c, cOff + i * ldc + j, k, mask);
      }
    }
  }

  private static void tile4x1Masked(
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc,
      int k,
      VectorMask<Float> mask) {
    FloatVector r0 = FloatVector.fromArray(S, c, cOff, mask);
    FloatVector r1 = FloatVector.fromArray(S, c, cOff + ldc, mask);
    FloatVector r2 = FloatVector.fromArray(S, c, cOff + 2 * ldc, mask);
    FloatVector r3 = FloatVector.fromArray(S, c, cOff + 3 * ldc, mask);
    int a0 = aOff;
    int a1 = aOff + lda;
    int a2 = aOff + 2 * lda;
    int a3 = aOff + 3 * lda;
    for (int p = 0; p < k; p++) {
      FloatVector bv = FloatVector.fromArray(S, b, bOff + p * ldb, mask);
      r0 = bv.fma(FloatVector.broadcast(S, a[a0 + p]), r0);
      r1 = bv.fma(FloatVector.broadcast(S, a[a1 + p]), r1);
      r2 = bv.fma(FloatVector.broadcast(S, a[a2 + p]), r2);
      r3 = bv.fma(FloatVector.broadcast(S, a[a3 + p]), r3);
    }
    r0.intoArray(c, cOff, mask);
    r1.intoArray(c, cOff + ldc, mask);
    r2.intoArray(c, cOff + 2 * ldc, mask);
    r3.intoArray(c, cOff + 3 * ldc, mask);
  }

  private static void tile1x1Masked(
      float[] a,
      int aOff,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int k,
      VectorMask<Float> mask) {
    FloatVector r = FloatVector.fromArray(S, c, cOff, mask);
    for (int p = 0; p < k; p++) {
      r =
          FloatVector.fromArray(S, b, bOff + p * ldb, mask)
              .fma(FloatVector.broadcast(S, a[aOff + p]), r);
    }
    r.intoArray(c, cOff, mask);
  }

  private static void tile4x4(
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc,
      int k) {
    int c0 = cOff;
    int c1 = cOff + ldc;
    int c2 = cOff + 2 * ldc;
    int c3 = cOff + 3 * ldc;
    FloatVector r00 = FloatVector.fromArray(S, c, c0);
    FloatVector r01 = FloatVector.fromArray(S, c, c0 + VL);
    FloatVector r02 = FloatVector.fromArray(S, c, c0 + 2 * VL);
    FloatVector r03 = FloatVector.fromArray(S, c, c0 + 3 * VL);
    FloatVector r10 = FloatVector.fromArray(S, c, c1);
    FloatVector r11 = FloatVector.fromArray(S, c, c1 + VL);
    FloatVector r12 = FloatVector.fromArray(S, c, c1 + 2 * VL);
    FloatVector r13 = FloatVector.fromArray(S, c, c1 + 3 * VL);
    FloatVector r20 = FloatVector.fromArray(S, c, c2);
    FloatVector r21 = FloatVector.fromArray(S, c, c2 + VL);
    FloatVector r22 = FloatVector.fromArray(S, c, c2 + 2 * VL);
    FloatVector r23 = FloatVector.fromArray(S, c, c2 + 3 * VL);
    FloatVector r30 = FloatVector.fromArray(S, c, c3);
    FloatVector r31 = FloatVector.fromArray(S, c, c3 + VL);
    FloatVector r32 = FloatVector.fromArray(S, c, c3 + 2 * VL);
    FloatVector r33 = FloatVector.fromArray(S, c, c3 + 3 * VL);
    int a0 = aOff;
    int a1 = aOff + lda;
    int a2 = aOff + 2 * lda;
    int a3 = aOff + 3 * lda;
    for (int p = 0; p < k; p++) {
      int bp = bOff + p * ldb;
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + VL);
      FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * VL);
      FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * VL);
      FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
      r00 = b0.fma(x, r00);
      r01 = b1.fma(x, r01);
      r02 = b2.fma(x, r02);
      r03 = b3.fma(x, r03);
      x = FloatVector.broadcast(S, a[a1 + p]);
      r10 = b0.fma(x, r10);
      r11 = b1.fma(x, r11);
      r12 = b2.fma(x, r12);
      r13 = b3.fma(x, r13);
      x = FloatVector.broadcast(S, a[a2 + p]);
      r20 = b0.fma(x, r20);
      r21 = b1.fma(x, r21);
      r22 = b2.fma(x, r22);
      r23 = b3.fma(x, r23);
      x = FloatVector.broadcast(S, a[a3 + p]);
      r30 = b0.fma(x, r30);
      r31 = b1.fma(x, r31);
      r32 = b2.fma(x, r32);
      r33 = b3.fma(x, r33);
    }
    r00.intoArray(c, c0);
    r01.intoArray(c, c0 + VL);
    r02.intoArray(c, c0 + 2 * VL);
    r03.intoArray(c, c0 + 3 * VL);
    r10.intoArray(c, c1);
    r11.intoArray(c, c1 + VL);
    r12.intoArray(c, c1 + 2 * VL);
    r13.intoArray(c, c1 + 3 * VL);
    r20.intoArray(c, c2);
    r21.intoArray(c, c2 + VL);
    r22.intoArray(c, c2 + 2 * VL);
    r23.intoArray(c, c2 + 3 * VL);
    r30.intoArray(c, c3);
    r31.intoArray(c, c3 + VL);
    r32.intoArray(c, c3 + 2 * VL);
    r33.intoArray(c, c3 + 3 * VL);
  }

  private static void tile1x4(
      float[] a, int aOff, float[] b, int bOff, int ldb, float[] c, int cOff, int k) {
    FloatVector r0 = FloatVector.fromArray(S, c, cOff);
    FloatVector r1 = FloatVector.fromArray(S, c, cOff + VL);
    FloatVector r2 = FloatVector.fromArray(S, c, cOff + 2 * VL);
    FloatVector r3 = FloatVector.fromArray(S, c, cOff + 3 * VL);
    for (int p = 0; p < k; p++) {
      int bp = bOff + p * ldb;
      FloatVector x = FloatVector.broadcast(S, a[aOff + p]);
      r0 = FloatVector.fromArray(S, b, bp).fma(x, r0);
      r1 = FloatVector.fromArray(S, b, bp + VL).fma(x, r1);
      r2 = FloatVector.fromArray(S, b, bp + 2 * VL).fma(x, r2);
      r3 = FloatVector.fromArray(S, b, bp + 3 * VL).fma(x, r3);
    }
    r0.intoArray(c, cOff);
    r1.intoArray(c, cOff + VL);
    r2.intoArray(c, cOff + 2 * VL);
    r3.intoArray(c, cOff + 3 * VL);
  }

  private static void tile4x1(
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc,
      int k) {
    FloatVector r0 = FloatVector.fromArray(S, c, cOff);
    FloatVector r1 = FloatVector.fromArray(S, c, cOff + ldc);
    FloatVector r2 = FloatVector.fromArray(S, c, cOff + 2 * ldc);
    FloatVector r3 = FloatVector.fromArray(S, c, cOff + 3 * ldc);
    int a0 = aOff;
    int a1 = aOff + lda;
    int a2 = aOff + 2 * lda;
    int a3 = aOff + 3 * lda;
    for (int p = 0; p < k; p++) {
      FloatVector bv = FloatVector.fromArray(S, b, bOff + p * ldb);
      r0 = bv.fma(FloatVector.broadcast(S, a[a0 + p]), r0);
      r1 = bv.fma(FloatVector.broadcast(S, a[a1 + p]), r1);
      r2 = bv.fma(FloatVector.broadcast(S, a[a2 + p]), r2);
      r3 = bv.fma(FloatVector.broadcast(S, a[a3 + p]), r3);
    }
    r0.intoArray(c, cOff);
    r1.intoArray(c, cOff + ldc);
    r2.intoArray(c, cOff + 2 * ldc);
    r3.intoArray(c, cOff + 3 * ldc);
  }

  private static void tile1x1(
      float[] a, int aOff, float[] b, int bOff, int ldb, float[] c, int cOff, int k) {
    FloatVector r = FloatVector.fromArray(S, c, cOff);
    for (int p = 0; p < k; p++) {
      r = FloatVector.fromArray(S, b, bOff + p * ldb).fma(FloatVector.broadcast(S, a[aOff + p]), r);
    }
    r.intoArray(c, cOff);
  }
}
