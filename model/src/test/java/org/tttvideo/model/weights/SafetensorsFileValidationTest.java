package org.tttvideo.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.tttvideo.model.weights.RawSafetensors.f32;
import static org.tttvideo.model.weights.RawSafetensors.file;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hand-built files, valid and malformed, and the exact complaint each malformed one gets. */
class SafetensorsFileValidationTest {
  @TempDir Path dir;

  private static final String A = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

  private SafetensorsFormatException rejected(byte[] bytes) throws IOException {
    Path path = RawSafetensors.write(dir, "bad.safetensors", bytes);
    SafetensorsFormatException e =
        catchThrowableOfType(SafetensorsFormatException.class, () -> SafetensorsFile.open(path));
    assertThat(e).as("expected a SafetensorsFormatException").isNotNull();
    assertThat(e.getMessage()).startsWith(path.toString() + ": ");
    assertThat(e.file()).isEqualTo(path);
    return e;
  }

  private SafetensorsFormatException rejected(String header, int dataBytes) throws IOException {
    return rejected(file(header, dataBytes));
  }

  // ---- valid corner cases ----

  @Test
  void acceptsHeaderPaddedWithSpacesAndTensorsListedOutOfOffsetOrder() throws IOException {
    String header =
        "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
            + A
            + ",\"__metadata__\":{\"kind\":\"linear\"}}     ";
    byte[] data = new byte[12];
    System.arraycopy(f32(1f, 2f, 3f), 0, data, 0, 12);
    Path path =
        RawSafetensors.write(
            dir,
            "ok.safetensors",
            file(header.length(), header.getBytes(StandardCharsets.UTF_8), data));
    try (SafetensorsFile f = SafetensorsFile.open(path)) {
      assertThat(f.names()).containsExactly("a", "b");
      assertThat(f.readFloats("a")).containsExactly(1f, 2f);
      assertThat(f.readFloats("b")).containsExactly(3f);
      assertThat(f.metadata()).containsEntry("kind", "linear").hasSize(1);
    }
  }

  @Test
  void acceptsZeroSizeTensorsSharingAnOffset() throws IOException {
    String header =
        "{\"z1\":{\"dtype\":\"F64\",\"shape\":[0,4],\"data_offsets\":[8,8]},"
            + A
            + ",\"z2\":{\"dtype\":\"I32\",\"shape\":[0],\"data_offsets\":[8,8]}}";
    Path path = RawSafetensors.write(dir, "zeros.safetensors", file(header, 8));
    try (SafetensorsFile f = SafetensorsFile.open(path)) {
      assertThat(f.names()).containsExactly("a", "z1", "z2");
      assertThat(f.readDoubles("z1")).isEmpty();
    }
  }

  @Test
  void readsTensorsLyingBeyondTwoGibibytes() throws IOException {
    // a sparse file: 2 GiB of unread padding takes no disk space
    long gib2 = 1L << 31;
    String header =
        "{\"pad\":{\"dtype\":\"I64\",\"shape\":[268435456],\"data_offsets\":[0,"
            + gib2
            + "]},\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":["
            + gib2
            + ","
            + (gib2 + 12)
            + "]}}";
    byte[] start = file(header, 0);
    Path path = dir.resolve("big.safetensors");
    try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
      raf.write(start);
      raf.setLength(start.length + gib2 + 12);
      raf.seek(start.length + gib2);
      raf.write(f32(1f, -2f, 3.5f));
    }
    try (SafetensorsFile f = SafetensorsFile.open(path)) {
      assertThat(f.info("pad").numel()).isEqualTo(1L << 28);
      assertThat(f.readFloats("x")).containsExactly(1f, -2f, 3.5f);
      assertThat(f.readTensor("x").shape()).containsExactly(3);
    }
  }

  // ---- the file and its header ----

  @Test
  void fileShorterThanTheLengthPrefix() throws IOException {
    assertThat(rejected(new byte[5]))
        .hasMessageEndingWith("file is 5 bytes, shorter than the 8-byte header length");
  }

