package org.tttvideo.model.weights;

import java.util.Arrays;

/** The element types this package reads and writes, under their safetensors names. */
public enum DType {
  F64(8),
  F32(4),
  F16(2),
  BF16(2),
  I64(8),
  I32(4);

  private final int byteSize;

  DType(int byteSize) {
    this.byteSize = byteSize;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** Whether this is one of the floating-point types ({@code F64, F32, F16, BF16}). */
  public boolean isFloatingPoint() {
    return this == F64 || this == F32 || this == F16 || this == BF16;
  }

  /**
   * The type named {@code name} exactly as safetensors spells it ({@code "F32"}, {@code "BF16"},
   * ...).
   *
   * @throws IllegalArgumentException naming the value and the allowed set when it is unknown
   */
  public static DType parse(String name) {
    if (name != null) {
      for (DType t : values()) {
        if (t.name().equals(name)) {
          return t;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown dtype "
            + (name == null ? "null" : "'" + name + "'")
            + ", allowed: "
            + Arrays.toString(values()));
  }
}
