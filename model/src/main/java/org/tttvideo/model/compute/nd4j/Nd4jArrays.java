package org.tttvideo.model.compute.nd4j;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tttvideo.model.compute.Tensor;

/**
 * The boundary between {@link Tensor} and ND4J: copies in and out (a tensor never shares memory
 * with an {@link INDArray}, so no ND4J operation can write into a caller's tensor), and the shape
 * checks shared by the backend's operations.
 */
final class Nd4jArrays {
  private Nd4jArrays() {}

  /** A new c-ordered float32 array holding a copy of {@code t}'s data. */
  static INDArray toNd4j(Tensor t) {
    return Nd4j.create(t.data(), longs(t.shape()), 'c');
  }

  /** {@code t}'s data copied into a new c-ordered float32 array of another shape (same size). */
  static INDArray toNd4j(Tensor t, long... shape) {
    return Nd4j.create(t.data(), shape, 'c');
  }

  /** A new tensor of the given shape holding a row-major copy of {@code a}. */
  static Tensor toTensor(INDArray a, int... shape) {
    INDArray c = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
    // A view (slice, permutation, transposed operand) or an f-ordered result does not lie
    // row-major at offset 0 of its own buffer: copy it out in c order first. The strides are
    // compared because a permuted array can report ordering 'c' and isView() false.
    boolean rowMajor =
        !c.isView()
            && c.offset() == 0
            && c.data().length() == c.length()
            && Arrays.equals(c.stride(), Nd4j.getStrides(c.shape(), 'c'));
    if (!rowMajor) {
      c = c.dup('c');
    }
    float[] data = c.length() == 0 ? new float[0] : c.data().asFloat();
    return Tensor.of(data, shape);
  }

  static long[] longs(int... shape) {
    long[] s = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      s[i] = shape[i];
    }
    return s;
  }

  /** The shape with its last dimension replaced. */
  static int[] withLast(int[] shape, int last) {
    int[] s = shape.clone();
    s[s.length - 1] = last;
    return s;
  }

  static Tensor require(Tensor t, String op, String name) {
    if (t == null) {
      throw new NullPointerException(op + ": " + name + " must not be null");
    }
    return t;
  }

  /** Requires rank at least {@code minRank}; the message names the operation and argument. */
  static void requireRank(Tensor t, int minRank, String op, String name, String layout) {
    require(t, op, name);
    if (t.rank() < minRank) {
      throw new IllegalArgumentException(
          op
              + ": "
              + name
              + " must be "
              + layout
              + " (rank >= "
              + minRank
              + "), got "
              + Arrays.toString(t.shape()));
    }
  }

  /** Requires exactly {@code expected}; the message names the argument and both shapes. */
  static void requireShape(Tensor t, String op, String name, int... expected) {
    require(t, op, name);
    if (!Arrays.equals(t.shape(), expected)) {
      throw new IllegalArgumentException(
          op
              + ": "
              + name
              + " must have shape "
              + Arrays.toString(expected)
              + ", got "
              + Arrays.toString(t.shape()));
    }
  }

  /**
   * Checks that {@code b} broadcasts against {@code a} (aligned on the right, every dimension equal
   * or 1, rank at most {@code a}'s) and returns {@code b}'s shape padded on the left with ones to
   * {@code a}'s rank.
   */
  static long[] broadcastShape(Tensor a, Tensor b, String op) {
    require(a, op, "a");
    require(b, op, "b");
    int[] as = a.shape();
    int[] bs = b.shape();
    boolean ok = bs.length <= as.length;
    long[] padded = new long[as.length];
    Arrays.fill(padded, 1);
    for (int i = 1; ok && i <= bs.length; i++) {
      int bd = bs[bs.length - i];
      ok = bd == 1 || bd == as[as.length - i];
      padded[as.length - i] = bd;
    }
    if (!ok) {
      throw new IllegalArgumentException(
          op
              + ": b "
              + Arrays.toString(bs)
              + " does not broadcast against a "
              + Arrays.toString(as)
              + " (b's dimensions, aligned on the right, must equal a's or be 1)");
    }
    return padded;
  }
}
