package org.tttvideo.model.weights;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tttvideo.model.compute.Tensor;

/**
 * A safetensors file opened for reading: the header is parsed and validated at {@link #open}, the
 * tensor data is memory-mapped only when a tensor is read.
 *
 * <p>Validation follows the Rust reference library ({@code safetensors::SafeTensors::deserialize}):
 * a header of at most 100 MiB that is a UTF-8 JSON object without duplicate keys, every entry with
 * a known dtype, a non-negative shape and a byte range that matches it, and the tensors covering
 * the data section exactly, without gaps or overlaps. Any breach is a {@link
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
  /** Largest header accepted, as in the Rust reference library (which uses 100 MB). */
  static final long MAX_HEADER_BYTES = 100L << 20;

  /** Bytes mapped at a time while reading one tensor; a multiple of every element size. */
  static final long DEFAULT_WINDOW_BYTES = 1L << 30;

  static final String METADATA_KEY = "__metadata__";

  private static final List<String> ENTRY_FIELDS = List.of("dtype", "shape", "data_offsets");

  private static final Pattern JACKSON_DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

  private static final ObjectMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  // a metadata value may be as long as the header itself
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxStringLength((int) MAX_HEADER_BYTES)
                          .build())
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final long windowBytes;
  private final Map<String, String> metadata;
  private final Map<String, TensorInfo> tensors; // in data-offset order
  private final List<String> names;
  private volatile boolean closed;

  private SafetensorsFile(
      Path path,
      FileChannel channel,
      long dataStart,
      long windowBytes,
      Map<String, String> metadata,
      List<TensorInfo> sorted) {
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.windowBytes = windowBytes;
    this.metadata = Collections.unmodifiableMap(metadata);
    Map<String, TensorInfo> byName = new LinkedHashMap<>();
    for (TensorInfo t : sorted) {
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
      return parse(path, channel, windowBytes);
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static SafetensorsFile parse(Path path, FileChannel channel, long windowBytes)
      throws IOException {
    long fileSize = channel.size();
    if (fileSize < 8) {
      throw new SafetensorsFormatException(
          path, null, "file is " + fileSize + " bytes, shorter than the 8-byte header length");
    }
    ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, prefix, 0);
    long headerLength = prefix.getLong(0); // unsigned: a set top bit reads as negative
    if (Long.compareUnsigned(headerLength, MAX_HEADER_BYTES) > 0) {
      throw new SafetensorsFormatException(
          path,
          null,
          "header length "
              + Long.toUnsignedString(headerLength)
              + " exceeds the limit of "
              + MAX_HEADER_BYTES
              + " bytes");
    }
    if (headerLength > fileSize - 8) {
      throw new SafetensorsFormatException(
          path,
          null,
          "header length "
              + headerLength
              + " is larger than the "
              + (fileSize - 8)
              + " bytes that follow the length prefix");
    }
    ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
    readFully(channel, headerBytes, 8);
    JsonNode root = parseJson(path, decodeUtf8(path, headerBytes));

    long dataLength = fileSize - 8 - headerLength;
    Map<String, String> metadata = new LinkedHashMap<>();
    List<TensorInfo> infos = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      if (e.getKey().equals(METADATA_KEY)) {
        parseMetadata(path, e.getValue(), metadata);
      } else {
        infos.add(parseEntry(path, e.getKey(), e.getValue(), dataLength));
      }
    }
    // Stable sort: zero-size tensors sharing an offset keep their header order.
    infos.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    checkCoverage(path, infos, dataLength);
    return new SafetensorsFile(path, channel, 8 + headerLength, windowBytes, metadata, infos);
  }

  private static void readFully(FileChannel channel, ByteBuffer dst, long position)
      throws IOException {
    while (dst.hasRemaining()) {
      int n = channel.read(dst, position + dst.position());
      if (n < 0) {
        throw new EOFException("file ended while reading its header");
      }
    }
    dst.flip();
  }

  private static String decodeUtf8(Path path, ByteBuffer bytes) throws IOException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer chars = CharBuffer.allocate(bytes.remaining());
    CoderResult result = decoder.decode(bytes, chars, true);
    if (!result.isError()) {
      result = decoder.flush(chars);
    }
    if (result.isError()) {
      throw new SafetensorsFormatException(
          path,
          null,
          "header is not valid UTF-8 (bad byte at header offset " + bytes.position() + ")");
    }
    return chars.flip().toString();
  }

  private static JsonNode parseJson(Path path, String header) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(header);
    } catch (JsonProcessingException e) {
      Matcher dup = JACKSON_DUPLICATE.matcher(e.getOriginalMessage());
      String problem =
          dup.find()
              ? "duplicate key '" + dup.group(1) + "' in the header"
              : "header is not valid JSON: " + e.getOriginalMessage();
      if (e.getLocation() != null) {
        problem += " (at header character " + e.getLocation().getCharOffset() + ")";
      }
      throw new SafetensorsFormatException(path, null, problem, e);
    }
    if (root == null || !root.isObject()) {
      throw new SafetensorsFormatException(
          path,
          null,
          "header is "
              + (root == null || root.isMissingNode() ? "empty" : "a JSON " + typeOf(root))
              + ", expected a JSON object");
    }
    return root;
  }

  private static void parseMetadata(Path path, JsonNode node, Map<String, String> out)
      throws SafetensorsFormatException {
    if (!node.isObject()) {
      throw new SafetensorsFormatException(
          path,
          null,
          "'" + METADATA_KEY + "' is a JSON " + typeOf(node) + ", expected an object of strings");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw new SafetensorsFormatException(
            path,
            null,
            "metadata value of key '"
                + e.getKey()
                + "' is a JSON "
                + typeOf(e.getValue())
                + ", expected a string");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
  }

  private static TensorInfo parseEntry(Path path, String name, JsonNode node, long dataLength)
      throws SafetensorsFormatException {
    if (!node.isObject()) {
      throw new SafetensorsFormatException(
          path,
          name,
          "entry is a JSON " + typeOf(node) + ", expected an object with " + ENTRY_FIELDS);
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!ENTRY_FIELDS.contains(e.getKey())) {
        throw new SafetensorsFormatException(
            path, name, "unknown field '" + e.getKey() + "', allowed: " + ENTRY_FIELDS);
      }
    }
    JsonNode dtypeNode = required(path, name, node, "dtype");
    if (!dtypeNode.isTextual()) {
      throw new SafetensorsFormatException(
          path, name, "'dtype' is a JSON " + typeOf(dtypeNode) + ", expected a string");
    }
    DType dtype;
    try {
      dtype = DType.parse(dtypeNode.textValue());
    } catch (IllegalArgumentException e) {
      throw new SafetensorsFormatException(path, name, e.getMessage(), e);
    }

    JsonNode shapeNode = required(path, name, node, "shape");
    if (!shapeNode.isArray()) {
      throw new SafetensorsFormatException(
          path, name, "'shape' is a JSON " + typeOf(shapeNode) + ", expected an array of integers");
    }
    int[] shape = new int[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.isIntegralNumber()) {
        throw new SafetensorsFormatException(
            path, name, "'shape' " + shapeNode + " holds a non-integer " + d);
      }
      if (!d.canConvertToInt() || d.intValue() < 0) {
        throw new SafetensorsFormatException(
            path,
            name,
            (d.canConvertToInt() ? "negative dimension " : "dimension out of int range ")
                + d
                + " in 'shape' "
                + shapeNode);
      }
      shape[i] = d.intValue();
    }

    JsonNode offsetsNode = required(path, name, node, "data_offsets");
    if (!offsetsNode.isArray()
        || offsetsNode.size() != 2
        || !isLong(offsetsNode.get(0))
        || !isLong(offsetsNode.get(1))) {
      throw new SafetensorsFormatException(
          path, name, "'data_offsets' is " + offsetsNode + ", expected [begin, end] as integers");
    }
    long begin = offsetsNode.get(0).longValue();
    long end = offsetsNode.get(1).longValue();
    String range = "data_offsets [" + begin + ", " + end + "]";
    if (begin < 0 || end < 0) {
      throw new SafetensorsFormatException(path, name, range + " are negative");
    }
    if (begin > end) {
      throw new SafetensorsFormatException(path, name, range + ": begin is after end");
    }
    if (end > dataLength) {
      throw new SafetensorsFormatException(
          path, name, range + ": end is beyond the data section of " + dataLength + " bytes");
    }
    long numel;
    long expectedBytes;
    try {
      numel = TensorInfo.numel(shape);
      expectedBytes = Math.multiplyExact(numel, dtype.byteSize());
    } catch (ArithmeticException e) {
      throw new SafetensorsFormatException(
          path, name, "shape " + Arrays.toString(shape) + " overflows a 64-bit byte count", e);
    }
    if (end - begin != expectedBytes) {
      throw new SafetensorsFormatException(
          path,
          name,
          range
              + " span "
              + (end - begin)
              + " bytes, but shape "
              + Arrays.toString(shape)
              + " of "
              + dtype
              + " needs "
              + numel
              + " * "
              + dtype.byteSize()
              + " = "
              + expectedBytes);
    }
    return new TensorInfo(name, dtype, shape, begin, end);
  }

  private static JsonNode required(Path path, String name, JsonNode entry, String field)
      throws SafetensorsFormatException {
    JsonNode value = entry.get(field);
    if (value == null) {
      throw new SafetensorsFormatException(path, name, "entry has no '" + field + "'");
    }
    return value;
  }

  private static boolean isLong(JsonNode n) {
    return n.isIntegralNumber() && n.canConvertToLong();
  }

  private static String typeOf(JsonNode n) {
    return n.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  /** The Rust reference's rule: sorted by offset, each tensor starts where the previous ended. */
  private static void checkCoverage(Path path, List<TensorInfo> sorted, long dataLength)
      throws SafetensorsFormatException {
    long position = 0;
    String previous = null;
    for (TensorInfo t : sorted) {
      String range = "data_offsets [" + t.begin() + ", " + t.end() + "]";
      if (t.begin() < position) {
        throw new SafetensorsFormatException(
            path,
            t.name(),
            range + " overlap tensor '" + previous + "', which ends at byte " + position);
      }
      if (t.begin() > position) {
        throw new SafetensorsFormatException(
            path,
            t.name(),
            range
                + " leave a gap of "
                + (t.begin() - position)
                + " bytes after "
                + (previous == null
                    ? "the start of the data section"
                    : "tensor '" + previous + "', which ends at byte " + position));
      }
      position = t.end();
      previous = t.name();
    }
    if (position != dataLength) {
      throw new SafetensorsFormatException(
          path,
          null,
          (dataLength - position)
              + " bytes of the "
              + dataLength
              + "-byte data section are left over after "
              + (previous == null
                  ? "the header (no tensors)"
                  : "the last tensor '" + previous + "'")
              + "; the tensors must cover it exactly");
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
      case F64 ->
          forEachWindow(
              t,
              (buf, at, n) -> {
                DoubleBuffer d = buf.asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                  out[at + i] = (float) d.get(i);
                }
              });
      case F16 ->
          forEachWindow(
              t,
              (buf, at, n) -> {
                ShortBuffer s = buf.asShortBuffer();
                for (int i = 0; i < n; i++) {
                  out[at + i] = HalfFloats.f16ToFloat(s.get(i));
                }
              });
      case BF16 ->
          forEachWindow(
              t,
              (buf, at, n) -> {
                ShortBuffer s = buf.asShortBuffer();
                for (int i = 0; i < n; i++) {
                  out[at + i] = HalfFloats.bf16ToFloat(s.get(i));
                }
              });
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
      case I32 ->
          forEachWindow(
              t,
              (buf, at, n) -> {
                IntBuffer ints = buf.asIntBuffer();
                for (int i = 0; i < n; i++) {
                  out[at + i] = ints.get(i);
                }
              });
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
