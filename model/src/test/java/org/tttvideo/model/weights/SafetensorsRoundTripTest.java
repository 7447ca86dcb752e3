package org.tttvideo.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Percentage.withPercentage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tttvideo.model.compute.Tensor;

/**
 * {@link SafetensorsWriter} then {@link SafetensorsFile}: every dtype, rank 0 and empty tensors.
 */
class SafetensorsRoundTripTest {
  @TempDir Path dir;

  private static final float[] F32 = {
    1.5f, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, -3.25e-7f, 42f
  };
  private static final double[] F64 = {Math.PI, -1e-300, Double.MIN_VALUE, 1e300, 0.1, -7};
  private static final long[] I64 = {Long.MIN_VALUE, -1, 0, 1, 1L << 40, Long.MAX_VALUE};
  private static final int[] I32 = {Integer.MIN_VALUE, -1, 0, 1, 1 << 20, Integer.MAX_VALUE};
  // exactly representable in both F16 and BF16
  private static final float[] HALF = {1f, -2f, 0.5f, 0f, -0f, Float.POSITIVE_INFINITY};

  private Path writeAllTypes(String fileName) throws IOException {
    Path path = dir.resolve(fileName);
    new SafetensorsWriter()
        .metadata("kind", "linear")
        .metadata("note", "ünïcødé, \"quotes\" and \\ backslash")
        .addF32("f32", new int[] {2, 3}, F32)
        .addF64("f64", new int[] {3, 2}, F64)
        .addF16("f16", new int[] {6}, HALF)
        .addBF16("bf16", new int[] {1, 6}, HALF)
        .addI64("i64", new int[] {2, 1, 3}, I64)
        .addI32("i32", new int[] {6, 1}, I32)
        .addF32("scalar", new int[] {}, new float[] {2.5f})
        .addF64("scalar64", new int[] {}, new double[] {-0.125})
        .addI64("empty", new int[] {0}, new long[0])
        .addF32("empty3d", new int[] {2, 0, 3}, new float[0])
        .add("tensor", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2))
        .write(path);
    return path;
  }

  @Test
  void everyDtypeComesBackExactly() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(writeAllTypes("all.safetensors"))) {
      assertThat(f.readFloats("f32")).containsExactly(F32);
      assertThat(f.readDoubles("f64")).containsExactly(F64);
      assertThat(f.readLongs("i64")).containsExactly(I64);
      assertThat(f.readLongs("i32")).containsExactly(-2147483648L, -1, 0, 1, 1 << 20, 2147483647L);
      assertThat(f.readFloats("f16")).containsExactly(HALF);
      assertThat(f.readFloats("bf16")).containsExactly(HALF);
      assertThat(Float.floatToRawIntBits(f.readFloats("f16")[4])).isEqualTo(0x8000_0000);

      assertThat(f.info("f32"))
          .isEqualTo(new TensorInfo("f32", DType.F32, new int[] {2, 3}, 0, 24));
      assertThat(f.info("f64").shape()).containsExactly(3, 2);
      assertThat(f.info("bf16").dtype()).isEqualTo(DType.BF16);
      assertThat(f.info("i32").numel()).isEqualTo(6);
    }
  }

  @Test
  void namesFollowInsertionOrderWhichIsTheDataOrder() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(writeAllTypes("order.safetensors"))) {
      assertThat(f.names())
          .containsExactly(
              "f32",
              "f64",
              "f16",
              "bf16",
              "i64",
              "i32",
              "scalar",
              "scalar64",
              "empty",
              "empty3d",
              "tensor");
      assertThat(f.contains("f16")).isTrue();
      assertThat(f.contains("__metadata__")).isFalse();
      assertThat(f.contains("F16")).isFalse();
    }
  }

  @Test
  void metadataComesBackInOrder() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(writeAllTypes("meta.safetensors"))) {
      assertThat(f.metadata())
          .containsExactly(
              Map.entry("kind", "linear"),
              Map.entry("note", "ünïcødé, \"quotes\" and \\ backslash"));
    }
  }

  @Test
  void rankZeroAndEmptyTensors() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(writeAllTypes("edge.safetensors"))) {
      Tensor scalar = f.readTensor("scalar");
      assertThat(scalar.shape()).isEmpty();
      assertThat(scalar.data()).containsExactly(2.5f);
      assertThat(f.readDoubles("scalar64")).containsExactly(-0.125);
      assertThat(f.readTensor("scalar64").rank()).isZero();

      assertThat(f.readLongs("empty")).isEmpty();
      Tensor empty = f.readTensor("empty3d");
      assertThat(empty.shape()).containsExactly(2, 0, 3);
      assertThat(empty.size()).isZero();
      assertThat(f.info("empty3d").begin()).isEqualTo(f.info("empty3d").end());
    }
  }

  @Test
  void readTensorKeepsTheShapeAndConvertsEveryFloatType() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(writeAllTypes("tensor.safetensors"))) {
      assertThat(f.readTensor("tensor").bitEquals(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2)))
          .isTrue();
      Tensor f64 = f.readTensor("f64");
      assertThat(f64.shape()).containsExactly(3, 2);
      assertThat(f64.get(0)).isEqualTo((float) Math.PI);
      assertThat(f64.get(1)).isEqualTo(-0.0f); // -1e-300 underflows in float32
      assertThat(f.readTensor("bf16").shape()).containsExactly(1, 6);
    }
  }

  @Test
  void readDoublesWidensEveryFloatTypeExactly() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(writeAllTypes("widen.safetensors"))) {
      double[] widened = f.readDoubles("f32");
      for (int i = 0; i < F32.length; i++) {
        assertThat(widened[i]).isEqualTo((double) F32[i]);
      }
      assertThat(f.readDoubles("f16"))
          .containsExactly(1, -2, 0.5, 0, -0.0, Double.POSITIVE_INFINITY);
      assertThat(f.readDoubles("bf16"))
          .containsExactly(1, -2, 0.5, 0, -0.0, Double.POSITIVE_INFINITY);
    }
  }

  @Test
  void halfPrecisionWritesRoundToNearestEven() throws IOException {
    Path path = dir.resolve("round.safetensors");
    float[] values = {1 + 0x1p-11f, 65519f, 65520f, 1e-10f, (float) Math.PI, Float.NaN};
    new SafetensorsWriter()
        .addF16("h", new int[] {6}, values)
        .addBF16("b", new int[] {6}, values)
        .write(path);
    try (SafetensorsFile f = SafetensorsFile.open(path)) {
      float[] h = f.readFloats("h");
      assertThat(h).startsWith(1f, 65504f, Float.POSITIVE_INFINITY, 0f, 3.140625f);
      assertThat(h[5]).isNaN();
      float[] b = f.readFloats("b");
      assertThat(b).startsWith(1f, 65536f, 65536f);
      assertThat(Float.floatToRawIntBits(b[3]) & 0xffff).isZero();
      assertThat(b[3]).isCloseTo(1e-10f, withPercentage(0.5)); // BF16 keeps float32's range
      assertThat(b[4]).isEqualTo(3.140625f);
      assertThat(b[5]).isNaN();
    }
  }

  @Test
  void largeTensorsAreReadAcrossMappingWindows() throws IOException {
    Path path = dir.resolve("windows.safetensors");
    int n = 1001; // not a multiple of any window
    float[] f32 = new float[n];
    double[] f64 = new double[n];
    long[] i64 = new long[n];
    int[] i32 = new int[n];
    float[] half = new float[n];
    float[] bhalf = new float[n];
    for (int i = 0; i < n; i++) {
      f32[i] = i * 0.37f - 100;
      f64[i] = i * 1e-3 - Math.E;
      i64[i] = (long) i * 7919 - 5_000_000_000L;
      i32[i] = i * -31;
      half[i] = (i - 500) / 4f; // 11 significant bits: exact in F16
      bhalf[i] = ((i % 256) - 128) / 4f; // 8 significant bits: exact in BF16
    }
    new SafetensorsWriter()
        .addF16("half", new int[] {7, 11, 13}, half)
        .addF32("f32", new int[] {n}, f32)
        .addF64("f64", new int[] {n}, f64)
        .addI64("i64", new int[] {n}, i64)
        .addI32("i32", new int[] {n}, i32)
        .addBF16("bhalf", new int[] {n}, bhalf)
        .write(path);
    for (long window : new long[] {8, 24, 4096, SafetensorsFile.DEFAULT_WINDOW_BYTES}) {
      try (SafetensorsFile f = SafetensorsFile.open(path, window)) {
        assertThat(f.readFloats("f32")).as("window %d", window).containsExactly(f32);
        assertThat(f.readDoubles("f64")).as("window %d", window).containsExactly(f64);
        assertThat(f.readLongs("i64")).as("window %d", window).containsExactly(i64);
        long[] widened = f.readLongs("i32");
        for (int i = 0; i < n; i++) {
          assertThat(widened[i]).isEqualTo(i32[i]);
        }
        assertThat(f.readFloats("half")).as("window %d", window).containsExactly(half);
        assertThat(f.readFloats("bhalf")).as("window %d", window).containsExactly(bhalf);
      }
    }
  }

  @Test
  void aFileWithoutTensorsOrMetadataRoundTrips() throws IOException {
    Path path = dir.resolve("empty.safetensors");
    new SafetensorsWriter().write(path);
    try (SafetensorsFile f = SafetensorsFile.open(path)) {
      assertThat(f.names()).isEmpty();
      assertThat(f.metadata()).isEmpty();
    }
  }

  @Test
  void wrongKindOfReadNamesTheTensorAndItsDtype() throws IOException {
    Path path = writeAllTypes("kinds.safetensors");
    try (SafetensorsFile f = SafetensorsFile.open(path)) {
      assertThatThrownBy(() -> f.readFloats("i64"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("tensor 'i64'")
          .hasMessageContaining("kinds.safetensors")
          .hasMessageContaining("dtype I64")
          .hasMessageContaining("readFloats needs a floating-point dtype");
      assertThatThrownBy(() -> f.readTensor("i32"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("tensor 'i32'")
          .hasMessageContaining("dtype I32");
      assertThatThrownBy(() -> f.readDoubles("i32"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("dtype I32");
      assertThatThrownBy(() -> f.readLongs("f16"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("tensor 'f16'")
          .hasMessageContaining("dtype F16")
          .hasMessageContaining("readLongs needs an integer dtype (I64, I32)");
    }
  }

  @Test
  void unknownNamesAreRejectedNamingTheFile() throws IOException {
    Path path = writeAllTypes("names.safetensors");
    try (SafetensorsFile f = SafetensorsFile.open(path)) {
      assertThatThrownBy(() -> f.info("W1"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("no tensor 'W1' in ")
          .hasMessageContaining("names.safetensors")
          .hasMessageContaining("11 tensors: f32, f64, f16");
      assertThatThrownBy(() -> f.readFloats("__metadata__"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no tensor '__metadata__'");
    }
  }

  @Test
  void readingAfterCloseFails() throws IOException {
    SafetensorsFile f = SafetensorsFile.open(writeAllTypes("closed.safetensors"));
    f.close();
    assertThat(f.info("f32").numel()).isEqualTo(6); // the header stays available
    assertThatThrownBy(() -> f.readFloats("f32"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed.safetensors is closed");
    f.close(); // idempotent
  }
}
