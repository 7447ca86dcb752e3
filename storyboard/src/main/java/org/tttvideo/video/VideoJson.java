package org.tttvideo.video;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Supplier;
import org.tttvideo.storyboard.UnsupportedSchemaVersionException;

/**
 * The serialized form of the output records (schema version 1): {@link VideoReady} and {@link
 * VideoFailed} on {@code videos}, {@link VideoProgress} on {@code video-progress}. Every record
 * carries {@code schemaVersion} and a {@code type} ({@code ready}, {@code failed} or {@code
 * progress}), so a reader of {@code videos} tells the two kinds apart without guessing:
 *
 * <pre>{@code
 * {"schemaVersion": 1, "type": "ready", "videoId": "sb-1", "uri": "file:/data/videos/sb-1.mp4",
 *  "sha256": "9f86...", "bytes": 20712, "durationSeconds": 6.125, "fps": 8, "width": 192,
 *  "height": 128, "segments": 2, "seed": 42, "modelPreset": "small", "wallTimeMillis": 81234}
 * {"schemaVersion": 1, "type": "failed", "videoId": "sb-2", "code": "ENCODING_FAILED",
 *  "message": "...", "segmentsDone": 2, "wallTimeMillis": 5120}
 * {"schemaVersion": 1, "type": "progress", "videoId": "sb-1", "status": "GENERATING",
 *  "queuePosition": 0, "step": 3, "steps": 20, "segment": 1, "segments": 2, "unitsDone": 120,
 *  "unitsTotal": 802, "etaSeconds": 41.5, "timestampMillis": 1764000000000}
 * }</pre>
 *
 * <pre>{@code
 * byte[] json = VideoJson.write(ready);
 * Object back = VideoJson.read(json);          // a VideoReady, VideoFailed or VideoProgress
 * VideoReady r = VideoJson.readReady(json);    // when only one type is acceptable
 * }</pre>
 *
 * <p>A non-finite {@code etaSeconds} (unknown) is written as {@code -1}, the documented "unknown",
 * since JSON has no NaN. Reading is strict: every field present with its type, an unknown {@code
 * type} refused, and an unknown schema version refused with {@link
 * UnsupportedSchemaVersionException} before anything else is looked at. Thread-safe.
 */
public final class VideoJson {
  /** The version written. */
  public static final int SCHEMA_VERSION = 1;

  /** {@code type} of a {@link VideoReady}. */
  public static final String TYPE_READY = "ready";

  /** {@code type} of a {@link VideoFailed}. */
  public static final String TYPE_FAILED = "failed";

  /** {@code type} of a {@link VideoProgress}. */
  public static final String TYPE_PROGRESS = "progress";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String KIND = "video record";

  private VideoJson() {}

  // ---------------------------------------------------------------- writing

  /** The record as a JSON tree. */
  public static ObjectNode toTree(VideoReady r) {
    ObjectNode n = header(TYPE_READY, r.videoId());
    n.put("uri", r.uri());
    n.put("sha256", r.sha256());
    n.put("bytes", r.bytes());
    n.put("durationSeconds", r.durationSeconds());
    n.put("fps", r.fps());
    n.put("width", r.width());
    n.put("height", r.height());
    n.put("segments", r.segments());
    n.put("seed", r.seed());
    n.put("modelPreset", r.modelPreset());
    n.put("wallTimeMillis", r.wallTimeMillis());
    return n;
  }

  /** The record as a JSON tree. */
  public static ObjectNode toTree(VideoFailed f) {
    ObjectNode n = header(TYPE_FAILED, f.videoId());
    n.put("code", f.code());
    n.put("message", f.message());
    n.put("segmentsDone", f.segmentsDone());
    n.put("wallTimeMillis", f.wallTimeMillis());
    return n;
  }

  /** The record as a JSON tree. */
  public static ObjectNode toTree(VideoProgress p) {
    ObjectNode n = header(TYPE_PROGRESS, p.videoId());
    n.put("status", p.status().name());
    n.put("queuePosition", p.queuePosition());
    n.put("step", p.step());
    n.put("steps", p.steps());
    n.put("segment", p.segment());
    n.put("segments", p.segments());
    n.put("unitsDone", p.unitsDone());
    n.put("unitsTotal", p.unitsTotal());
    n.put("etaSeconds", Double.isFinite(p.etaSeconds()) ? p.etaSeconds() : -1.0);
    n.put("timestampMillis", p.timestampMillis());
    return n;
  }

  /** UTF-8 JSON bytes. */
  public static byte[] write(VideoReady r) {
    return bytes(toTree(r));
  }

  /** UTF-8 JSON bytes. */
  public static byte[] write(VideoFailed f) {
    return bytes(toTree(f));
  }

  /** UTF-8 JSON bytes. */
  public static byte[] write(VideoProgress p) {
    return bytes(toTree(p));
  }

  // ---------------------------------------------------------------- reading

  /**
   * Reads any record written by {@code write}.
   *
   * @return a {@link VideoReady}, {@link VideoFailed} or {@link VideoProgress}, by {@code type}
   * @throws UnsupportedSchemaVersionException for another schema version
   * @throws IllegalArgumentException naming the field for anything else that is wrong
   */
  public static Object read(byte[] json) {
    return fromTree(parse(json));
  }

  /** Reads a record from a JSON tree; see {@link #read}. */
  public static Object fromTree(JsonNode root) {
    String type = type(root);
    return switch (type) {
      case TYPE_READY -> ready(root);
      case TYPE_FAILED -> failed(root);
      case TYPE_PROGRESS -> progress(root);
      default ->
          throw new IllegalArgumentException(
              KIND
                  + ": unknown type '"
                  + type
                  + "'; allowed are "
                  + TYPE_READY
                  + ", "
                  + TYPE_FAILED
                  + ", "
                  + TYPE_PROGRESS);
    };
  }

