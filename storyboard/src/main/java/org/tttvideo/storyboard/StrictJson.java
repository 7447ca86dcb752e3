package org.tttvideo.storyboard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tttvideo.storyboard.StoryboardOptions.Keys;

/**
 * Reads one record's text as exactly one JSON value, stricter than Jackson's defaults: duplicate
 * fields, trailing values and nesting beyond {@link StoryboardOptions#maxNestingDepth()} are
 * rejected, and every syntax error becomes an {@link InvalidInput} with its line and column.
 *
 * <p>A streaming pass checks everything first, so that a hostile record (a million nested arrays, a
 * number with a million digits) is refused before any tree is built; only then is the tree read.
 */
final class StrictJson {

  private final int maxNestingDepth;
  private final JsonFactory jsonFactory;
  private final ObjectMapper mapper;

  StrictJson(StoryboardOptions options) {
    this.maxNestingDepth = options.maxNestingDepth();
    this.jsonFactory =
        JsonFactory.builder()
            // NaN and Infinity are read so that they can be rejected by field (INVALID_NUMBER)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth + 1).build())
            .build();
    this.mapper = new ObjectMapper(jsonFactory);
  }

  /** The one JSON value in {@code text}, an object or an array (the caller checked the start). */
  JsonNode read(String text) {
    int depth = 0;
    try (JsonParser p = jsonFactory.createParser(text)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          depth++;
          if (depth > maxNestingDepth) {
            throw tooDeep(p);
          }
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          depth--;
        }
        if (depth == 0) {
          JsonToken after = p.nextToken();
          if (after != null) {
            throw new InvalidInput(
                RejectionCode.MALFORMED_JSON,
                Rejection.ROOT,
                "unexpected "
                    + after.asString()
                    + " after the end of the JSON value at "
                    + where(p)
                    + "; a record holds exactly one JSON value");
          }
          break;
        }
      }
      if (depth > 0) {
        throw new InvalidInput(
            RejectionCode.MALFORMED_JSON,
            Rejection.ROOT,
            "the JSON ends before all arrays and objects are closed (truncated?)");
      }
    } catch (StreamConstraintsException e) {
      String m = String.valueOf(e.getOriginalMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("nesting")) {
        throw new InvalidInput(
            RejectionCode.NESTING_TOO_DEEP,
            Rejection.ROOT,
            "arrays and objects are nested more than "
                + maxNestingDepth
                + " levels deep ("
                + Keys.MAX_NESTING_DEPTH
                + ")");
      }
      if (m.contains("number")) {
        throw new InvalidInput(
            RejectionCode.INVALID_NUMBER,
            Rejection.ROOT,
            "a number at " + where(e) + " has too many digits");
      }
      throw new InvalidInput(RejectionCode.MALFORMED_JSON, Rejection.ROOT, e.getOriginalMessage());
    } catch (JsonParseException e) {
      String m = String.valueOf(e.getOriginalMessage());
      if (m.startsWith("Duplicate field")) {
        String name = m.replaceFirst("^Duplicate field '(.*)'$", "$1");
        String parent = path(e.getProcessor() == null ? null : contextOf(e));
        throw new InvalidInput(
            RejectionCode.DUPLICATE_FIELD,
            FieldReader.join(parent, name),
            "field \"" + name + "\" is given twice; each field may appear once");
      }
      throw new InvalidInput(
          RejectionCode.MALFORMED_JSON,
          Rejection.ROOT,
          "not valid JSON at " + where(e) + ": " + firstLine(m));
    } catch (IOException e) {
      throw new InvalidInput(
          RejectionCode.MALFORMED_JSON, Rejection.ROOT, "not valid JSON: " + e.getMessage());
    }
    try {
      return mapper.readTree(text);
    } catch (JsonProcessingException e) {
      // the streaming pass above accepted the same text; this is not expected
      throw new IllegalStateException("JSON accepted by the first pass but not the second", e);
    }
  }

  private InvalidInput tooDeep(JsonParser p) {
    return new InvalidInput(
        RejectionCode.NESTING_TOO_DEEP,
        Rejection.ROOT,
        "arrays and objects are nested more than "
            + maxNestingDepth
            + " levels deep ("
            + Keys.MAX_NESTING_DEPTH
            + ") at "
            + where(p));
  }

  private static JsonStreamContext contextOf(JsonParseException e) {
    JsonParser p = e.getProcessor();
    return p == null ? null : p.getParsingContext();
  }

  /** A field path such as {@code segments[3]} for a parser context. */
  private static String path(JsonStreamContext ctx) {
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
      JsonStreamContext parent = c.getParent();
      if (parent == null || parent.inRoot()) {
        break;
      }
      if (parent.inArray()) {
        parts.add(0, "[" + parent.getCurrentIndex() + "]");
      } else if (parent.inObject()) {
        parts.add(0, FieldReader.join("x", parent.getCurrentName()).substring(1));
      }
    }
    String s = String.join("", parts);
    return s.startsWith(".") ? s.substring(1) : s;
  }

  private static String where(JsonParser p) {
    return "line "
        + p.currentLocation().getLineNr()
        + ", column "
        + p.currentLocation().getColumnNr();
  }

  private static String where(JsonProcessingException e) {
    return e.getLocation() == null
        ? "an unknown position"
        : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
