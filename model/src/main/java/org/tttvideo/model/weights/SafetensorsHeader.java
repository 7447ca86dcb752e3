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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The validated header of a safetensors file: an 8-byte little-endian length, then that many bytes
 * of UTF-8 JSON mapping each tensor name to its dtype, shape and byte range in the data section,
 * with an optional {@code __metadata__} object of strings.
 *
 * <p>Validation follows the Rust reference library ({@code safetensors::SafeTensors::deserialize}):
 * a header of at most 100 MiB that is a UTF-8 JSON object without duplicate keys, every entry with
 * a known dtype, a non-negative shape and a byte range that matches it, and the tensors covering
 * the data section exactly, without gaps or overlaps. Any breach is a {@link
 * SafetensorsFormatException} naming the file and the tensor.
 *
 * @param dataStart the file offset of the data section (8 + the header length)
 * @param metadata the {@code __metadata__} entries in header order
 * @param tensors the entries sorted by data offset (zero-size tensors sharing an offset in header
 *     order)
 */
record SafetensorsHeader(long dataStart, Map<String, String> metadata, List<TensorInfo> tensors) {
  /** Largest header accepted, as in the Rust reference library (which uses 100 MB). */
  static final long MAX_HEADER_BYTES = 100L << 20;

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

  /**
   * Reads and validates the header of {@code path}, open as {@code channel}.
   *
   * @throws SafetensorsFormatException when the file breaks the format
   * @throws IOException when it cannot be read
   */
  static SafetensorsHeader read(Path path, FileChannel channel) throws IOException {
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
    return new SafetensorsHeader(8 + headerLength, metadata, infos);
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
}
