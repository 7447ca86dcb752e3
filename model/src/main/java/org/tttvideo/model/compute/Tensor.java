package org.tttvideo.model.compute;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major order: the value type that flows between the model and its
 * compute backends.
 *
 * <p>Tensors are treated as immutable values: no backend operation writes into its inputs, and code
 * that hands a tensor to Flink state never changes it afterwards. The backing array is exposed (see
 * {@link #data()}) so that backends and serializers can read it without a copy; writing into it is
 * allowed only for the code that has just created the tensor.
 *
 * <pre>{@code
 * Tensor x = Tensor.zeros(2, 3);          // [2, 3]
 * Tensor y = x.reshape(3, 2);             // same data, [3, 2]
 * float v = Tensor.of(new float[] {1, 2}, 2).get(1); // 2.0
 * }</pre>
 */
public final class Tensor {
  private final float[] data;
  private final int[] shape;

  private Tensor(float[] data, int[] shape) {
    this.data = data;
    this.shape = shape;
  }

  /** Wraps {@code data} (no copy) as a tensor of the given shape. */
  public static Tensor of(float[] data, int... shape) {
    int[] s = shape.clone();
    long n = checkShape(s);
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(s) + " holds " + n + " elements, data has " + data.length);
    }
    return new Tensor(data, s);
  }

  /** A new tensor of zeros. */
  public static Tensor zeros(int... shape) {
    int[] s = shape.clone();
    return new Tensor(new float[Math.toIntExact(checkShape(s))], s);
  }

  /** A scalar-free 1-D tensor holding {@code values} (copied). */
  public static Tensor vector(float... values) {
    return new Tensor(values.clone(), new int[] {values.length});
  }

  private static long checkShape(int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " exceeds " + Integer.MAX_VALUE + " elements");
      }
    }
    return n;
  }

  /** The backing array, row-major. Do not write into a tensor that someone else may hold. */
  public float[] data() {
    return data;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  /** Size of dimension {@code i}; negative {@code i} counts from the end. */
  public int dim(int i) {
    return shape[i < 0 ? shape.length + i : i];
  }

  public int size() {
    return data.length;
  }

  /** The same data viewed with another shape of equal element count. */
  public Tensor reshape(int... newShape) {
    return of(data, newShape);
  }

  /** A deep copy. */
  public Tensor copy() {
    return new Tensor(data.clone(), shape.clone());
  }

  /** The element at a flat row-major index. */
  public float get(int flatIndex) {
    return data[flatIndex];
  }

  /** The element at the given multi-index. */
  public float at(int... index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException(
          "index of rank " + index.length + " for tensor of shape " + Arrays.toString(shape));
    }
    int flat = 0;
    for (int i = 0; i < shape.length; i++) {
      if (index[i] < 0 || index[i] >= shape[i]) {
        throw new IndexOutOfBoundsException(
            "index " + Arrays.toString(index) + " out of shape " + Arrays.toString(shape));
      }
      flat = flat * shape[i] + index[i];
    }
    return data[flat];
  }

  /** Product of all dimensions before the last one (the number of rows of a matrix view). */
  public int rows() {
    return shape.length == 0 ? 1 : data.length / Math.max(1, shape[shape.length - 1]);
  }

  /** Whether {@code other} has the same shape. */
  public boolean sameShape(Tensor other) {
    return Arrays.equals(shape, other.shape);
  }

  /** Bit-for-bit equality of shape and values (used by determinism tests). */
  public boolean bitEquals(Tensor other) {
    if (!sameShape(other)) {
      return false;
    }
    for (int i = 0; i < data.length; i++) {
      if (Float.floatToRawIntBits(data[i]) != Float.floatToRawIntBits(other.data[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape);
  }
}
