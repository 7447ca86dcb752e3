package org.tttvideo.storyboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The serialized form of a valid {@link Storyboard} (the records the validation writes for the
 * generation job), schema version 1:
 *
 * <pre>{@code
 * {"schemaVersion": 1, "videoId": "sb-0123456789abcdef", "title": "", "format": "storyboard",
 *  "inputForm": "json", "seed": 0, "settings": {"denoisingSteps": 50, "guidanceScale": 6.0},
 *  "summary": "", "expandedBy": "",
 *  "segments": [{"index": 0, "text": "...", "negativeText": "", "sceneStart": true}, ...]}
 * }</pre>
 *
 * Reading is strict: every field present with its type, and an unknown schema version is refused
 * with {@link UnsupportedSchemaVersionException}. Thread-safe.
 */
public final class StoryboardJson {
  /** The version written. */
  public static final int SCHEMA_VERSION = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String KIND = "storyboard record";

  private StoryboardJson() {}

  /** The record as a JSON tree. */
  public static ObjectNode toTree(Storyboard s) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("schemaVersion", SCHEMA_VERSION);
    n.put("videoId", s.videoId());
    n.put("title", s.title());
    n.put("format", s.format().wireName());
    n.put("inputForm", s.inputForm().wireName());
    n.put("seed", s.seed());
    ObjectNode settings = n.putObject("settings");
    settings.put("denoisingSteps", s.settings().denoisingSteps());
    settings.put("guidanceScale", s.settings().guidanceScale());
    n.put("summary", s.summary());
    n.put("expandedBy", s.expandedBy());
    ArrayNode segments = n.putArray("segments");
    for (Segment seg : s.segments()) {
      ObjectNode o = segments.addObject();
      o.put("index", seg.index());
      o.put("text", seg.text());
      o.put("negativeText", seg.negativeText());
      o.put("sceneStart", seg.sceneStart());
    }
    return n;
  }

  /** UTF-8 JSON bytes. */
  public static byte[] write(Storyboard s) {
    try {
      return MAPPER.writeValueAsBytes(toTree(s));
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
  public static Storyboard read(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(KIND + ": not valid JSON: " + e.getMessage(), e);
    }
    return fromTree(root);
  }

  /** Reads a record from a JSON tree; see {@link #read}. */
  public static Storyboard fromTree(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(KIND + ": expected a JSON object");
    }
    JsonFields.version(root, KIND, SCHEMA_VERSION);
    JsonNode settingsNode = JsonFields.require(root, "settings", KIND);
    GenerationSettings settings =
        new GenerationSettings(
            (int) JsonFields.integer(settingsNode, "denoisingSteps", KIND + " settings"),
            JsonFields.number(settingsNode, "guidanceScale", KIND + " settings"));
    JsonNode segmentsNode = JsonFields.require(root, "segments", KIND);
    if (!segmentsNode.isArray()) {
      throw new IllegalArgumentException(KIND + ": segments must be a list");
    }
    List<Segment> segments = new ArrayList<>(segmentsNode.size());
    for (JsonNode o : segmentsNode) {
      String where = KIND + " segments[" + segments.size() + "]";
      segments.add(
          new Segment(
              (int) JsonFields.integer(o, "index", where),
              JsonFields.string(o, "text", where),
              JsonFields.string(o, "negativeText", where),
              JsonFields.bool(o, "sceneStart", where)));
    }
    String format = JsonFields.string(root, "format", KIND);
    String form = JsonFields.string(root, "inputForm", KIND);
    return new Storyboard(
        JsonFields.string(root, "videoId", KIND),
        JsonFields.string(root, "title", KIND),
        StoryboardFormat.fromWireName(format)
            .orElseThrow(() -> new IllegalArgumentException(KIND + ": unknown format " + format)),
        InputForm.fromWireName(form)
            .orElseThrow(() -> new IllegalArgumentException(KIND + ": unknown inputForm " + form)),
        JsonFields.integer(root, "seed", KIND),
        settings,
        segments,
        JsonFields.string(root, "summary", KIND),
        JsonFields.string(root, "expandedBy", KIND));
  }
}