  @Test
  void headerLengthBeyondTheFile() throws IOException {
    byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
    assertThat(rejected(file(100, header, new byte[0])))
        .hasMessageEndingWith(
            "header length 100 is larger than the 2 bytes that follow the length prefix");
  }

  @Test
  void headerLengthBeyondTheLimit() throws IOException {
    byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
    assertThat(rejected(file((100L << 20) + 1, header, new byte[0])))
        .hasMessageContaining("header length 104857601 exceeds the limit of 104857600 bytes");
    // the prefix is unsigned: a set top bit is a huge length, not a negative one
    assertThat(rejected(file(-1L, header, new byte[0])))
        .hasMessageContaining("header length 18446744073709551615 exceeds the limit");
  }

  @Test
  void headerNotUtf8() throws IOException {
    byte[] header = {'{', '"', (byte) 0xc3, (byte) 0x28, '"', ':', '1', '}'};
    assertThat(rejected(file(header.length, header, new byte[0])))
        .hasMessageContaining("header is not valid UTF-8")
        .hasMessageContaining("offset 2");
  }

  @Test
  void headerNotJson() throws IOException {
    assertThat(rejected("{\"a\":{\"dtype\":\"F32\",", 0))
        .hasMessageContaining("header is not valid JSON");
    assertThat(rejected("{} {}", 0)).hasMessageContaining("header is not valid JSON");
    assertThat(rejected("{'a':1}", 0)).hasMessageContaining("header is not valid JSON");
  }

  @Test
  void headerNotAJsonObject() throws IOException {
    assertThat(rejected("[1, 2]", 0))
        .hasMessageEndingWith("header is a JSON array, expected a JSON object");
    assertThat(rejected("  ", 0)).hasMessageEndingWith("header is empty, expected a JSON object");
    assertThat(rejected("", 0)).hasMessageEndingWith("header is empty, expected a JSON object");
  }

  @Test
  void duplicateKeys() throws IOException {
    assertThat(rejected("{" + A + "," + A + "}", 16))
        .hasMessageContaining("duplicate key 'a' in the header");
    assertThat(rejected("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}," + A + "}", 8))
        .hasMessageContaining("duplicate key 'k'");
  }

  // ---- metadata ----

  @Test
  void metadataValuesMustBeStrings() throws IOException {
    assertThat(rejected("{\"__metadata__\":{\"heads\":2}," + A + "}", 8))
        .hasMessageEndingWith("metadata value of key 'heads' is a JSON number, expected a string");
    assertThat(rejected("{\"__metadata__\":[\"x\"]}", 0))
        .hasMessageEndingWith("'__metadata__' is a JSON array, expected an object of strings");
  }

  // ---- one entry ----

  @Test
  void entryNotAnObject() throws IOException {
    SafetensorsFormatException e = rejected("{\"w\":[1,2]}", 0);
    assertThat(e).hasMessageContaining("tensor 'w': entry is a JSON array");
    assertThat(e.tensor()).isEqualTo("w");
  }

