package org.tttvideo.model.storyboard;

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
 * {@code null} when the record did not come from Kafka. Reading is strict and refuses unknown
 * schema versions with {@link UnsupportedSchemaVersionException}. Thread-safe.
 */
public final class RejectionJson {
  /** The version written. */
  public static final int SCHEMA_VERSION = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String KIND = "rejection record";

  private RejectionJson() {}

  /** The record as a JSON tree. */
  public static ObjectNode toTree(Rejection r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("schemaVersion", SCHEMA_VERSION);
    n.put("code", r.code().name());
    n.put("field", r.field());
    n.put("message", r.message());
    n.put("videoId", r.videoId());
    n.put("videoIndex", r.videoIndex());
    ObjectNode p = n.putObject("payload");
    p.put("encoding", r.payload().encoding().wireName());
    p.put("value", r.payload().value());
    p.put("sizeBytes", r.payload().sizeBytes());
    p.put("truncated", r.payload().truncated());
    if (r.source() == null) {
      n.putNull("source");
    } else {
      ObjectNode s = n.putObject("source");
      s.put("topic", r.source().topic());
      s.put("partition", r.source().partition());
      s.put("offset", r.source().offset());
    }
    return n;
  }

  /** UTF-8 JSON bytes. */
  public static byte[] write(Rejection r) {
    try {
      return MAPPER.writeValueAsBytes(toTree(r));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing a JSON tree cannot fail", e);
    }
  }

  /**
   * Reads a record written by {@link #write}.
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
    String code = JsonFields.string(root, "code", KIND);
    RejectionCode rejectionCode;
    try {
      rejectionCode = RejectionCode.valueOf(code);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(KIND + ": unknown code " + code, e);
    }
    JsonNode p = JsonFields.require(root, "payload", KIND);
    Payload payload =
        new Payload(
            Payload.Encoding.fromWireName(JsonFields.string(p, "encoding", KIND + " payload")),
            JsonFields.string(p, "value", KIND + " payload"),
            (int) JsonFields.integer(p, "sizeBytes", KIND + " payload"),
            JsonFields.bool(p, "truncated", KIND + " payload"));
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
}
