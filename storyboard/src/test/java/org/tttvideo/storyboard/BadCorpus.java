package org.tttvideo.storyboard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The bad-input corpus: the files under {@code src/test/resources/storyboard/bad/} and the inputs
 * that are impractical as files (5 MiB, not text, no value at all), each with the rejection code
 * and field it must give. The manifest is {@code storyboard/bad/expected.tsv}. Shared with the
 * connector and job tests through the model's test jar.
 */
public final class BadCorpus {
  /** The manifest on the class path. */
  public static final String MANIFEST = "/storyboard/bad/expected.tsv";

  /**
   * One bad input.
   *
   * @param name the file name, or {@code generated:NAME}
   * @param value the record value; {@code null} for a tombstone
   * @param code the expected code
   * @param field the expected field path
   * @param description what is wrong with it
   */
  public record Entry(
      String name, byte[] value, RejectionCode code, String field, String description) {
    @Override
    public String toString() {
      return name;
    }
  }

  private BadCorpus() {}

  /** Every entry of the manifest, in its order. */
  public static List<Entry> load() {
    List<Entry> out = new ArrayList<>();
    try (InputStream in = BadCorpus.class.getResourceAsStream(MANIFEST)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + MANIFEST);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] cols = line.split("\t", -1);
        if (cols.length != 4) {
          throw new IllegalStateException(MANIFEST + ": expected 4 tab-separated columns: " + line);
        }
        out.add(
            new Entry(cols[0], value(cols[0]), RejectionCode.valueOf(cols[1]), cols[2], cols[3]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static byte[] value(String name) {
    if (name.startsWith("generated:")) {
      return generated(name.substring("generated:".length()));
    }
    try (InputStream in = BadCorpus.class.getResourceAsStream("/storyboard/bad/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing corpus file storyboard/bad/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String VALID =
      "{\"format\": \"storyboard\", \"segments\": [{\"text\": \"A cat sits on a wall.\"}]}";

  /** The inputs that are built in code. */
  static byte[] generated(String name) {
    return switch (name) {
      case "payload-5mib" -> padded(5 * 1024 * 1024);
      case "payload-1mib-plus-1" -> padded(1024 * 1024 + 1);
      case "tombstone" -> null;
      // each NUL takes six bytes in the rejection's JSON: kept whole it was 1.2 MB, over Kafka's 1
      // MiB
      case "nul-200000" -> new byte[200_000];
      case "utf8-lone-continuation-byte" -> withBytes("A cat ", new byte[] {(byte) 0x80}, " sits.");
      case "utf8-truncated-sequence" ->
          withBytes("A cat ", new byte[] {(byte) 0xE2, (byte) 0x82}, "");
      case "utf8-overlong-slash" -> withBytes("..", new byte[] {(byte) 0xC0, (byte) 0xAF}, "etc");
      case "utf8-encoded-surrogate" ->
          withBytes("A ", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, " cat");
      case "utf8-invalid-byte-ff" -> withBytes("A cat", new byte[] {(byte) 0xFF}, "");
      case "latin1-text" ->
          "{\"format\": \"plot\", \"text\": \"Une vid\u00e9o.\"}"
              .getBytes(StandardCharsets.ISO_8859_1);
      case "utf16-with-bom" -> VALID.getBytes(StandardCharsets.UTF_16);
      case "random-bytes" -> {
        byte[] b = new byte[4096];
        new Random(4).nextBytes(b);
        b[0] = (byte) 0xFF; // never valid UTF-8, whatever the seed gives
        yield b;
      }
      default -> throw new IllegalStateException("unknown generated corpus input " + name);
    };
  }

  /** A valid storyboard whose text is padded with spaces to exactly {@code size} bytes. */
  private static byte[] padded(int size) {
    byte[] head = VALID.getBytes(StandardCharsets.UTF_8);
    byte[] b = Arrays.copyOf(head, size);
    Arrays.fill(b, head.length, size, (byte) ' ');
    return b;
  }

  /** {@code {"format": "plot", "text": "<before><bytes><after>."}} */
  private static byte[] withBytes(String before, byte[] bad, String after) {
    byte[] a = ("{\"format\": \"plot\", \"text\": \"" + before).getBytes(StandardCharsets.UTF_8);
    byte[] c = (after + ".\"}").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[a.length + bad.length + c.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(bad, 0, out, a.length, bad.length);
    System.arraycopy(c, 0, out, a.length + bad.length, c.length);
    return out;
  }
}
