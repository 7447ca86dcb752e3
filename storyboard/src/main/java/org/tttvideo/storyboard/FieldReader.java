package org.tttvideo.storyboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.tttvideo.storyboard.StoryboardOptions.Keys;

/**
 * The checks every format reader shares: a text field's type, characters, emptiness and length
 * ({@link TextSpec}), the segment count, unknown fields, and how a field path and a wrong type are
 * written in a message. Each check throws {@link InvalidInput} naming the field, the value found
 * and what is allowed, so that one input with one problem always gets the same code and message
 * whichever format it came in.
 */
final class FieldReader {

  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final StoryboardOptions options;

  FieldReader(StoryboardOptions options) {
    this.options = options;
  }

  StoryboardOptions options() {
    return options;
  }

  /**
   * A text field, checked (type, control characters, unpaired surrogates, empty, length) and
   * normalised.
   */
  String text(JsonNode node, String field, TextSpec spec) {
    if (!node.isTextual()) {
      throw wrongType(field, "a string", node);
    }
    String raw = node.textValue();
    checkCharacters(raw, field);
    String t = TextRules.normalise(raw);
    if (t.isEmpty() && !spec.allowEmpty()) {
      throw empty(field);
    }
    checkLength(TextRules.length(t), field, spec);
    return t;
  }

  /** A segment's {@code text}: required, checked as {@link #text}; {@code at} names the segment. */
  String segmentText(JsonNode seg, String at, TextSpec spec) {
    JsonNode node = present(seg, "text");
    if (node == null) {
      throw new InvalidInput(
          RejectionCode.MISSING_FIELD,
          at + ".text",
          "every segment needs text: the prompt for its 3 seconds");
    }
    return text(node, at + ".text", spec);
  }

  /**
   * An optional text field {@code name} of {@code obj}, checked as {@link #text}, or the default.
   */
  String optionalText(JsonNode obj, String name, String at, TextSpec spec, String absent) {
    JsonNode node = present(obj, name);
    return node == null ? absent : text(node, at + "." + name, spec);
  }

  /** An optional boolean field {@code name} of {@code obj}, or {@code false}. */
  static boolean optionalFlag(JsonNode obj, String name, String at) {
    JsonNode node = present(obj, name);
    if (node == null) {
      return false;
    }
    if (!node.isBoolean()) {
      throw wrongType(at + "." + name, "true or false", node);
    }
    return node.booleanValue();
  }

  /**
   * A text field's raw string, checked like {@link #text} but not normalised: the plot and
   * annotation readers split it at blank lines first, which normalising would erase.
   */
  String rawText(JsonNode node, String field, TextSpec spec) {
    if (!node.isTextual()) {
      throw wrongType(field, "a string", node);
    }
    String raw = node.textValue();
    checkCharacters(raw, field);
    if (raw.isBlank() && !spec.allowEmpty()) {
      throw empty(field);
    }
    checkLength(TextRules.length(TextRules.normalise(raw)), field, spec);
    return raw;
  }

  private static InvalidInput empty(String field) {
    return new InvalidInput(
        RejectionCode.EMPTY_TEXT,
        field,
        field + " is empty or only white space; it must hold the text to generate from");
  }

  private static void checkLength(int len, String field, TextSpec spec) {
    if (len > spec.maxChars()) {
      throw new InvalidInput(
          spec.tooLong(),
          field,
          field
              + " has "
              + len
              + " characters; at most "
              + spec.maxChars()
              + " are allowed ("
              + spec.limitKey()
              + ")");
    }
  }

