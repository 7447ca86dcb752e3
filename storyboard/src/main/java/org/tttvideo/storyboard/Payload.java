package org.tttvideo.storyboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The original bytes of a rejected record, kept as text when they are valid UTF-8 and as base64
 * otherwise. A payload is cut so that {@link #value()} takes at most {@link
 * StoryboardOptions#maxRejectedPayloadBytes()} bytes <em>as written</em> in the rejection's JSON
 * (escapes and base64 counted; see {@link RejectionJson#encodedLength(int)}), so that the rejection
 * itself fits in a Kafka record; {@link #truncated()}, {@link #sizeBytes()} and {@link #sha256()}
 * say so and still identify the original.
 *
 * <pre>{@code
 * Payload p = Payload.of(new byte[200_000], 262_144); // 200,000 NUL bytes
 * p.value().length();  // 43,690: each NUL is written as a six-byte escape
 * p.truncated();       // true
 * p.sha256();          // SHA-256 of all 200,000 bytes
 * }</pre>
 *
 * @param encoding how {@link #value()} holds the bytes
 * @param value the (possibly truncated) payload as text or base64; text never holds an unpaired
 *     surrogate
 * @param sizeBytes size of the original payload in bytes; -1 for a record without a value
 * @param truncated whether {@link #value()} holds only a prefix of the original
 * @param sha256 lower-case hex SHA-256 of the whole original payload when {@link #value()} holds
 *     only a prefix of it, {@code null} when it is not known; always {@code null} when not {@link
 *     #truncated()} (the value is the whole payload: see {@link #originalSha256()})
 */
public record Payload(
    Encoding encoding, String value, int sizeBytes, boolean truncated, String sha256) {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

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
    if (sha256 != null && !truncated) {
      throw new IllegalArgumentException(
          "sha256 is given only for a truncated payload (a whole one is its own value)");
    }
    if (sha256 != null && !SHA256_HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException(
          "sha256 must be 64 lower-case hex digits, was \"" + sha256 + "\"");
    }
    if (encoding == Encoding.UTF_8) {
      int at = RejectionJson.unpairedSurrogate(value);
      if (at >= 0) {
        // it would be written as a lone escape, which strict JSON readers refuse
        throw new IllegalArgumentException(
            "a utf-8 payload value must be valid Unicode; it holds an unpaired surrogate at char "
                + at);
      }
    }
  }

  /** A payload without a recorded hash (a whole one, or one read from an older writer). */
  public Payload(Encoding encoding, String value, int sizeBytes, boolean truncated) {
    this(encoding, value, sizeBytes, truncated, null);
  }

  /** A record without a value (a Kafka tombstone). */
  public static Payload absent() {
    return new Payload(Encoding.UTF_8, "", -1, false);
  }

  /**
   * The payload, cut so that its value takes at most {@code maxBytes} bytes in the rejection's
   * JSON: text is cut at a code point boundary (never inside a surrogate pair) and its escapes are
   * counted (a NUL is written as the six bytes <code>&#92;u0000</code>, a quote as two, a character
   * above U+FFFF as two escapes: see {@link RejectionJson#encodedLength}); base64 keeps {@code 3 *
   * (maxBytes / 4)} bytes. The value is text when the bytes are valid UTF-8 as far as the cut, else
   * base64.
   */
  public static Payload of(byte[] bytes, int maxBytes) {
    if (bytes == null) {
      return absent();
    }
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be >= 0, was " + maxBytes);
    }
    int budget = maxBytes;
    int i = 0;
    boolean valid = true;
    while (i < bytes.length) {
      int length = utf8SequenceLength(bytes, i);
      if (length == 0) {
        valid = false;
        break;
      }
      int cost = RejectionJson.encodedLength(codePoint(bytes, i, length));
      if (cost > budget) {
        break;
      }
      budget -= cost;
      i += length;
    }
    if (valid) {
      boolean truncated = i < bytes.length;
      String text = new String(bytes, 0, i, StandardCharsets.UTF_8);
      return new Payload(
          Encoding.UTF_8, text, bytes.length, truncated, truncated ? hex(bytes) : null);
    }
    int keep = Math.min(bytes.length, maxBytes / 4 * 3); // 3 bytes -> 4 base64 characters
    boolean truncated = keep < bytes.length;
    String b64 = Base64.getEncoder().encodeToString(Arrays.copyOf(bytes, keep));
    return new Payload(
        Encoding.BASE64, b64, bytes.length, truncated, truncated ? hex(bytes) : null);
  }

  /** The kept bytes (all of them unless {@link #truncated()}). */
  public byte[] bytes() {
    return encoding == Encoding.UTF_8
        ? value.getBytes(StandardCharsets.UTF_8)
        : Base64.getDecoder().decode(value);
  }

  /**
   * The SHA-256 (lower-case hex) of the whole original payload: {@link #sha256()} when truncated,
   * else the hash of {@link #bytes()}; {@code null} for a tombstone or when not known.
   */
  public String originalSha256() {
    if (truncated) {
      return sha256;
    }
    return sizeBytes < 0 ? null : hex(bytes());
  }

  static String hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * The length of the well-formed UTF-8 sequence at {@code i} (Unicode table 3-7: no overlong
   * forms, no surrogates, nothing above U+10FFFF, the same as the JDK's decoder), or 0 if there is
   * none.
   */
  private static int utf8SequenceLength(byte[] b, int i) {
    int b0 = b[i] & 0xFF;
    if (b0 < 0x80) {
      return 1;
    }
    int length;
    int lo = 0x80;
    int hi = 0xBF; // range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      length = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      length = 3;
      if (b0 == 0xE0) {
        lo = 0xA0;
      } else if (b0 == 0xED) {
        hi = 0x9F;
      }
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      length = 4;
      if (b0 == 0xF0) {
        lo = 0x90;
      } else if (b0 == 0xF4) {
        hi = 0x8F;
      }
    } else {
      return 0;
    }
    if (i + length > b.length) {
      return 0;
    }
    int b1 = b[i + 1] & 0xFF;
    if (b1 < lo || b1 > hi) {
      return 0;
    }
    for (int k = 2; k < length; k++) {
      if ((b[i + k] & 0xC0) != 0x80) {
        return 0;
      }
    }
    return length;
  }

  private static int codePoint(byte[] b, int i, int length) {
    return switch (length) {
      case 1 -> b[i];
      case 2 -> (b[i] & 0x1F) << 6 | (b[i + 1] & 0x3F);
      case 3 -> (b[i] & 0x0F) << 12 | (b[i + 1] & 0x3F) << 6 | (b[i + 2] & 0x3F);
      default ->
          (b[i] & 0x07) << 18
              | (b[i + 1] & 0x3F) << 12
              | (b[i + 2] & 0x3F) << 6
              | (b[i + 3] & 0x3F);
    };
  }
}
