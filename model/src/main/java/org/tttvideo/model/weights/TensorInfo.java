package org.tttvideo.model.weights;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a safetensors header: a tensor's name, element type, shape and byte range.
 *
 * @param name the tensor's key in the header
 * @param dtype the element type
 * @param shape the dimensions, row-major; empty for a rank-0 (scalar) tensor
 * @param begin the first byte, relative to the start of the data section
 * @param end one past the last byte, relative to the start of the data section
 */
public record TensorInfo(String name, DType dtype, int[] shape, long begin, long end) {

  /** Checks the entry's own consistency; the reader checks the file around it. */
  public TensorInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    shape = Objects.requireNonNull(shape, "shape").clone();
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "tensor '" + name + "': negative dimension in shape " + Arrays.toString(shape));
      }
    }
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(
          "tensor '" + name + "': invalid byte range [" + begin + ", " + end + "]");
    }
  }

  /** A copy of the shape. */
  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** The number of elements: the product of the dimensions (1 for a rank-0 tensor). */
  public long numel() {
    return numel(shape);
  }

  /** The length of the byte range, {@code end - begin}. */
  public long byteLength() {
    return end - begin;
  }

  /** The product of non-negative {@code shape}; throws ArithmeticException past 64 bits. */
  static long numel(int[] shape) {
    for (int d : shape) {
      if (d == 0) {
        return 0; // whatever the other dimensions, even ones whose product would overflow
      }
    }
    long n = 1;
    for (int d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t
        && name.equals(t.name)
        && dtype == t.dtype
        && Arrays.equals(shape, t.shape)
        && begin == t.begin
        && end == t.end;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
  }
}
