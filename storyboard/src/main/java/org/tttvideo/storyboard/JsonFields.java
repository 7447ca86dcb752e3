package org.tttvideo.storyboard;

import com.fasterxml.jackson.databind.JsonNode;

/** Strict field access for our own serialized records (not for user input: see the parser). */
final class JsonFields {
  private JsonFields() {}

  static JsonNode require(JsonNode node, String name, String where) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(where + ": field " + name + " is missing");
    }
    return v;
  }

  static String string(JsonNode node, String name, String where) {
    JsonNode v = require(node, name, where);
    if (!v.isTextual()) {
      throw new IllegalArgumentException(where + ": field " + name + " must be a string");
    }
    return v.textValue();
  }

  static long integer(JsonNode node, String name, String where) {
    JsonNode v = require(node, name, where);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException(where + ": field " + name + " must be an integer");
    }
    return v.longValue();
  }

  static double number(JsonNode node, String name, String where) {
    JsonNode v = require(node, name, where);
    if (!v.isNumber()) {
      throw new IllegalArgumentException(where + ": field " + name + " must be a number");
    }
    return v.doubleValue();
  }

  static boolean bool(JsonNode node, String name, String where) {
    JsonNode v = require(node, name, where);
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(where + ": field " + name + " must be true or false");
    }
    return v.booleanValue();
  }

  static int version(JsonNode root, String kind, int supported) {
    JsonNode v = root.get("schemaVersion");
    if (v == null || !v.isIntegralNumber()) {
      throw new IllegalArgumentException(kind + ": schemaVersion (an integer) is required");
    }
    if (!v.canConvertToInt() || v.intValue() != supported) {
      throw new UnsupportedSchemaVersionException(kind, v.asText(), supported);
    }
    return v.intValue();
  }
}