  /**
   * Reads a {@link VideoReady}.
   *
   * @throws IllegalArgumentException when the record is of another type or malformed
   */
  public static VideoReady readReady(byte[] json) {
    return expect(read(json), VideoReady.class, TYPE_READY);
  }

  /**
   * Reads a {@link VideoFailed}.
   *
   * @throws IllegalArgumentException when the record is of another type or malformed
   */
  public static VideoFailed readFailed(byte[] json) {
    return expect(read(json), VideoFailed.class, TYPE_FAILED);
  }

  /**
   * Reads a {@link VideoProgress}.
   *
   * @throws IllegalArgumentException when the record is of another type or malformed
   */
  public static VideoProgress readProgress(byte[] json) {
    return expect(read(json), VideoProgress.class, TYPE_PROGRESS);
  }

  // ---------------------------------------------------------------- internals

  private static ObjectNode header(String type, String videoId) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("schemaVersion", SCHEMA_VERSION);
    n.put("type", type);
    n.put("videoId", videoId);
    return n;
  }

  private static byte[] bytes(ObjectNode n) {
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing a JSON tree cannot fail", e);
    }
  }

  private static JsonNode parse(byte[] json) {
    if (json == null) {
      throw new IllegalArgumentException(KIND + ": no bytes (a tombstone?)");
    }
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(KIND + ": not valid JSON: " + e.getMessage(), e);
    }
  }

  /** Checks the object and the schema version (first), then returns {@code type}. */
  private static String type(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(KIND + ": expected a JSON object");
    }
    JsonNode v = root.get("schemaVersion");
    if (v == null || !v.isIntegralNumber()) {
      throw new IllegalArgumentException(KIND + ": schemaVersion (an integer) is required");
    }
    if (!v.canConvertToInt() || v.intValue() != SCHEMA_VERSION) {
      throw new UnsupportedSchemaVersionException(KIND, v.asText(), SCHEMA_VERSION);
    }
    return string(root, "type", KIND);
  }

  private static VideoReady ready(JsonNode n) {
    String where = KIND + " (" + TYPE_READY + ")";
    return construct(
        where,
        () ->
            new VideoReady(
                string(n, "videoId", where),
                string(n, "uri", where),
                string(n, "sha256", where),
                integer(n, "bytes", where),
                number(n, "durationSeconds", where),
                int32(n, "fps", where),
                int32(n, "width", where),
                int32(n, "height", where),
                int32(n, "segments", where),
                integer(n, "seed", where),
                string(n, "modelPreset", where),
                integer(n, "wallTimeMillis", where)));
  }

  private static VideoFailed failed(JsonNode n) {
    String where = KIND + " (" + TYPE_FAILED + ")";
    return construct(
        where,
        () ->
            new VideoFailed(
                string(n, "videoId", where),
                string(n, "code", where),
                string(n, "message", where),
                int32(n, "segmentsDone", where),
                integer(n, "wallTimeMillis", where)));
  }

  private static VideoProgress progress(JsonNode n) {
    String where = KIND + " (" + TYPE_PROGRESS + ")";
    String status = string(n, "status", where);
    VideoProgress.Status parsed;
    try {
      parsed = VideoProgress.Status.valueOf(status);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          where
              + ": unknown status '"
              + status
              + "'; allowed are "
              + Arrays.toString(VideoProgress.Status.values()),
          e);
    }
    return construct(
        where,
        () ->
            new VideoProgress(
                string(n, "videoId", where),
                parsed,
                int32(n, "queuePosition", where),
                int32(n, "step", where),
                int32(n, "steps", where),
                int32(n, "segment", where),
                int32(n, "segments", where),
                integer(n, "unitsDone", where),
                integer(n, "unitsTotal", where),
                number(n, "etaSeconds", where),
                integer(n, "timestampMillis", where)));
  }

  /** Runs a record constructor, prefixing its validation message with where the record is. */
  private static <T> T construct(String where, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (NullPointerException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(where)) {
        throw e; // already names the field
      }
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static <T> T expect(Object record, Class<T> type, String typeName) {
    if (!type.isInstance(record)) {
      throw new IllegalArgumentException(
          KIND
              + ": expected type '"
              + typeName
              + "', got a "
              + record.getClass().getSimpleName()
              + " record");
    }
    return type.cast(record);
  }

  private static JsonNode require(JsonNode node, String name, String where) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(where + ": field " + name + " is missing");
    }
    return v;
  }

  private static String string(JsonNode node, String name, String where) {
    JsonNode v = require(node, name, where);
    if (!v.isTextual()) {
      throw new IllegalArgumentException(where + ": field " + name + " must be a string");
    }
    return v.textValue();
  }

  private static long integer(JsonNode node, String name, String where) {
    JsonNode v = require(node, name, where);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException(
          where + ": field " + name + " must be an integer (64-bit)");
    }
    return v.longValue();
  }

  private static int int32(JsonNode node, String name, String where) {
    JsonNode v = require(node, name, where);
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException(
          where + ": field " + name + " must be an integer (32-bit)");
    }
    return v.intValue();
  }

  private static double number(JsonNode node, String name, String where) {
    JsonNode v = require(node, name, where);
    if (!v.isNumber()) {
      throw new IllegalArgumentException(where + ": field " + name + " must be a number");
    }
    return v.doubleValue();
  }
}
