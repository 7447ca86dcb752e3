package org.tttvideo.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tttvideo.model.compute.Tensor;

class SafetensorsWriterTest {
  @TempDir Path dir;

  @Test
  void writesTheExactBytesOfTheFormat() throws IOException {
    Path path = dir.resolve("golden.safetensors");
    new SafetensorsWriter()
        .metadata("k", "v")
        .addF32("a", new int[] {2}, new float[] {1f, -2f})
        .addF16("s", new int[] {}, new float[] {1f})
        .write(path);

    String json =
        "{\"__metadata__\":{\"k\":\"v\"},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"s\":{\"dtype\":\"F16\",\"shape\":[],\"data_offsets\":[8,10]}}";
    assertThat(json).hasSize(132);
    byte[] expected =
        ByteBuffer.allocate(8 + 136 + 10)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(136) // 132 bytes of JSON padded to a multiple of 8
            .put((json + "    ").getBytes(StandardCharsets.UTF_8))
            .put(new byte[] {0, 0, (byte) 0x80, 0x3f}) // 1.0f
            .put(new byte[] {0, 0, 0, (byte) 0xc0}) // -2.0f
            .put(new byte[] {0, 0x3c}) // 1.0 as F16
            .array();
    assertThat(Files.readAllBytes(path)).containsExactly(expected);
  }

  @Test
  void headerIsAlwaysPaddedToAMultipleOfEight() throws IOException {
    for (int nameLength = 1; nameLength <= 9; nameLength++) {
      Path path = dir.resolve("pad" + nameLength + ".safetensors");
      new SafetensorsWriter()
          .addI32("x".repeat(nameLength), new int[] {1}, new int[] {7})
          .write(path);
      ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
      long headerLength = bytes.getLong(0);
      assertThat(headerLength % 8).isZero();
      assertThat(bytes.capacity()).isEqualTo(8 + headerLength + 4);
      try (SafetensorsFile f = SafetensorsFile.open(path)) {
        assertThat(f.readLongs("x".repeat(nameLength))).containsExactly(7);
      }
    }
  }

  @Test
  void replacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
    Path path = dir.resolve("w.safetensors");
    Files.writeString(path, "old content");
    new SafetensorsWriter().add("t", Tensor.of(new float[] {3, 4}, 1, 2)).write(path);
    try (SafetensorsFile f = SafetensorsFile.open(path)) {
      assertThat(f.readTensor("t").shape()).containsExactly(1, 2);
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(path);
    }
  }

  @Test
  void aFailedWriteLeavesNothingBehind() {
    Path path = dir.resolve("missing-folder").resolve("w.safetensors");
    assertThatThrownBy(
            () -> new SafetensorsWriter().addF32("t", new int[] {1}, new float[] {1}).write(path))
        .isInstanceOf(NoSuchFileException.class);
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void theWriterCanBeWrittenTwice() throws IOException {
    SafetensorsWriter w = new SafetensorsWriter().addI64("n", new int[] {2}, new long[] {1, 2});
    w.write(dir.resolve("one.safetensors"));
    w.write(dir.resolve("two.safetensors"));
    assertThat(Files.readAllBytes(dir.resolve("one.safetensors")))
        .isEqualTo(Files.readAllBytes(dir.resolve("two.safetensors")));
  }

  @Test
  void rejectsDuplicateNames() {
    SafetensorsWriter w = new SafetensorsWriter().addF32("w1", new int[] {1}, new float[] {1});
    assertThatThrownBy(() -> w.addI32("w1", new int[] {1}, new int[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tensor 'w1' is already added");
  }

  @Test
  void rejectsShapesThatDoNotMatchTheData() {
    SafetensorsWriter w = new SafetensorsWriter();
    assertThatThrownBy(() -> w.addF32("w1", new int[] {2, 3}, new float[5]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tensor 'w1': shape [2, 3] holds 6 elements but the data has 5");
    assertThatThrownBy(() -> w.addF64("s", new int[] {}, new double[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tensor 's': shape [] holds 1 elements but the data has 0");
    assertThatThrownBy(() -> w.addI64("big", new int[] {1 << 30, 1 << 30, 4}, new long[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tensor 'big'")
        .hasMessageContaining("holds more than 2147483647 elements");
    assertThatThrownBy(() -> w.addBF16("neg", new int[] {-1}, new float[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tensor 'neg': negative dimension in shape [-1]");
    // a zero dimension makes the count zero whatever the others are
    w.addF16("empty", new int[] {1 << 30, 1 << 30, 0}, new float[0]);
  }

  @Test
  void rejectsTheReservedNameAndRepeatedMetadataKeys() {
    SafetensorsWriter w = new SafetensorsWriter().metadata("kind", "mlp");
    assertThatThrownBy(() -> w.addF32("__metadata__", new int[] {0}, new float[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'__metadata__' is reserved");
    assertThatThrownBy(() -> w.metadata("kind", "linear"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metadata key 'kind' is already set to 'mlp'");
    assertThatThrownBy(() -> w.metadata("x", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("'x'");
  }
}