  /**
   * Holds a count of segments (or sentences: {@code what}) to the configured minimum and maximum.
   */
  void checkCount(int n, String field, String what) {
    String at = field.equals(Rejection.ROOT) ? "" : field + ": ";
    if (n < options.minSegments()) {
      throw new InvalidInput(
          RejectionCode.TOO_FEW_SEGMENTS,
          field,
          at
              + (n <= 0 ? "no " + what : "only " + n + " " + what)
              + "; a video needs at least "
              + options.minSegments()
              + " segment(s) of 3 seconds ("
              + Keys.MIN_SEGMENTS
              + ")");
    }
    if (n > options.maxSegments()) {
      throw new InvalidInput(
          RejectionCode.TOO_MANY_SEGMENTS,
          field,
          at
              + (n == Integer.MAX_VALUE ? "too many" : String.valueOf(n))
              + " "
              + what
              + "; a video has at most "
              + options.maxSegments()
              + " segments of 3 seconds ("
              + Keys.MAX_SEGMENTS
              + ")");
    }
  }

  /** Rejects control characters (but tab, line feed, carriage return) and unpaired surrogates. */
  static void checkCharacters(String raw, String field) {
    int c = TextRules.firstControlCharacter(raw);
    if (c >= 0) {
      throw new InvalidInput(
          RejectionCode.CONTROL_CHARACTERS,
          field,
          field
              + " holds the control character "
              + describe(raw.charAt(c))
              + " at position "
              + c
              + "; only tab, line feed and carriage return are allowed");
    }
    int s = TextRules.firstUnpairedSurrogate(raw);
    if (s >= 0) {
      throw new InvalidInput(
          RejectionCode.INVALID_UNICODE,
          field,
          field
              + " holds an unpaired surrogate "
              + describe(raw.charAt(s))
              + " at position "
              + s
              + "; text must be valid Unicode");
    }
  }

  /** Rejects the first field of {@code node} not in {@code allowed}; the message lists them. */
  static void rejectUnknownFields(JsonNode node, String at, Set<String> allowed) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new InvalidInput(
            RejectionCode.UNKNOWN_FIELD,
            join(at, name),
            "field \"" + clip(name) + "\" is unknown here; the allowed fields are " + allowed);
      }
    }
  }

  /** The field, or {@code null} when absent or JSON {@code null}. */
  static JsonNode present(JsonNode node, String name) {
    JsonNode v = node.get(name);
    return v == null || v.isNull() ? null : v;
  }

  /** A field of the wrong JSON type; NaN and Infinity get their own code. */
  static InvalidInput wrongType(String field, String expected, JsonNode actual) {
    if (actual.isNumber()
        && actual.isFloatingPointNumber()
        && !Double.isFinite(actual.doubleValue())) {
      return new InvalidInput(
          RejectionCode.INVALID_NUMBER,
          field,
          field + " is " + actual.asText() + "; it must be " + expected);
    }
    return new InvalidInput(
        RejectionCode.WRONG_TYPE,
        field,
        field + " must be " + expected + ", was " + typeName(actual));
  }

  private static String typeName(JsonNode n) {
    return switch (n.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case BOOLEAN -> "a boolean";
      case NUMBER -> n.isIntegralNumber() ? "an integer" : "a number with a fraction or exponent";
      case NULL -> "null";
      default -> n.getNodeType().toString().toLowerCase(Locale.ROOT);
    };
  }

  /**
   * A field path: {@code parent.name}, or {@code parent["odd name"]} for a name that is empty or
   * holds anything but letters, digits and underscores (so every path is non-empty and
   * unambiguous).
   */
  static String join(String parent, String name) {
    String p = parent == null ? "" : parent;
    if (name != null && PLAIN_NAME.matcher(name).matches()) {
      return p.isEmpty() ? name : p + "." + name;
    }
    return p + "[" + quote(name) + "]";
  }

  private static String quote(String name) {
    ObjectNode holder = new ObjectMapper().createObjectNode();
    holder.put("n", clip(name == null ? "" : name));
    String json = holder.toString(); // {"n":"..."}
    return json.substring(5, json.length() - 1);
  }

  /** At most 80 characters of a value the publisher sent, so that a message stays readable. */
  static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  /** A code point as {@code U+0007}. */
  static String describe(int codePoint) {
    return String.format(Locale.ROOT, "U+%04X", codePoint);
  }

  /** A set that lists its names in the order given, as the messages show them. */
  static Set<String> orderedSet(String... names) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
  }
}
