package org.tttvideo.connectors.kafka.testutils;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Seeded generators of inputs that are expensive to write as a rejection: runs of NUL and other
 * control characters (six bytes each in JSON), quotes and backslashes (two), 4-byte characters,
 * unpaired surrogates (as JSON escapes, and as CESU-8 bytes that are not UTF-8) and invalid UTF-8.
 */
public final class WorstCases {
  private WorstCases() {}

  /** One kind of run that {@link #bytes} and {@link #text} mix. */
  enum Piece {
    NUL,
    CONTROL,
    QUOTE,
    BACKSLASH,
    FOUR_BYTE,
    ESCAPED_LONE_SURROGATE,
    ENCODED_SURROGATE,
    INVALID_BYTES,
    ASCII,
    TWO_AND_THREE_BYTE
  }

  /**
   * Exactly {@code size} bytes mixing every {@link Piece}; {@code validUtf8} leaves out the pieces
   * that are not UTF-8, so that the bytes reach the JSON parser.
   */
  public static byte[] bytes(Random random, int size, boolean validUtf8) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 16);
    Piece[] pieces = Piece.values();
    while (out.size() < size) {
      Piece p = pieces[random.nextInt(pieces.length)];
      if (validUtf8 && (p == Piece.ENCODED_SURROGATE || p == Piece.INVALID_BYTES)) {
        continue;
      }
      // long runs as well as short ones: a payload of only NULs is the worst case
      int run = random.nextInt(8) == 0 ? 1 + random.nextInt(4096) : 1 + random.nextInt(8);
      for (int i = 0; i < run && out.size() < size; i++) {
        out.writeBytes(piece(random, p));
      }
    }
    byte[] b = out.toByteArray();
    if (b.length == size) {
      return b;
    }
    // the last piece overshot: pad its place with NULs (valid UTF-8, and the costliest byte)
    byte[] exact = new byte[size];
    int keep = size;
    while (keep > 0 && (b[keep] & 0xC0) == 0x80) {
      keep--; // do not leave half a character behind
    }
    System.arraycopy(b, 0, exact, 0, keep);
    return exact;
  }

  /** A text of {@code chars} UTF-16 chars mixing every {@link Piece} that a string can hold. */
  public static String text(Random random, int chars) {
    StringBuilder s = new StringBuilder(chars + 2);
    while (s.length() < chars) {
      switch (random.nextInt(7)) {
        case 0 -> s.append('\0');
        case 1 -> s.append((char) random.nextInt(0x20));
        case 2 -> s.append('"');
        case 3 -> s.append('\\');
        case 4 -> s.appendCodePoint(0x10000 + random.nextInt(0x100000));
        case 5 -> s.append((char) (Character.MIN_SURROGATE + random.nextInt(0x800))); // lone
        default -> s.append((char) (0x20 + random.nextInt(0xD800 - 0x20)));
      }
    }
    return s.substring(0, chars);
  }

  /**
   * A JSON storyboard whose segment text (or, with {@code asFieldName}, an unknown field's name) is
   * {@code junk} written as a JSON string with escapes: the parser reads it and rejects a field,
   * with the junk in the field path or the message.
   */
  public static byte[] storyboardAround(String junk, boolean asFieldName) {
    String escaped = jsonString(junk);
    String json =
        asFieldName
            ? "{\"format\": \"storyboard\", \"videoId\": \"worst-1\", " + escaped + ": 1}"
            : "{\"format\": \"storyboard\", \"videoId\": \"worst-1\", \"segments\": [{\"text\": "
                + escaped
                + "}]}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] piece(Random random, Piece p) {
    return switch (p) {
      case NUL -> new byte[] {0};
      case CONTROL -> new byte[] {(byte) (1 + random.nextInt(0x1F))};
      case QUOTE -> new byte[] {'"'};
      case BACKSLASH -> new byte[] {'\\'};
      case FOUR_BYTE ->
          new String(Character.toChars(0x10000 + random.nextInt(0x100000)))
              .getBytes(StandardCharsets.UTF_8);
      case ESCAPED_LONE_SURROGATE ->
          String.format("\\u%04x", 0xD800 + random.nextInt(0x800))
              .getBytes(StandardCharsets.US_ASCII);
      case ENCODED_SURROGATE ->
          new byte[] {(byte) 0xED, (byte) (0xA0 + random.nextInt(0x20)), (byte) 0x80};
      case INVALID_BYTES ->
          switch (random.nextInt(5)) {
            case 0 -> new byte[] {(byte) 0xFF};
            case 1 -> new byte[] {(byte) 0xC0, (byte) 0xAF}; // overlong '/'
            case 2 -> new byte[] {(byte) 0xE2, (byte) 0x82}; // cut short
            case 3 -> new byte[] {(byte) 0x80}; // a lone continuation byte
            default ->
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}; // > U+10FFFF
          };
      case ASCII -> new byte[] {(byte) (0x20 + random.nextInt(0x5F))};
      case TWO_AND_THREE_BYTE ->
          Character.toString(random.nextBoolean() ? 0xE9 : 0x20AC).getBytes(StandardCharsets.UTF_8);
    };
  }

  /** {@code s} as a JSON string literal, every char outside printable ASCII as an escape. */
  private static String jsonString(String s) {
    StringBuilder out = new StringBuilder(s.length() * 6 + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7E) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
