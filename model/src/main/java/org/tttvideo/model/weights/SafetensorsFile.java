package org.tttvideo.model.weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tttvideo.model.compute.Tensor;

/**
 * A safetensors file opened for reading: the header is parsed and validated at {@link #open}, the
 * tensor data is memory-mapped only when a tensor is read. The header's rules, which follow the
 * Rust reference library, are in {@link SafetensorsHeader}; any breach is a {@link
 * SafetensorsFormatException} naming the file and the tensor.
 *
 * <p>Data is mapped in windows of at most 1 GiB per read, so neither the file nor a single tensor
 * is limited to 2 GiB of bytes; the result of a read must still fit a Java array. Reads may run
 * concurrently from several threads.
 *
 * <pre>{@code
 * try (SafetensorsFile f = SafetensorsFile.open(Path.of("model.safetensors"))) {
 *   Tensor w1 = f.readTensor("W1");                  // any float dtype, as float32
 *   double[] expected = f.readDoubles("expected.out"); // F64 exactly
 *   String kind = f.metadata().get("kind");
 * }
 * }</pre>
 */
public final class SafetensorsFile implements AutoCloseable {
  /** Bytes mapped at a time while reading one tensor; a multiple of every element size. */
  static final long DEFAULT_WINDOW_BYTES = 1L << 30;

  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final long windowBytes;
  private final Map<String, String> metadata;
  private final Map<String, TensorInfo> tensors; // in data-offset order
  private final List<String> names;
  private volatile boolean closed;

  private SafetensorsFile(
      Path path, FileChannel channel, long windowBytes, SafetensorsHeader header) {
    this.path = path;
    this.channel = channel;
    this.dataStart = header.dataStart();
    this.windowBytes = windowBytes;
    this.metadata = Collections.unmodifiableMap(header.metadata());
    Map<String, TensorInfo> byName = new LinkedHashMap<>();
    for (TensorInfo t : header.tensors()) {
      byName.put(t.name(), t);
    }
    this.tensors = Collections.unmodifiableMap(byName);
    this.names = List.copyOf(byName.keySet());
  }

  /**
   * Opens and validates {@code path}. The caller closes the result.
   *
   * @throws SafetensorsFormatException when the file breaks the format
   * @throws IOException when it cannot be read
   */
  public static SafetensorsFile open(Path path) throws IOException {
    return open(path, DEFAULT_WINDOW_BYTES);
  }

  /**
   * As {@link #open(Path)}, mapping at most {@code windowBytes} at a time (tests use small ones).
   */
  static SafetensorsFile open(Path path, long windowBytes) throws IOException {
    if (windowBytes <= 0 || windowBytes % 8 != 0) {
      throw new IllegalArgumentException(
          "windowBytes must be a positive multiple of 8, got " + windowBytes);
    }
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      return new SafetensorsFile(path, channel, windowBytes, SafetensorsHeader.read(path, channel));
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The file as given to {@link #open}. */
  public Path path() {
    return path;
  }

  /** The {@code __metadata__} entries in header order; empty when there are none. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The tensor names in data-offset order. */
  public List<String> names() {
    return names;
  }

  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  /**
   * The header entry of tensor {@code name}.
   *
   * @throws IllegalArgumentException naming the tensor and the file when there is no such tensor
   */
  public TensorInfo info(String name) {
    TensorInfo t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException(
          "no tensor '" + name + "' in " + path + " (it has " + describeNames() + ")");
    }
    return t;
  }

  private String describeNames() {
    if (names.isEmpty()) {
      return "no tensors";
    }
    int shown = Math.min(names.size(), 8);
    return names.size()
        + " tensors: "
        + String.join(", ", names.subList(0, shown))
        + (shown < names.size() ? ", ..." : "");
  }

  /**
   * The values of a floating-point tensor ({@code F64, F32, F16, BF16}) as float32, row-major. F64
   * is rounded to nearest; the others are exact.
   */
  public float[] readFloats(String name) {
    TensorInfo t = requireKind(name, true, "readFloats");
    float[] out = new float[arrayLength(t)];
    switch (t.dtype()) {
      case F32 -> forEachWindow(t, (buf, at, n) -> buf.asFloatBuffer().get(out, at, n));
      case F64 -> forEachElement(t, (buf, at, i) -> out[i] = (float) buf.getDouble(at));
      case F16 ->
          forEachElement(t, (buf, at, i) -> out[i] = HalfFloats.f16ToFloat(buf.getShort(at)));
      case BF16 ->
          forEachElement(t, (buf, at, i) -> out[i] = HalfFloats.bf16ToFloat(buf.getShort(at)));
      default -> throw new AssertionError(t.dtype());
    }
    return out;
  }

  /** The values of a floating-point tensor widened to float64, row-major (exact for every type). */
  public double[] readDoubles(String name) {
    TensorInfo t = requireKind(name, true, "readDoubles");
    if (t.dtype() == DType.F64) {
      double[] out = new double[arrayLength(t)];
      forEachWindow(t, (buf, at, n) -> buf.asDoubleBuffer().get(out, at, n));
      return out;
    }
    // F32, F16 and BF16 values are all exact in float32, so widening the float read is exact.
    float[] f = readFloats(name);
    double[] out = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      out[i] = f[i];
    }
    return out;
  }

