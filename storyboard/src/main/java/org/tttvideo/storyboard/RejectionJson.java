package org.tttvideo.storyboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The serialized form of a {@link Rejection} (the records on {@code storyboards.rejected}), schema
 * version 1:
 *
 * <pre>{@code
 * {"schemaVersion": 1, "code": "EMPTY_TEXT", "field": "segments[3].text",
 *  "message": "segments[3].text is empty or only white space; ...",
 *  "videoId": "", "videoIndex": 0,
 *  "payload": {"encoding": "utf-8", "value": "{...}", "sizeBytes": 512, "truncated": false},
 *  "source": {"topic": "storyboards", "partition": 0, "offset": 17}}
 * }</pre>
 *
 * {@code payload.encoding} is {@code base64} when the bytes were not valid UTF-8; {@code source} is
 * {@code null} when the record did not come from Kafka; {@code payload.sha256} (the hash of the
 * whole original payload) is written only when {@code payload.truncated} is true. Reading is strict
 * and refuses unknown schema versions with {@link UnsupportedSchemaVersionException}. Thread-safe.
 *
 * <p><b>Size.</b> {@link #write} returns at most {@link #maxBytes maxBytes(m)} = {@code m +} {@link
 * #OVERHEAD_BYTES} bytes for a rejection whose payload was made by {@link Payload#of
 * Payload.of(bytes, m)}, whatever the input: the payload's value takes at most {@code m} bytes as
 * written (escapes counted, see {@link #encodedLength}), and every other text is cut to a fixed
 * budget ({@link #MAX_FIELD_BYTES}, {@link #MAX_MESSAGE_BYTES}, {@link #MAX_VIDEO_ID_BYTES}, {@link
 * #MAX_TOPIC_BYTES}) and then ends with {@link #CUT_MARK}. Texts are written as well-formed
 * Unicode: an unpaired surrogate in them is written as U+FFFD. Within those budgets {@code
 * read(write(r))} equals {@code r}.
 *
 * <p><b>Minimal rejections.</b> {@link #writeMinimal} writes a small record (at most {@link
 * #OVERHEAD_BYTES}) for a rejection that cannot be written in full: the same version and fields,
 * with {@code "minimal": true}, field {@code $}, a message saying why, an empty payload value, and
 * the code, video id (when valid), source, payload size and SHA-256 of the original. {@link #read}
 * reads it like any other rejection.
 */
public final class RejectionJson {
  /** The version written. */
  public static final int SCHEMA_VERSION = 1;

  /** Most bytes a written rejection takes beyond its {@code payload.value}. */
  public static final int OVERHEAD_BYTES = 16 * 1024;

  /** Most bytes {@code field} takes as written. */
  public static final int MAX_FIELD_BYTES = 2 * 1024;

  /** Most bytes {@code message} takes as written. */
  public static final int MAX_MESSAGE_BYTES = 8 * 1024;

  /** Most bytes {@code videoId} takes as written (a valid id has at most 128). */
  public static final int MAX_VIDEO_ID_BYTES = 1024;

  /** Most bytes {@code source.topic} takes as written (a Kafka topic name has at most 249). */
  public static final int MAX_TOPIC_BYTES = 1024;

  /** What a text cut to its budget ends with. */
  public static final String CUT_MARK = "...";

  private static final int MAX_REASON_BYTES = 1024;

  // Jackson writes a 4-byte character as two 6-byte escapes. Its COMBINE_UNICODE_SURROGATES_IN_UTF8
  // would write the 4 UTF-8 bytes instead, but (2.19) falls back to the escapes for a pair that
  // straddles its buffer and drops a char after a lone high surrogate: the size would not be exact.
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String KIND = "rejection record";

  private RejectionJson() {}

  /**
   * The most bytes {@link #write} returns for a rejection whose payload was cut to {@code
   * maxRejectedPayloadBytes} (see {@link StoryboardOptions#maxRejectedPayloadBytes()}).
   */
  public static int maxBytes(int maxRejectedPayloadBytes) {
    if (maxRejectedPayloadBytes < 0) {
      throw new IllegalArgumentException(
          "maxRejectedPayloadBytes must be >= 0, was " + maxRejectedPayloadBytes);
    }
    return (int) Math.min(Integer.MAX_VALUE, (long) maxRejectedPayloadBytes + OVERHEAD_BYTES);
  }

  /** The record as a JSON tree, its texts cut to their budgets. */
  public static ObjectNode toTree(Rejection r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("schemaVersion", SCHEMA_VERSION);
    n.put("code", r.code().name());
    n.put("field", clip(r.field(), MAX_FIELD_BYTES));
    n.put("message", clip(r.message(), MAX_MESSAGE_BYTES));
    n.put("videoId", clip(r.videoId(), MAX_VIDEO_ID_BYTES));
    n.put("videoIndex", r.videoIndex());
    ObjectNode p = n.putObject("payload");
    p.put("encoding", r.payload().encoding().wireName());
    p.put("value", r.payload().value());
    p.put("sizeBytes", r.payload().sizeBytes());
    p.put("truncated", r.payload().truncated());
    if (r.payload().sha256() != null) {
      p.put("sha256", r.payload().sha256());
    }
    putSource(n, r.source());
    return n;
  }

  /** UTF-8 JSON bytes; see the class comment for their size. */
  public static byte[] write(Rejection r) {
    return bytes(toTree(r));
  }

  /**
   * A minimal record for a rejection that could not be written in full; never throws, and takes at
   * most {@link #OVERHEAD_BYTES} bytes.
   *
   * @param r the rejection, or {@code null} when there is none (written as {@code INTERNAL_ERROR})
   * @param reason why the full record was not written, e.g. {@code "it took 300000 bytes"}
   */
  public static byte[] writeMinimal(Rejection r, String reason) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("schemaVersion", SCHEMA_VERSION);
    n.put("minimal", true);
    n.put("code", r == null ? RejectionCode.INTERNAL_ERROR.name() : r.code().name());
    n.put("field", Rejection.ROOT);
    n.put(
        "message",
        "minimal rejection: "
            + clip(reason == null ? "no reason given" : reason, MAX_REASON_BYTES)
            + "; the field, the message and the payload's value are left out, and"
            + " payload.sizeBytes and payload.sha256 identify the record");
    n.put("videoId", r != null && VideoIds.isValid(r.videoId()) ? r.videoId() : "");
    n.put("videoIndex", r == null ? 0 : r.videoIndex());
    int size = r == null ? -1 : r.payload().sizeBytes();
    ObjectNode p = n.putObject("payload");
    p.put("encoding", Payload.Encoding.UTF_8.wireName());
    p.put("value", "");
    p.put("sizeBytes", size);
    // the empty value is a prefix of the original, so it is truncated unless that was empty too
    p.put("truncated", size > 0);
    String sha256 = size > 0 ? originalSha256(r.payload()) : null;
    if (sha256 != null) {
      p.put("sha256", sha256);
    }
    putSource(n, r == null ? null : r.source());
    return bytes(n);
  }

  /**
   * Reads a record written by {@link #write} or {@link #writeMinimal}.
   *
   * @throws UnsupportedSchemaVersionException for another schema version
   * @throws IllegalArgumentException naming the field for anything else that is wrong
   */
  public static Rejection read(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(KIND + ": not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(KIND + ": expected a JSON object");
    }
    JsonFields.version(root, KIND, SCHEMA_VERSION);
    if (root.has("minimal")) {
      JsonFields.bool(root, "minimal", KIND);
    }
    String code = JsonFields.string(root, "code", KIND);
    RejectionCode rejectionCode;
    try {
      rejectionCode = RejectionCode.valueOf(code);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(KIND + ": unknown code " + code, e);
    }
    JsonNode p = JsonFields.require(root, "payload", KIND);
    JsonNode h = p.get("sha256");
    String sha256 =
        h == null || h.isNull() ? null : JsonFields.string(p, "sha256", KIND + " payload");
    Payload payload;
    try {
      payload =
          new Payload(
              Payload.Encoding.fromWireName(JsonFields.string(p, "encoding", KIND + " payload")),
              JsonFields.string(p, "value", KIND + " payload"),
              (int) JsonFields.integer(p, "sizeBytes", KIND + " payload"),
              JsonFields.bool(p, "truncated", KIND + " payload"),
              sha256);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(KIND + " payload: " + e.getMessage(), e);
    }
    JsonNode s = root.get("source");
    RecordSource source = null;
    if (s != null && !s.isNull()) {
      source =
          new RecordSource(
              JsonFields.string(s, "topic", KIND + " source"),
              (int) JsonFields.integer(s, "partition", KIND + " source"),
              JsonFields.integer(s, "offset", KIND + " source"));
    }
    return new Rejection(
        rejectionCode,
        JsonFields.string(root, "field", KIND),
        JsonFields.string(root, "message", KIND),
        JsonFields.string(root, "videoId", KIND),
        (int) JsonFields.integer(root, "videoIndex", KIND),
        payload,
        source);
  }

  /**
   * The bytes that code point {@code cp} takes inside a JSON string as {@link #write} writes it:
   * six for a control character without a short escape (NUL is <code>&#92;u0000</code>) and for an
   * unpaired surrogate, twelve for a character above U+FFFF (two escapes, one per surrogate), two
   * for backspace, tab, line feed, form feed, carriage return, the quote and the backslash, else
   * its UTF-8 length (1 to 3).
   */
  public static int encodedLength(int cp) {
    if (cp < 0x20) {
      return cp == '\b' || cp == '\t' || cp == '\n' || cp == '\f' || cp == '\r' ? 2 : 6;
    }
    if (cp == '"' || cp == '\\') {
      return 2;
    }
    if (cp < 0x80) {
      return 1;
    }
    if (cp < 0x800) {
      return 2;
    }
    if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
      return 6;
    }
    return cp < 0x10000 ? 3 : 12;
  }

  /**
   * {@code text} as {@link #write} writes it: unpaired surrogates replaced by U+FFFD and, when it
   * would take more than {@code maxBytes} bytes, cut at a code point boundary and ended with {@link
   * #CUT_MARK} so that it takes at most {@code maxBytes}.
   */
  public static String clip(String text, int maxBytes) {
    if (maxBytes < CUT_MARK.length()) {
      throw new IllegalArgumentException(
          "maxBytes must be >= " + CUT_MARK.length() + ", was " + maxBytes);
    }
    long total = 0;
    boolean wellFormed = true;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      wellFormed &= !isSurrogate(cp);
      total += encodedLength(wellFormedCodePoint(cp));
      i += Character.charCount(cp);
    }
    if (total <= maxBytes && wellFormed) {
      return text;
    }
    int budget = total <= maxBytes ? maxBytes : maxBytes - CUT_MARK.length();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int written = wellFormedCodePoint(cp);
      int cost = encodedLength(written);
      if (cost > budget) {
        break;
      }
      budget -= cost;
      out.appendCodePoint(written);
      i += Character.charCount(cp);
    }
    return total <= maxBytes ? out.toString() : out.append(CUT_MARK).toString();
  }

  /** The index of the first unpaired surrogate in {@code text}, or -1. */
  static int unpairedSurrogate(CharSequence text) {
    for (int i = 0; i < text.length(); ) {
      int cp = Character.codePointAt(text, i);
      if (isSurrogate(cp)) {
        return i;
      }
      i += Character.charCount(cp);
    }
    return -1;
  }

  private static boolean isSurrogate(int cp) {
    return cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE;
  }

  private static int wellFormedCodePoint(int cp) {
    return isSurrogate(cp) ? 0xFFFD : cp;
  }

  private static String originalSha256(Payload p) {
    try {
      return p.originalSha256();
    } catch (IllegalArgumentException e) {
      return null; // a base64 value that does not decode: the hash is not known
    }
  }

  private static void putSource(ObjectNode n, RecordSource source) {
    if (source == null) {
      n.putNull("source");
    } else {
      ObjectNode s = n.putObject("source");
      s.put("topic", clip(source.topic(), MAX_TOPIC_BYTES));
      s.put("partition", source.partition());
      s.put("offset", source.offset());
    }
  }

  private static byte[] bytes(ObjectNode tree) {
    try {
      return MAPPER.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing a JSON tree cannot fail", e);
    }
  }
}
