package org.tttvideo.toonworld;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@link WorldSpec} as JSON, version 1: field names are the records' component names, enum values
 * their names in lower case. A field whose value is {@code null} in the record is left out; reading
 * refuses an explicit {@code null}, unknown fields, duplicates and any other version, so every spec
 * has exactly one text and {@code read(write(s)).equals(s)}.
 *
 * <pre>{@code
 * {"version":1,"scenes":[{"room":"kitchen","wall":"blue","catColour":"orange",
 *   "mouseColour":"grey","segments":[{"camera":"still",
 *   "cat":{"kind":"chase","direction":"right"},"mouse":{"kind":"run","direction":"right"}}]}]}
 * }</pre>
 */
public final class WorldSpecJson {

  /** The version {@link #write} writes and the only one {@link #read} reads. */
  public static final int VERSION = 1;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private WorldSpecJson() {}

  /** The spec as one line of JSON. */
  public static String write(WorldSpec spec) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", VERSION);
    ArrayNode scenes = root.putArray("scenes");
    for (SceneSpec scene : spec.scenes()) {
      ObjectNode s = scenes.addObject();
      s.put("room", scene.room().jsonName());
      s.put("wall", scene.wall().jsonName());
      if (scene.catColour() != null) {
        s.put("catColour", scene.catColour().jsonName());
      }
      if (scene.mouseColour() != null) {
        s.put("mouseColour", scene.mouseColour().jsonName());
      }
      ArrayNode segments = s.putArray("segments");
      for (SegmentSpec segment : scene.segments()) {
        ObjectNode g = segments.addObject();
        g.put("camera", segment.camera().jsonName());
        if (segment.cat() != null) {
          writeAction(g.putObject("cat"), segment.cat());
        }
        if (segment.mouse() != null) {
          writeAction(g.putObject("mouse"), segment.mouse());
        }
      }
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a tree of plain nodes", e);
    }
  }

  /**
   * The spec in {@code json}.
   *
   * @throws InvalidWorldSpecException naming the field at fault
   */
  public static WorldSpec read(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidWorldSpecException("", "not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidWorldSpecException("", "a world spec is a JSON object");
    }
    fields(root, "", Set.of("version", "scenes"));
    JsonNode version = required(root, "", "version");
    if (!version.isInt() || version.intValue() != VERSION) {
      throw new InvalidWorldSpecException(
          "version", "version " + version + " is not known; this reader knows " + VERSION);
    }
    JsonNode scenesNode = array(required(root, "", "scenes"), "scenes");
    List<SceneSpec> scenes = new ArrayList<>();
    for (int i = 0; i < scenesNode.size(); i++) {
      scenes.add(readScene(scenesNode.get(i), "scenes[" + i + "]"));
    }
    return build("", () -> new WorldSpec(scenes));
  }

  private static SceneSpec readScene(JsonNode node, String path) {
    object(node, path);
    fields(node, path, Set.of("room", "wall", "catColour", "mouseColour", "segments"));
    Room room = value(Room.class, required(node, path, "room"), path + ".room");
    ToonColour wall = value(ToonColour.class, required(node, path, "wall"), path + ".wall");
    ToonColour cat = optional(ToonColour.class, node, path, "catColour");
    ToonColour mouse = optional(ToonColour.class, node, path, "mouseColour");
    JsonNode segmentsNode = array(required(node, path, "segments"), path + ".segments");
    List<SegmentSpec> segments = new ArrayList<>();
    for (int i = 0; i < segmentsNode.size(); i++) {
      segments.add(readSegment(segmentsNode.get(i), path + ".segments[" + i + "]"));
    }
    return build(path, () -> new SceneSpec(room, wall, cat, mouse, segments));
  }

  private static SegmentSpec readSegment(JsonNode node, String path) {
    object(node, path);
    fields(node, path, Set.of("camera", "cat", "mouse"));
    Camera camera = value(Camera.class, required(node, path, "camera"), path + ".camera");
    Action cat = node.has("cat") ? readAction(node.get("cat"), path + ".cat") : null;
    Action mouse = node.has("mouse") ? readAction(node.get("mouse"), path + ".mouse") : null;
    return build(path, () -> new SegmentSpec(camera, cat, mouse));
  }

  private static Action readAction(JsonNode node, String path) {
    object(node, path);
    fields(node, path, Set.of("kind", "direction", "target"));
    ActionKind kind = value(ActionKind.class, required(node, path, "kind"), path + ".kind");
    Side direction = optional(Side.class, node, path, "direction");
    Furniture target = optional(Furniture.class, node, path, "target");
    return build(path, () -> new Action(kind, direction, target));
  }

  private static void writeAction(ObjectNode node, Action a) {
    node.put("kind", a.kind().jsonName());
    if (a.direction() != null) {
      node.put("direction", a.direction().jsonName());
    }
    if (a.target() != null) {
      node.put("target", a.target().jsonName());
    }
  }

  private interface Builder<T> {
    T build();
  }

  /** Runs a record constructor; its message starts with the component at fault ("wall: ..."). */
  private static <T> T build(String path, Builder<T> b) {
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      int colon = m.indexOf(": ");
      String field = colon < 0 ? "" : m.substring(0, colon);
      String detail = colon < 0 ? m : m.substring(colon + 2);
      String full = path.isEmpty() ? field : field.isEmpty() ? path : path + "." + field;
      throw new InvalidWorldSpecException(full, detail);
    }
  }

  private static void object(JsonNode node, String path) {
    if (!node.isObject()) {
      throw new InvalidWorldSpecException(
          path, "must be a JSON object, was " + node.getNodeType().name().toLowerCase(Locale.ROOT));
    }
  }

  private static JsonNode array(JsonNode node, String path) {
    if (!node.isArray()) {
      throw new InvalidWorldSpecException(
          path, "must be a JSON array, was " + node.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    return node;
  }

  private static void fields(JsonNode node, String path, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new InvalidWorldSpecException(
            join(path, f), "unknown field; allowed: " + String.join(", ", sorted(allowed)));
      }
    }
  }

  private static JsonNode required(JsonNode node, String path, String field) {
    JsonNode v = node.get(field);
    if (v == null) {
      throw new InvalidWorldSpecException(join(path, field), "required field is missing");
    }
    return v;
  }

  private static <E extends Enum<E> & WorldWord> E optional(
      Class<E> type, JsonNode node, String path, String field) {
    JsonNode v = node.get(field);
    if (v == null) {
      return null;
    }
    if (v.isNull()) {
      throw new InvalidWorldSpecException(
          join(path, field), "null is not allowed; leave the field out instead");
    }
    return value(type, v, join(path, field));
  }

  private static <E extends Enum<E> & WorldWord> E value(Class<E> type, JsonNode v, String path) {
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.jsonName());
    }
    if (v.isTextual()) {
      for (E e : type.getEnumConstants()) {
        if (e.jsonName().equals(v.textValue())) {
          return e;
        }
      }
    }
    throw new InvalidWorldSpecException(
        path, v + " is not allowed; allowed: " + String.join(", ", allowed));
  }

  private static List<String> sorted(Set<String> s) {
    List<String> l = new ArrayList<>(s);
    l.sort(null);
    return l;
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