  /** The values of an integer tensor ({@code I64, I32}) as longs, row-major. */
  public long[] readLongs(String name) {
    TensorInfo t = requireKind(name, false, "readLongs");
    long[] out = new long[arrayLength(t)];
    switch (t.dtype()) {
      case I64 -> forEachWindow(t, (buf, at, n) -> buf.asLongBuffer().get(out, at, n));
      case I32 -> forEachElement(t, (buf, at, i) -> out[i] = buf.getInt(at));
      default -> throw new AssertionError(t.dtype());
    }
    return out;
  }

  /** A floating-point tensor as a float32 {@link Tensor} of the header's shape ([] for rank 0). */
  public Tensor readTensor(String name) {
    TensorInfo t = info(name);
    return Tensor.of(readFloats(name), t.shape());
  }

  private TensorInfo requireKind(String name, boolean floatingPoint, String method) {
    TensorInfo t = info(name);
    if (t.dtype().isFloatingPoint() != floatingPoint) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "' in "
              + path
              + " has dtype "
              + t.dtype()
              + "; "
              + method
              + " needs "
              + (floatingPoint
                  ? "a floating-point dtype (F64, F32, F16, BF16)"
                  : "an integer dtype (I64, I32)"));
    }
    return t;
  }

  private int arrayLength(TensorInfo t) {
    long n = t.numel();
    // the largest array length every JVM allocates
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "tensor '"
              + t.name()
              + "' in "
              + path
              + " has "
              + n
              + " elements, too many for an array");
    }
    return (int) n;
  }

  /** Receives one mapped window: {@code count} elements that go to indices {@code first...}. */
  @FunctionalInterface
  private interface WindowReader {
    void read(ByteBuffer littleEndian, int first, int count);
  }

  /** Receives one element: the bytes at {@code offset} of a mapped window go to index {@code i}. */
  @FunctionalInterface
  private interface ElementReader {
    void read(ByteBuffer littleEndian, int offset, int i);
  }

  /** Element by element, for reads that convert each value (the others copy whole windows). */
  private void forEachElement(TensorInfo t, ElementReader reader) {
    int elementSize = t.dtype().byteSize();
    forEachWindow(
        t,
        (buf, first, count) -> {
          for (int k = 0; k < count; k++) {
            reader.read(buf, k * elementSize, first + k);
          }
        });
  }

  private void forEachWindow(TensorInfo t, WindowReader reader) {
    if (closed) {
      throw new IllegalStateException(path + " is closed");
    }
    int elementSize = t.dtype().byteSize();
    long total = t.byteLength();
    try {
      for (long done = 0; done < total; ) {
        long length = Math.min(windowBytes, total - done);
        ByteBuffer window =
            channel
                .map(FileChannel.MapMode.READ_ONLY, dataStart + t.begin() + done, length)
                .order(ByteOrder.LITTLE_ENDIAN);
        reader.read(window, (int) (done / elementSize), (int) (length / elementSize));
        done += length;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot map tensor '" + t.name() + "'", e);
    }
  }

  /** Closes the file; reading afterwards throws {@link IllegalStateException}. */
  @Override
  public void close() throws IOException {
    closed = true;
    channel.close();
  }

  @Override
  public String toString() {
    return "SafetensorsFile[" + path + ", " + names.size() + " tensors]";
  }
}