  /** Headers with one bad entry, the size of the data section, and the end of the message. */
  static Stream<Arguments> badEntries() {
    return Stream.of(
        Arguments.of(
            "{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}",
            8,
            "tensor 'w': entry has no 'dtype'"),
        Arguments.of(
            "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}",
            8,
            "tensor 'w': entry has no 'shape'"),
        Arguments.of(
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}",
            8,
            "tensor 'w': entry has no 'data_offsets'"),
        Arguments.of(
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}",
            8,
            "tensor 'w': unknown field 'x', allowed: [dtype, shape, data_offsets]"),
        Arguments.of(
            "{\"w\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}",
            4,
            "tensor 'w': 'dtype' is a JSON number, expected a string"),
        Arguments.of(
            "{\"w\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}}",
            8,
            "tensor 'w': 'shape' is a JSON string, expected an array of integers"),
        Arguments.of(
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}",
            8,
            "tensor 'w': 'shape' [2.0] holds a non-integer 2.0"),
        Arguments.of(
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}",
            8,
            "tensor 'w': 'data_offsets' is [0], expected [begin, end] as integers"),
        Arguments.of(
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,-2],\"data_offsets\":[0,0]}}",
            0,
            "tensor 'w': negative dimension -2 in 'shape' [2,-2]"),
        Arguments.of(
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296],\"data_offsets\":[0,0]}}",
            0,
            "tensor 'w': dimension out of int range 4294967296 in 'shape' [4294967296]"),
        Arguments.of(
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}",
            8,
            "tensor 'w': data_offsets [8, 4]: begin is after end"),
        Arguments.of(
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[-4,0]}}",
            8,
            "tensor 'w': data_offsets [-4, 0] are negative"),
        Arguments.of(
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}",
            8,
            "tensor 'w': data_offsets [0, 12]: end is beyond the data section of 8 bytes"));
  }

  @ParameterizedTest
  @MethodSource("badEntries")
  void aBadEntryIsRejectedNamingTheTensorAndTheField(String header, int dataBytes, String message)
      throws IOException {
    SafetensorsFormatException e = rejected(header, dataBytes);
    assertThat(e).hasMessageEndingWith(message);
    assertThat(e.tensor()).isEqualTo("w");
  }

  @Test
  void dataOffsetsThatAreNotTwoIntegers() throws IOException {
    assertThat(rejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":{\"0\":8}}}", 8))
        .hasMessageContaining("tensor 'w': 'data_offsets' is {\"0\":8}");
    assertThat(
            rejected(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,99999999999999999999]}}",
                8))
        .hasMessageContaining("tensor 'w': 'data_offsets' is [0,99999999999999999999]");
  }

  @Test
  void unknownDtype() throws IOException {
    SafetensorsFormatException e =
        rejected("{\"q\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}", 8);
    assertThat(e)
        .hasMessageEndingWith(
            "tensor 'q': unknown dtype 'F8_E4M3', allowed: [F64, F32, F16, BF16, I64, I32]");
    assertThat(e.tensor()).isEqualTo("q");
  }

  @Test
  void byteLengthDisagreesWithShapeAndDtype() throws IOException {
    assertThat(rejected("{\"w\":{\"dtype\":\"F64\",\"shape\":[2,3],\"data_offsets\":[0,24]}}", 24))
        .hasMessageEndingWith(
            "tensor 'w': data_offsets [0, 24] span 24 bytes, but shape [2, 3] of F64 needs 6 * 8 = 48");
  }

  @Test
  void shapeWhoseByteCountOverflows() throws IOException {
    assertThat(
            rejected(
                "{\"w\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2147483647],"
                    + "\"data_offsets\":[0,8]}}",
                8))
        .hasMessageContaining("tensor 'w': shape [2147483647, 2147483647, 2147483647] overflows");
  }

  // ---- the tensors together ----

  @Test
  void overlappingTensors() throws IOException {
    SafetensorsFormatException e =
        rejected("{" + A + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
    assertThat(e)
        .hasMessageEndingWith(
            "tensor 'b': data_offsets [4, 12] overlap tensor 'a', which ends at byte 8");
    assertThat(e.tensor()).isEqualTo("b");
  }

  @Test
  void gapBetweenTensors() throws IOException {
    assertThat(
            rejected(
                "{" + A + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", 16))
        .hasMessageEndingWith(
            "tensor 'b': data_offsets [12, 16] leave a gap of 4 bytes after tensor 'a', which ends at byte 8");
  }

  @Test
  void gapAtTheStartOfTheData() throws IOException {
    assertThat(rejected("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8))
        .hasMessageEndingWith(
            "tensor 'b': data_offsets [4, 8] leave a gap of 4 bytes after the start of the data section");
  }

  @Test
  void dataLeftOverAfterTheLastTensor() throws IOException {
    SafetensorsFormatException e = rejected("{" + A + "}", 10);
    assertThat(e)
        .hasMessageEndingWith(
            "2 bytes of the 10-byte data section are left over after the last tensor 'a'; "
                + "the tensors must cover it exactly");
    assertThat(e.tensor()).isNull();
    assertThat(rejected("{}", 3)).hasMessageContaining("3 bytes of the 3-byte data section");
  }
}
