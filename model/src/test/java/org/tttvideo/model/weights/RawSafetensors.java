package org.tttvideo.model.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds safetensors bytes by hand, independently of {@link SafetensorsWriter}. */
final class RawSafetensors {
  private RawSafetensors() {}

  /** The length prefix, {@code header} as UTF-8 and {@code dataBytes} zero bytes of data. */
  static byte[] file(String header, int dataBytes) {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    return file(json.length, json, new byte[dataBytes]);
  }

  /** A declared header length (which may lie), then {@code header} and {@code data} as given. */
  static byte[] file(long declaredHeaderLength, byte[] header, byte[] data) {
    return ByteBuffer.allocate(8 + header.length + data.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(declaredHeaderLength)
        .put(header)
        .put(data)
        .array();
  }

  /** Little-endian bytes of {@code values}. */
  static byte[] f32(float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  static Path write(Path dir, String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }
}
