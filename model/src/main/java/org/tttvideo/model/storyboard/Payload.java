package org.tttvideo.model.storyboard;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The original bytes of a rejected record, kept as text when they are valid UTF-8 and as base64
 * otherwise. Very large payloads are cut to a configurable prefix ({@link
 * StoryboardOptions#maxRejectedPayloadBytes()}) so that the rejection itself fits in a Kafka
 * record; {@link #truncated()} and {@link #sizeBytes()} say so.
 *
 * @param encoding how {@link #value()} holds the bytes
 * @param value the (possibly truncated) payload as text or base64
 * @param sizeBytes size of the original payload in bytes; -1 for a record without a value
 * @param truncated whether {@link #value()} holds only a prefix of the original
 */
public record Payload(Encoding encoding, String value, int sizeBytes, boolean truncated) {

  /** How a payload's bytes are written. */
  public enum Encoding {
    UTF_8("utf-8"),
    BASE64("base64");

    private final String wireName;

    Encoding(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static Encoding fromWireName(String name) {
      for (Encoding e : values()) {
        if (e.wireName.equals(name)) {
          return e;
        }
      }
      throw new IllegalArgumentException(
          "payload encoding must be \"utf-8\" or \"base64\", was \"" + name + "\"");
    }
  }

  public Payload {
    if (encoding == null || value == null) {
      throw new IllegalArgumentException("encoding and value must not be null");
    }
    if (sizeBytes < -1) {
      throw new IllegalArgumentException("sizeBytes must be >= -1, was " + sizeBytes);
    }
  }

  /** A record without a value (a Kafka tombstone). */
  public static Payload absent() {
    return new Payload(Encoding.UTF_8, "", -1, false);
  }

  /** The payload, truncated to at most {@code maxBytes} bytes (cut at a character boundary). */
  public static Payload of(byte[] bytes, int maxBytes) {
    if (bytes == null) {
      return absent();
    }
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be >= 0, was " + maxBytes);
    }
    boolean truncated = bytes.length > maxBytes;
    int keep = truncated ? maxBytes : bytes.length;
    if (isUtf8(bytes, 0, bytes.length) || (truncated && isUtf8Prefix(bytes, keep))) {
      // back off to the start of a character so the prefix stays valid UTF-8
      while (truncated && keep > 0 && (bytes[keep] & 0xC0) == 0x80) {
        keep--;
      }
      String text = new String(bytes, 0, keep, StandardCharsets.UTF_8);
      return new Payload(Encoding.UTF_8, text, bytes.length, truncated);
    }
    String b64 = Base64.getEncoder().encodeToString(Arrays.copyOf(bytes, keep));
    return new Payload(Encoding.BASE64, b64, bytes.length, truncated);
  }

  /** The kept bytes (all of them unless {@link #truncated()}). */
  public byte[] bytes() {
    return encoding == Encoding.UTF_8
        ? value.getBytes(StandardCharsets.UTF_8)
        : Base64.getDecoder().decode(value);
  }

  private static boolean isUtf8Prefix(byte[] bytes, int keep) {
    int end = keep;
    while (end > 0 && end < bytes.length && (bytes[end] & 0xC0) == 0x80) {
      end--;
    }
    return isUtf8(bytes, 0, end);
  }

  static boolean isUtf8(byte[] bytes, int from, int to) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, from, to - from));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
