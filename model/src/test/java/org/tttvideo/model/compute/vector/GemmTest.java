package org.tttvideo.model.compute.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Gemm#mulAdd} on sub-matrices with leading dimensions wider than the rows, against the
 * per-element sequence its Javadoc promises: one {@link Math#fma} chain over {@code k} in ascending
 * order, starting from {@code C}. The comparison is bit for bit.
 */
class GemmTest {

  @Test
  void mulAddIsOneFmaChainPerElementForAnyShapeAndStride() {
    Random rnd = new Random(71);
    int[] sizes = {1, 3, 4, 5, 15, 16, 17, 33, 64, 65, 70};
    for (int m : sizes) {
      for (int n : sizes) {
        for (int k : new int[] {1, 7, 64}) {
          int lda = k + 3;
          int ldb = n + 5;
          int ldc = n + 2;
          int aOff = 2;
          int bOff = 1;
          int cOff = 3;
          float[] a = random(rnd, aOff + m * lda);
          float[] b = random(rnd, bOff + k * ldb);
          float[] c = random(rnd, cOff + m * ldc);
          float[] expected = c.clone();
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              float r = expected[cOff + i * ldc + j];
              for (int p = 0; p < k; p++) {
                r = Math.fma(a[aOff + i * lda + p], b[bOff + p * ldb + j], r);
              }
              expected[cOff + i * ldc + j] = r;
            }
          }
          Gemm.mulAdd(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, n, k);
          assertThat(c)
              .as("C += A B for m=%d n=%d k=%d, and nothing outside C touched", m, n, k)
              .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void transposeSwapsRowsAndColumns() {
    Random rnd = new Random(72);
    for (int[] rc : new int[][] {{1, 1}, {3, 70}, {17, 16}, {64, 256}}) {
      float[] src = random(rnd, 1 + rc[0] * rc[1]);
      float[] dst = new float[2 + rc[0] * rc[1]];
      Gemm.transpose(src, 1, rc[0], rc[1], dst, 2);
      for (int r = 0; r < rc[0]; r++) {
        for (int c = 0; c < rc[1]; c++) {
          assertThat(dst[2 + c * rc[0] + r]).isEqualTo(src[1 + r * rc[1] + c]);
        }
      }
    }
  }

  private static float[] random(Random rnd, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    return x;
  }
}
