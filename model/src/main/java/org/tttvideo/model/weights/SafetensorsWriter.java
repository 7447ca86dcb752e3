package org.tttvideo.model.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.tttvideo.model.compute.Tensor;

/**
 * Builds a safetensors file: tensors are written in the order they were added, the header is padded
 * with spaces to a multiple of 8 bytes, and the file appears atomically (written to a temporary
 * file in the same directory, then renamed).
 *
 * <p>The arrays passed in are not copied; they are read when {@link #write} runs, so do not change
 * them before that. F16 and BF16 are rounded to nearest, ties to even.
 *
 * <pre>{@code
 * new SafetensorsWriter()
 *     .metadata("kind", "linear")
 *     .addF32("xq", new int[] {2, 2, 12, 8}, xq)
 *     .addF64("expected.out", new int[] {2, 2, 12, 8}, expected)
 *     .write(Path.of("scan.safetensors"));
 * }</pre>
 */
public final class SafetensorsWriter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BUFFER_BYTES = 1 << 16;

  /** One tensor to write; {@code data} is a float[], double[], long[] or int[]. */
  private record Entry(String name, DType dtype, int[] shape, Object data, int length) {
    long byteLength() {
      return (long) length * dtype.byteSize();
    }
  }

  private final Map<String, String> metadata = new LinkedHashMap<>();
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  /** Adds a {@code __metadata__} entry; each key may be set once. */
  public SafetensorsWriter metadata(String key, String value) {
    Objects.requireNonNull(key, "metadata key");
    Objects.requireNonNull(value, () -> "metadata value of key '" + key + "'");
    if (metadata.containsKey(key)) {
      throw new IllegalArgumentException(
          "metadata key '" + key + "' is already set to '" + metadata.get(key) + "'");
    }
    metadata.put(key, value);
    return this;
  }

  public SafetensorsWriter addF32(String name, int[] shape, float[] data) {
    return add(name, DType.F32, shape, data, Objects.requireNonNull(data, name).length);
  }

  public SafetensorsWriter addF64(String name, int[] shape, double[] data) {
    return add(name, DType.F64, shape, data, Objects.requireNonNull(data, name).length);
  }

  /** Adds {@code data} rounded to IEEE binary16 (values beyond ±65504 become infinite). */
  public SafetensorsWriter addF16(String name, int[] shape, float[] data) {
    return add(name, DType.F16, shape, data, Objects.requireNonNull(data, name).length);
  }

  /** Adds {@code data} rounded to bfloat16. */
  public SafetensorsWriter addBF16(String name, int[] shape, float[] data) {
    return add(name, DType.BF16, shape, data, Objects.requireNonNull(data, name).length);
  }

  public SafetensorsWriter addI64(String name, int[] shape, long[] data) {
    return add(name, DType.I64, shape, data, Objects.requireNonNull(data, name).length);
  }

  public SafetensorsWriter addI32(String name, int[] shape, int[] data) {
    return add(name, DType.I32, shape, data, Objects.requireNonNull(data, name).length);
  }

  /** Adds {@code tensor} as F32 with its own shape. */
  public SafetensorsWriter add(String name, Tensor tensor) {
    Objects.requireNonNull(tensor, name);
    return addF32(name, tensor.shape(), tensor.data());
  }

  private SafetensorsWriter add(String name, DType dtype, int[] shape, Object data, int length) {
    Objects.requireNonNull(name, "tensor name");
    Objects.requireNonNull(shape, () -> "shape of tensor '" + name + "'");
    if (name.equals(SafetensorsHeader.METADATA_KEY)) {
      throw new IllegalArgumentException(
          "tensor name '" + name + "' is reserved for the metadata entry");
    }
    if (entries.containsKey(name)) {
      throw new IllegalArgumentException("tensor '" + name + "' is already added");
    }
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "tensor '" + name + "': negative dimension in shape " + Arrays.toString(shape));
      }
    }
    long numel = shapeHolds(shape);
    if (numel != length) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "': shape "
              + Arrays.toString(shape)
              + " holds "
              + (numel < 0 ? "more than " + Integer.MAX_VALUE : numel)
              + " elements but the data has "
              + length);
    }
    entries.put(name, new Entry(name, dtype, shape.clone(), data, length));
    return this;
  }

  /** The element count of a non-negative {@code shape}, or -1 when it exceeds an array's. */
  private static long shapeHolds(int[] shape) {
    try {
      long n = TensorInfo.numel(shape);
      return n <= Integer.MAX_VALUE ? n : -1;
    } catch (ArithmeticException e) {
      return -1;
    }
  }

  /**
   * Writes the file, replacing {@code path} atomically: on failure the previous content (if any) is
   * untouched and no temporary file is left behind.
   */
  public void write(Path path) throws IOException {
    byte[] header = header();
    Path target = path.toAbsolutePath();
    Path tmp =
        target.resolveSibling(
            "."
                + target.getFileName()
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
    try {
      try (FileChannel out =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length);
        for (byte b : header) {
          put(out, buf, 1).put(b);
        }
        for (Entry e : entries.values()) {
          writeData(out, buf, e);
        }
        drain(out, buf);
        out.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The JSON header, padded with spaces to a multiple of 8 bytes. */
  private byte[] header() throws IOException {
    ObjectNode root = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Entry e : entries.values()) {
      ObjectNode node = root.putObject(e.name());
      node.put("dtype", e.dtype().name());
      ArrayNode shape = node.putArray("shape");
      for (int d : e.shape()) {
        shape.add(d);
      }
      node.putArray("data_offsets").add(offset).add(offset + e.byteLength());
      offset += e.byteLength();
    }
    byte[] json = JSON.writeValueAsBytes(root);
    int padded = (json.length + 7) & ~7;
    byte[] header = Arrays.copyOf(json, padded);
    Arrays.fill(header, json.length, padded, (byte) ' ');
    return header;
  }

  private static void writeData(FileChannel out, ByteBuffer buf, Entry e) throws IOException {
    int n = e.length();
    switch (e.dtype()) {
      case F32 -> {
        float[] a = (float[]) e.data();
        for (int i = 0; i < n; i++) {
          put(out, buf, 4).putFloat(a[i]);
        }
      }
      case F64 -> {
        double[] a = (double[]) e.data();
        for (int i = 0; i < n; i++) {
          put(out, buf, 8).putDouble(a[i]);
        }
      }
      case F16 -> {
        float[] a = (float[]) e.data();
        for (int i = 0; i < n; i++) {
          put(out, buf, 2).putShort(HalfFloats.floatToF16(a[i]));
        }
      }
      case BF16 -> {
        float[] a = (float[]) e.data();
        for (int i = 0; i < n; i++) {
          put(out, buf, 2).putShort(HalfFloats.floatToBf16(a[i]));
        }
      }
      case I64 -> {
        long[] a = (long[]) e.data();
        for (int i = 0; i < n; i++) {
          put(out, buf, 8).putLong(a[i]);
        }
      }
      case I32 -> {
        int[] a = (int[]) e.data();
        for (int i = 0; i < n; i++) {
          put(out, buf, 4).putInt(a[i]);
        }
      }
      default -> throw new AssertionError(e.dtype());
    }
  }

  /** {@code buf} with room for {@code bytes} more, drained to {@code out} first if needed. */
  private static ByteBuffer put(FileChannel out, ByteBuffer buf, int bytes) throws IOException {
    if (buf.remaining() < bytes) {
      drain(out, buf);
    }
    return buf;
  }

  private static void drain(FileChannel out, ByteBuffer buf) throws IOException {
    buf.flip();
    while (buf.hasRemaining()) {
      out.write(buf);
    }
    buf.clear();
  }
}
