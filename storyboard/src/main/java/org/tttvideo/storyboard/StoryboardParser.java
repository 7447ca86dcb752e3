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
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads every accepted input form into {@link Storyboard}s, or says precisely why not. The one code
 * path behind the Kafka deserializer, the job's validation and {@link StoryboardCheck}.
 *
 * <p>Accepted (UTF-8, at most {@link StoryboardOptions#maxPayloadBytes()}):
 *
 * <ul>
 *   <li>our JSON object with {@code "format": "storyboard" | "plot" | "summary"} (schema version 1;
 *       {@code schemaVersion} may be left out);
 *   <li>annotation text (Format 3 as plain text, starting with {@code <scene start>});
 *   <li>the reference implementation's JSON array of videos, or one video's array.
 * </ul>
 *
 * <p>{@link #parse} never throws: every problem, including a bug in this class, becomes a {@link
 * Rejection} that carries the original payload. Checks run in a fixed order, so an input with one
 * problem always gets the same code and field. The full description of the formats, limits and
 * codes is {@code docs/storyboards.md}.
 *
 * <pre>{@code
 * ParseResult r = new StoryboardParser().parse(bytes);
 * for (Storyboard s : r.storyboards()) { ... }
 * for (Rejection x : r.rejections()) System.err.println(x.summary());
 * }</pre>
 */
public final class StoryboardParser {

  /** The input schema versions this class reads. */
  public static final int SCHEMA_VERSION = 1;

  private static final Set<String> TOP_LEVEL_FIELDS =
      orderedSet(
          "schemaVersion",
          "format",
          "videoId",
          "title",
          "seed",
          "settings",
          "negativeText",
          "segments",
          "text",
          "sentences",
          "segmentCount");
  private static final Set<String> SETTINGS_FIELDS = orderedSet("denoisingSteps", "guidanceScale");
  private static final Set<String> SEGMENT_FIELDS =
      orderedSet("index", "text", "negativeText", "sceneStart");
  private static final Set<String> REFERENCE_FIELDS =
      orderedSet("text", "requires_scene_transition", "neg_text");
  private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\R[ \\t\\x0B\\f]*\\R\\s*");

  private final StoryboardOptions options;
  private final StoryboardExpander expander;
  private final JsonFactory jsonFactory;
  private final ObjectMapper mapper;

  /** Default options and the {@link HeuristicExpander}. */
  public StoryboardParser() {
    this(StoryboardOptions.defaults(), new HeuristicExpander());
  }

  public StoryboardParser(StoryboardOptions options, StoryboardExpander expander) {
    if (options == null || expander == null) {
      throw new IllegalArgumentException("options and expander must be given");
    }
    this.options = options;
    this.expander = expander;
    this.jsonFactory =
        JsonFactory.builder()
            // NaN and Infinity are read so that they can be rejected by field (INVALID_NUMBER)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(options.maxNestingDepth() + 1)
                    .build())
            .build();
    this.mapper = new ObjectMapper(jsonFactory);
  }

  public StoryboardOptions options() {
    return options;
  }

  /** Parses one record value that came from nowhere in particular (a file, a test). */
  public ParseResult parse(byte[] value) {
    return parse(value, null);
  }

  /**
   * Parses one record value. Never throws.
   *
   * @param value the bytes, or {@code null} for a record without a value
   * @param source where it came from (kept in rejections), or {@code null}
   */
  public ParseResult parse(byte[] value, RecordSource source) {
    Payload payload = Payload.of(value, options.maxRejectedPayloadBytes());
    Context ctx = new Context(payload, source);
    List<ParseOutcome> outcomes;
    try {
      try {
        outcomes = parseRecord(value, ctx);
      } catch (Invalid e) {
        outcomes = List.of(ParseOutcome.rejected(ctx.reject(e, "", 0)));
      }
    } catch (RuntimeException | StackOverflowError e) {
      outcomes = List.of(ParseOutcome.rejected(ctx.internalError(e, 0)));
    }
    return new ParseResult(outcomes, payload, source);
  }

  /**
   * Expands a summary storyboard again with another expander (the job's validation does this when
   * an endpoint is configured, so that the Kafka source never waits on the network). Never throws.
   */
  public ParseOutcome reexpand(
      Storyboard storyboard, StoryboardExpander other, Payload payload, RecordSource source) {
    Context ctx = new Context(payload, source);
    try {
      if (storyboard.format() != StoryboardFormat.SUMMARY) {
        return ParseOutcome.ok(storyboard);
      }
      List<Segment> segments =
          expand(
              other,
              storyboard.summary(),
              storyboard.segments().size(),
              storyboard.segments().get(0).negativeText());
      return ParseOutcome.ok(storyboard.withExpansion(segments, other.name()));
    } catch (Invalid e) {
      return ParseOutcome.rejected(ctx.reject(e, storyboard.videoId(), 0));
    } catch (RuntimeException | StackOverflowError e) {
      return ParseOutcome.rejected(ctx.internalError(e, 0));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 1. the record: size, bytes, kind of text

  private List<ParseOutcome> parseRecord(byte[] value, Context ctx) {
    if (value == null) {
      throw new Invalid(
          RejectionCode.EMPTY_PAYLOAD,
          Rejection.ROOT,
          "the record has no value (a tombstone); publish a storyboard as JSON or annotation text");
    }
    if (value.length > options.maxPayloadBytes()) {
      throw new Invalid(
          RejectionCode.PAYLOAD_TOO_LARGE,
          Rejection.ROOT,
          "the record has "
              + value.length
              + " bytes; at most "
              + options.maxPayloadBytes()
              + " are accepted (storyboard.max-payload-bytes)");
    }
    String text = decodeUtf8(value);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw new Invalid(
          RejectionCode.EMPTY_PAYLOAD,
          Rejection.ROOT,
          "the record is empty or only white space; publish a storyboard as JSON or annotation"
              + " text");
    }
    char first = trimmed.charAt(0);
    if (first == '<' && AnnotationText.hasMarkers(trimmed)) {
      return List.of(ParseOutcome.ok(fromAnnotationPayload(text, ctx)));
    }
    if (first != '{' && first != '[') {
      throw new Invalid(
          RejectionCode.MALFORMED_JSON,
          Rejection.ROOT,
          "expected a JSON object ({\"format\": ...}), the reference format's JSON array, or"
              + " annotation text beginning with <scene start>; the record begins with "
              + describe(trimmed.codePointAt(0)));
    }
    JsonNode root = readJson(text);
    if (root.isObject()) {
      return List.of(ParseOutcome.ok(fromObject((ObjectNode) root, ctx)));
    }
    return fromReferenceArray((ArrayNode) root, ctx);
  }

  private static String decodeUtf8(byte[] value) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(value);
    CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE, value.length + 1L));
    CoderResult r = decoder.decode(in, out, true);
    if (!r.isError()) {
      r = decoder.flush(out);
    }
    if (r.isError()) {
      throw new Invalid(
          RejectionCode.INVALID_UTF8,
          Rejection.ROOT,
          "the record is not valid UTF-8: "
              + (r.isMalformed() ? "malformed" : "unmappable")
              + " byte sequence at byte offset "
              + in.position()
              + "; storyboards are UTF-8 text");
    }
    out.flip();
    return out.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // 2. JSON syntax, nesting, duplicates

  private JsonNode readJson(String text) {
    int depth = 0;
    try (JsonParser p = jsonFactory.createParser(text)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          depth++;
          if (depth > options.maxNestingDepth()) {
            throw tooDeep(p);
          }
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          depth--;
        }
        if (depth == 0) {
          JsonToken after = p.nextToken();
          if (after != null) {
            throw new Invalid(
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
        throw new Invalid(
            RejectionCode.MALFORMED_JSON,
            Rejection.ROOT,
            "the JSON ends before all arrays and objects are closed (truncated?)");
      }
    } catch (StreamConstraintsException e) {
      String m = String.valueOf(e.getOriginalMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("nesting")) {
        throw new Invalid(
            RejectionCode.NESTING_TOO_DEEP,
            Rejection.ROOT,
            "arrays and objects are nested more than "
                + options.maxNestingDepth()
                + " levels deep (storyboard.max-nesting-depth)");
      }
      if (m.contains("number")) {
        throw new Invalid(
            RejectionCode.INVALID_NUMBER,
            Rejection.ROOT,
            "a number at " + where(e) + " has too many digits");
      }
      throw new Invalid(RejectionCode.MALFORMED_JSON, Rejection.ROOT, e.getOriginalMessage());
    } catch (JsonParseException e) {
      String m = String.valueOf(e.getOriginalMessage());
      if (m.startsWith("Duplicate field")) {
        String name = m.replaceFirst("^Duplicate field '(.*)'$", "$1");
        String parent = path(e.getProcessor() == null ? null : contextOf(e));
        throw new Invalid(
            RejectionCode.DUPLICATE_FIELD,
            join(parent, name),
            "field \"" + name + "\" is given twice; each field may appear once");
      }
      throw new Invalid(
          RejectionCode.MALFORMED_JSON,
          Rejection.ROOT,
          "not valid JSON at " + where(e) + ": " + firstLine(m));
    } catch (IOException e) {
      throw new Invalid(
          RejectionCode.MALFORMED_JSON, Rejection.ROOT, "not valid JSON: " + e.getMessage());
    }
    try {
      return mapper.readTree(text);
    } catch (JsonProcessingException e) {
      // the streaming pass above accepted the same text; this is not expected
      throw new IllegalStateException("JSON accepted by the first pass but not the second", e);
    }
  }

  private Invalid tooDeep(JsonParser p) {
    return new Invalid(
        RejectionCode.NESTING_TOO_DEEP,
        Rejection.ROOT,
        "arrays and objects are nested more than "
            + options.maxNestingDepth()
            + " levels deep (storyboard.max-nesting-depth) at "
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
        parts.add(0, join("x", parent.getCurrentName()).substring(1));
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

  // ---------------------------------------------------------------------------------------------
  // 3. our JSON object

  private Storyboard fromObject(ObjectNode root, Context ctx) {
    JsonNode version = present(root, "schemaVersion");
    if (version != null) {
      if (!version.isIntegralNumber()) {
        throw wrongType("schemaVersion", "an integer", version);
      }
      if (!version.canConvertToInt() || version.intValue() != SCHEMA_VERSION) {
        throw new Invalid(
            RejectionCode.UNSUPPORTED_SCHEMA_VERSION,
            "schemaVersion",
            "schemaVersion "
                + version.asText()
                + " is not supported; this version reads schemaVersion "
                + SCHEMA_VERSION
                + " (or none, which means "
                + SCHEMA_VERSION
                + ")");
      }
    }
    rejectUnknownFields(root, "", TOP_LEVEL_FIELDS);

    JsonNode formatNode = present(root, "format");
    if (formatNode == null) {
      throw new Invalid(
          RejectionCode.MISSING_FIELD,
          "format",
          "format is required: \"storyboard\" (Format 3), \"plot\" (Format 2) or \"summary\""
              + " (Format 1)");
    }
    if (!formatNode.isTextual()) {
      throw wrongType("format", "a string", formatNode);
    }
    StoryboardFormat format =
        StoryboardFormat.fromWireName(formatNode.textValue())
            .orElseThrow(
                () ->
                    new Invalid(
                        RejectionCode.UNKNOWN_FORMAT,
                        "format",
                        "format \""
                            + clip(formatNode.textValue())
                            + "\" is unknown; use \"storyboard\" (Format 3), \"plot\" (Format 2)"
                            + " or \"summary\" (Format 1)"));
    Set<String> contentFields =
        switch (format) {
          case STORYBOARD -> Set.of("segments", "text");
          case PLOT -> Set.of("text", "sentences");
          case SUMMARY -> Set.of("text", "segmentCount");
        };
    for (String f : List.of("segments", "text", "sentences", "segmentCount")) {
      if (root.has(f) && !contentFields.contains(f)) {
        throw new Invalid(
            RejectionCode.UNKNOWN_FIELD,
            f,
            "field \""
                + f
                + "\" does not belong to format \""
                + format.wireName()
                + "\", which takes "
                + new java.util.TreeSet<>(contentFields));
      }
    }

    String videoId = null;
    JsonNode idNode = present(root, "videoId");
    if (idNode != null) {
      if (!idNode.isTextual()) {
        throw wrongType("videoId", "a string", idNode);
      }
      videoId = idNode.textValue();
      if (!VideoIds.isValid(videoId)) {
        throw new Invalid(
            RejectionCode.INVALID_VIDEO_ID,
            "videoId",
            "videoId \""
                + clip(videoId)
                + "\" is not allowed: it must match "
                + VideoIds.PATTERN.pattern()
                + " (a letter or digit, then at most 127 letters, digits, '.', '_' or '-'), or be"
                + " left out to have one derived");
      }
      ctx.videoId = videoId;
    }
    String title = "";
    JsonNode titleNode = present(root, "title");
    if (titleNode != null) {
      title =
          text(
              titleNode,
              "title",
              "",
              options.maxTitleChars(),
              RejectionCode.TEXT_TOO_LONG,
              "storyboard.max-title-chars",
              true);
    }
    long seed = seed(present(root, "seed"));
    GenerationSettings settings = settings(present(root, "settings"));
    String negative = options.defaultNegativeText();
    JsonNode negNode = present(root, "negativeText");
    if (negNode != null) {
      negative =
          text(
              negNode,
              "negativeText",
              "",
              options.maxSegmentChars(),
              RejectionCode.TEXT_TOO_LONG,
              "storyboard.max-segment-chars",
              true);
    }

    return switch (format) {
      case STORYBOARD -> storyboardContent(root, videoId, title, seed, settings, negative);
      case PLOT -> plotContent(root, videoId, title, seed, settings, negative);
      case SUMMARY -> summaryContent(root, videoId, title, seed, settings, negative);
    };
  }

  private Storyboard storyboardContent(
      ObjectNode root,
      String videoId,
      String title,
      long seed,
      GenerationSettings settings,
      String negative) {
    JsonNode segmentsNode = present(root, "segments");
    JsonNode textNode = present(root, "text");
    if (segmentsNode != null && textNode != null) {
      throw new Invalid(
          RejectionCode.CONFLICTING_FIELDS,
          "text",
          "give either segments (a JSON list) or text (annotation text with <scene start> ..."
              + " <scene end>), not both");
    }
    if (textNode != null) {
      List<Segment> segments = annotationSegments(textNode, "text", negative);
      return build(
          videoId,
          title,
          StoryboardFormat.STORYBOARD,
          InputForm.ANNOTATION_TEXT,
          seed,
          settings,
          segments,
          "");
    }
    if (segmentsNode == null) {
      throw new Invalid(
          RejectionCode.MISSING_FIELD,
          "segments",
          "format \"storyboard\" needs segments (a list of {\"text\": ...}, one per 3-second"
              + " segment) or text (annotation text)");
    }
    if (!segmentsNode.isArray()) {
      throw wrongType("segments", "a list of segment objects", segmentsNode);
    }
    checkCount(segmentsNode.size(), "segments", "segments");
    int n = segmentsNode.size();
    Segment[] byIndex = new Segment[n];
    int[] firstPosition = new int[n];
    Boolean indexed = null;
    for (int i = 0; i < n; i++) {
      String at = "segments[" + i + "]";
      JsonNode seg = segmentsNode.get(i);
      if (!seg.isObject()) {
        throw wrongType(at, "a segment object {\"text\": ...}", seg);
      }
      rejectUnknownFields(seg, at, SEGMENT_FIELDS);
      JsonNode indexNode = present(seg, "index");
      if (indexed == null) {
        indexed = indexNode != null;
      } else if (indexed != (indexNode != null)) {
        throw new Invalid(
            RejectionCode.INVALID_SEGMENT_INDEX,
            at + ".index",
            "either every segment gives an index or none does; segment "
                + i
                + (indexed ? " gives none" : " gives one and the first does not"));
      }
      int index = i;
      if (indexNode != null) {
        if (!indexNode.isIntegralNumber()) {
          throw wrongType(at + ".index", "an integer", indexNode);
        }
        if (!indexNode.canConvertToInt() || indexNode.intValue() < 0 || indexNode.intValue() >= n) {
          throw new Invalid(
              RejectionCode.INVALID_SEGMENT_INDEX,
              at + ".index",
              "index "
                  + indexNode.asText()
                  + " is outside 0.."
                  + (n - 1)
                  + "; indexes count the segments from 0");
        }
        index = indexNode.intValue();
        if (byIndex[index] != null) {
          throw new Invalid(
              RejectionCode.DUPLICATE_SEGMENT_INDEX,
              at + ".index",
              "index "
                  + index
                  + " is already taken by segments["
                  + firstPosition[index]
                  + "]; each index appears once");
        }
      }
      JsonNode textOf = present(seg, "text");
      if (textOf == null) {
        throw new Invalid(
            RejectionCode.MISSING_FIELD,
            at + ".text",
            "every segment needs text: the prompt for its 3 seconds");
      }
      String text =
          text(
              textOf,
              at + ".text",
              "",
              options.maxSegmentChars(),
              RejectionCode.SEGMENT_TOO_LONG,
              "storyboard.max-segment-chars",
              false);
      String neg = negative;
      JsonNode negOf = present(seg, "negativeText");
      if (negOf != null) {
        neg =
            text(
                negOf,
                at + ".negativeText",
                "",
                options.maxSegmentChars(),
                RejectionCode.SEGMENT_TOO_LONG,
                "storyboard.max-segment-chars",
                true);
      }
      boolean sceneStart = false;
      JsonNode sceneOf = present(seg, "sceneStart");
      if (sceneOf != null) {
        if (!sceneOf.isBoolean()) {
          throw wrongType(at + ".sceneStart", "true or false", sceneOf);
        }
        sceneStart = sceneOf.booleanValue();
      }
      byIndex[index] = new Segment(index, text, neg, sceneStart || index == 0);
      firstPosition[index] = i;
    }
    return build(
        videoId,
        title,
        StoryboardFormat.STORYBOARD,
        InputForm.JSON,
        seed,
        settings,
        List.of(byIndex),
        "");
  }

  private Storyboard plotContent(
      ObjectNode root,
      String videoId,
      String title,
      long seed,
      GenerationSettings settings,
      String negative) {
    JsonNode textNode = present(root, "text");
    JsonNode sentencesNode = present(root, "sentences");
    if (textNode != null && sentencesNode != null) {
      throw new Invalid(
          RejectionCode.CONFLICTING_FIELDS,
          "sentences",
          "give either text (the plot as prose) or sentences (a list, one per segment), not both");
    }
    List<Segment> segments = new ArrayList<>();
    if (textNode != null) {
      String raw =
          rawText(textNode, "text", "", options.maxTextChars(), "storyboard.max-text-chars");
      // a blank line in the plot starts a new scene
      for (String paragraph : PARAGRAPH_BREAK.split(raw.strip())) {
        boolean first = true;
        for (String sentence : SentenceSplitter.split(paragraph)) {
          segments.add(new Segment(segments.size(), sentence, negative, first));
          first = false;
        }
      }
      checkCount(segments.size(), "text", "sentences in the plot");
      for (Segment s : segments) {
        if (TextRules.length(s.text()) > options.maxSegmentChars()) {
          throw new Invalid(
              RejectionCode.SEGMENT_TOO_LONG,
              "text",
              "sentence "
                  + (s.index() + 1)
                  + " of the plot has "
                  + TextRules.length(s.text())
                  + " characters; one segment's text may have at most "
                  + options.maxSegmentChars()
                  + " (storyboard.max-segment-chars)");
        }
      }
    } else if (sentencesNode != null) {
      if (!sentencesNode.isArray()) {
        throw wrongType("sentences", "a list of strings", sentencesNode);
      }
      checkCount(sentencesNode.size(), "sentences", "sentences");
      for (int i = 0; i < sentencesNode.size(); i++) {
        String s =
            text(
                sentencesNode.get(i),
                "sentences[" + i + "]",
                "",
                options.maxSegmentChars(),
                RejectionCode.SEGMENT_TOO_LONG,
                "storyboard.max-segment-chars",
                false);
        segments.add(new Segment(i, s, negative, i == 0));
      }
    } else {
      throw new Invalid(
          RejectionCode.MISSING_FIELD,
          "text",
          "format \"plot\" needs text (about one sentence per 3-second segment) or sentences (a"
              + " list of strings)");
    }
    return build(
        videoId, title, StoryboardFormat.PLOT, InputForm.JSON, seed, settings, segments, "");
  }

  private Storyboard summaryContent(
      ObjectNode root,
      String videoId,
      String title,
      long seed,
      GenerationSettings settings,
      String negative) {
    JsonNode textNode = present(root, "text");
    if (textNode == null) {
      throw new Invalid(
          RejectionCode.MISSING_FIELD,
          "text",
          "format \"summary\" needs text: 5-8 sentences describing the whole video");
    }
    String summary =
        text(
            textNode,
            "text",
            "",
            options.maxTextChars(),
            RejectionCode.TEXT_TOO_LONG,
            "storyboard.max-text-chars",
            false);
    int count = options.summarySegments();
    JsonNode countNode = present(root, "segmentCount");
    if (countNode != null) {
      if (!countNode.isIntegralNumber()) {
        throw wrongType("segmentCount", "an integer", countNode);
      }
      if (countNode.canConvertToInt()) {
        count = countNode.intValue();
      } else {
        count = countNode.bigIntegerValue().signum() < 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
      }
      checkCount(count, "segmentCount", "segments");
    }
    List<Segment> segments = expand(expander, summary, count, negative);
    return build(
        videoId,
        title,
        StoryboardFormat.SUMMARY,
        InputForm.JSON,
        seed,
        settings,
        segments,
        summary,
        expander.name());
  }

  private List<Segment> expand(
      StoryboardExpander with, String summary, int count, String negative) {
    List<String> sentences = SentenceSplitter.split(summary);
    StoryboardExpander.Result r =
        with.expand(new StoryboardExpander.Request(summary, sentences, count, negative));
    if (r == null || !r.isOk()) {
      throw new Invalid(
          RejectionCode.EXPANDER_FAILED,
          "text",
          "the summary could not be expanded to "
              + count
              + " segments by the "
              + with.name()
              + " expander: "
              + (r == null ? "no result" : r.failure()));
    }
    if (r.segments().size() != count) {
      throw expanderNonsense(
          with, "it returned " + r.segments().size() + " segments, not " + count);
    }
    List<Segment> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Segment s = r.segments().get(i);
      String problem = segmentProblem(s.text(), false);
      if (problem == null) {
        problem = segmentProblem(s.negativeText(), true);
      }
      if (problem != null) {
        throw expanderNonsense(with, "segment " + i + " " + problem);
      }
      out.add(
          new Segment(
              i,
              TextRules.normalise(s.text()),
              TextRules.normalise(s.negativeText()),
              s.sceneStart() || i == 0));
    }
    return out;
  }

  private String segmentProblem(String raw, boolean allowEmpty) {
    if (TextRules.firstControlCharacter(raw) >= 0 || TextRules.firstUnpairedSurrogate(raw) >= 0) {
      return "holds control characters or invalid Unicode";
    }
    String t = TextRules.normalise(raw);
    if (!allowEmpty && t.isEmpty()) {
      return "is empty";
    }
    if (TextRules.length(t) > options.maxSegmentChars()) {
      return "has " + TextRules.length(t) + " characters, more than " + options.maxSegmentChars();
    }
    return null;
  }

  private static Invalid expanderNonsense(StoryboardExpander with, String what) {
    return new Invalid(
        RejectionCode.EXPANDER_FAILED,
        "text",
        "the " + with.name() + " expander answered something unusable: " + what);
  }

  // ---------------------------------------------------------------------------------------------
  // 4. annotation text

  private Storyboard fromAnnotationPayload(String text, Context ctx) {
    List<Segment> segments =
        annotationSegments(text, Rejection.ROOT, options.defaultNegativeText());
    return build(
        null,
        "",
        StoryboardFormat.STORYBOARD,
        InputForm.ANNOTATION_TEXT,
        options.defaultSeed(),
        options.defaultSettings(),
        segments,
        "");
  }

  private List<Segment> annotationSegments(JsonNode node, String field, String negative) {
    if (!node.isTextual()) {
      throw wrongType(field, "a string", node);
    }
    // no overall limit: each segment is held to storyboard.max-segment-chars, and the record to
    // storyboard.max-payload-bytes
    String raw = rawText(node, field, "", Long.MAX_VALUE, "");
    return annotationSegments(raw, field, negative);
  }

  private List<Segment> annotationSegments(String raw, String field, String negative) {
    checkCharacters(raw, field, "");
    List<AnnotationText.RawSegment> raws = AnnotationText.parse(raw, field);
    checkCount(raws.size(), field, "segments in the annotation text");
    List<Segment> out = new ArrayList<>(raws.size());
    for (AnnotationText.RawSegment r : raws) {
      String label = "segment " + out.size() + " (line " + r.line() + "): ";
      String t = TextRules.normalise(r.text());
      if (TextRules.length(t) > options.maxSegmentChars()) {
        throw new Invalid(
            RejectionCode.SEGMENT_TOO_LONG,
            field,
            label
                + "has "
                + TextRules.length(t)
                + " characters; at most "
                + options.maxSegmentChars()
                + " are allowed (storyboard.max-segment-chars)");
      }
      out.add(new Segment(out.size(), t, negative, r.sceneStart() || out.isEmpty()));
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // 5. the reference implementation's array

  private List<ParseOutcome> fromReferenceArray(ArrayNode root, Context ctx) {
    if (root.isEmpty()) {
      throw new Invalid(
          RejectionCode.TOO_FEW_SEGMENTS,
          Rejection.ROOT,
          "the array is empty; the reference format is a list of videos, each a list of"
              + " {\"text\", \"requires_scene_transition\", \"neg_text\"} segments");
    }
    JsonNode first = root.get(0);
    if (first.isObject()) {
      // one video's array on its own
      try {
        return List.of(ParseOutcome.ok(referenceVideo(root, "")));
      } catch (Invalid e) {
        return List.of(ParseOutcome.rejected(ctx.reject(e, "", 0)));
      }
    }
    if (!first.isArray()) {
      throw wrongType("[0]", "a video (a list of segment objects) or a segment object", first);
    }
    if (root.size() > options.maxVideosPerRecord()) {
      throw new Invalid(
          RejectionCode.TOO_MANY_VIDEOS,
          Rejection.ROOT,
          "the record holds "
              + root.size()
              + " videos; at most "
              + options.maxVideosPerRecord()
              + " are accepted in one record (storyboard.max-videos-per-record)");
    }
    List<ParseOutcome> outcomes = new ArrayList<>(root.size());
    for (int v = 0; v < root.size(); v++) {
      try {
        JsonNode video = root.get(v);
        if (!video.isArray()) {
          throw wrongType("[" + v + "]", "a video (a list of segment objects)", video);
        }
        outcomes.add(ParseOutcome.ok(referenceVideo((ArrayNode) video, "[" + v + "]")));
      } catch (Invalid e) {
        outcomes.add(ParseOutcome.rejected(ctx.reject(e, "", v)));
      } catch (RuntimeException | StackOverflowError e) {
        outcomes.add(ParseOutcome.rejected(ctx.internalError(e, v)));
      }
    }
    return outcomes;
  }

  private Storyboard referenceVideo(ArrayNode video, String prefix) {
    String countField = prefix.isEmpty() ? Rejection.ROOT : prefix;
    checkCount(video.size(), countField, "segments in the video");
    List<Segment> segments = new ArrayList<>(video.size());
    for (int i = 0; i < video.size(); i++) {
      String at = prefix + "[" + i + "]";
      JsonNode seg = video.get(i);
      if (!seg.isObject()) {
        throw wrongType(
            at, "a segment object {\"text\", \"requires_scene_transition\", \"neg_text\"}", seg);
      }
      rejectUnknownFields(seg, at, REFERENCE_FIELDS);
      JsonNode textNode = present(seg, "text");
      if (textNode == null) {
        throw new Invalid(
            RejectionCode.MISSING_FIELD,
            at + ".text",
            "every segment needs text: the prompt for its 3 seconds");
      }
      String text =
          text(
              textNode,
              at + ".text",
              "",
              options.maxSegmentChars(),
              RejectionCode.SEGMENT_TOO_LONG,
              "storyboard.max-segment-chars",
              false);
      String neg = options.defaultNegativeText();
      JsonNode negNode = present(seg, "neg_text");
      if (negNode != null) {
        neg =
            text(
                negNode,
                at + ".neg_text",
                "",
                options.maxSegmentChars(),
                RejectionCode.SEGMENT_TOO_LONG,
                "storyboard.max-segment-chars",
                true);
      }
      boolean transition = false;
      JsonNode tNode = present(seg, "requires_scene_transition");
      if (tNode != null) {
        if (!tNode.isBoolean()) {
          throw wrongType(at + ".requires_scene_transition", "true or false", tNode);
        }
        transition = tNode.booleanValue();
      }
      // requires_scene_transition: a cut from the previous segment; the first always starts one
      segments.add(new Segment(i, text, neg, transition || i == 0));
    }
    return build(
        null,
        "",
        StoryboardFormat.STORYBOARD,
        InputForm.REFERENCE_ARRAY,
        options.defaultSeed(),
        options.defaultSettings(),
        segments,
        "");
  }

  // ---------------------------------------------------------------------------------------------
  // 6. shared field checks

  private Storyboard build(
      String videoId,
      String title,
      StoryboardFormat format,
      InputForm form,
      long seed,
      GenerationSettings settings,
      List<Segment> segments,
      String summary) {
    return build(videoId, title, format, form, seed, settings, segments, summary, "");
  }

  private Storyboard build(
      String videoId,
      String title,
      StoryboardFormat format,
      InputForm form,
      long seed,
      GenerationSettings settings,
      List<Segment> segments,
      String summary,
      String expandedBy) {
    String id =
        videoId != null
            ? videoId
            : VideoIds.derive(canonicalForm(format, seed, settings, segments, summary));
    return new Storyboard(id, title, format, form, seed, settings, segments, summary, expandedBy);
  }

  /**
   * What a derived video id hashes: everything that decides the video (texts as normalised, scene
   * starts, settings, seed) and nothing that does not (title, JSON layout, input form). A summary
   * hashes the summary and its segment count rather than the expansion, so the id does not depend
   * on which expander ran.
   */
  String canonicalForm(
      StoryboardFormat format,
      long seed,
      GenerationSettings settings,
      List<Segment> segments,
      String summary) {
    ObjectNode n = mapper.createObjectNode();
    n.put("v", SCHEMA_VERSION);
    n.put("format", format.wireName());
    n.put("seed", seed);
    n.put("denoisingSteps", settings.denoisingSteps());
    n.put("guidanceScale", settings.guidanceScale());
    if (format == StoryboardFormat.SUMMARY) {
      n.put("summary", summary);
      n.put("segmentCount", segments.size());
      n.put("negativeText", segments.get(0).negativeText());
    } else {
      ArrayNode a = n.putArray("segments");
      for (Segment s : segments) {
        a.addArray().add(s.text()).add(s.negativeText()).add(s.sceneStart());
      }
    }
    return n.toString();
  }

  private void checkCount(int n, String field, String what) {
    String at = field.equals(Rejection.ROOT) ? "" : field + ": ";
    if (n < options.minSegments()) {
      throw new Invalid(
          RejectionCode.TOO_FEW_SEGMENTS,
          field,
          at
              + (n <= 0 ? "no " + what : "only " + n + " " + what)
              + "; a video needs at least "
              + options.minSegments()
              + " segment(s) of 3 seconds (storyboard.min-segments)");
    }
    if (n > options.maxSegments()) {
      throw new Invalid(
          RejectionCode.TOO_MANY_SEGMENTS,
          field,
          at
              + (n == Integer.MAX_VALUE ? "too many" : String.valueOf(n))
              + " "
              + what
              + "; a video has at most "
              + options.maxSegments()
              + " segments of 3 seconds (storyboard.max-segments)");
    }
  }

  private long seed(JsonNode node) {
    if (node == null) {
      return options.defaultSeed();
    }
    if (!node.isIntegralNumber()) {
      throw wrongType("seed", "an integer", node);
    }
    BigInteger v = node.bigIntegerValue();
    if (v.compareTo(BigInteger.valueOf(options.minSeed())) < 0
        || v.compareTo(BigInteger.valueOf(options.maxSeed())) > 0) {
      throw new Invalid(
          RejectionCode.SEED_OUT_OF_RANGE,
          "seed",
          "seed "
              + clip(v.toString())
              + " is outside "
              + options.minSeed()
              + ".."
              + options.maxSeed()
              + " (storyboard.min-seed, storyboard.max-seed)");
    }
    return v.longValueExact();
  }

  private GenerationSettings settings(JsonNode node) {
    if (node == null) {
      return options.defaultSettings();
    }
    if (!node.isObject()) {
      throw wrongType(
          "settings", "an object {\"denoisingSteps\": ..., \"guidanceScale\": ...}", node);
    }
    rejectUnknownFields(node, "settings", SETTINGS_FIELDS);
    int steps = options.defaultDenoisingSteps();
    JsonNode stepsNode = present(node, "denoisingSteps");
    if (stepsNode != null) {
      if (!stepsNode.isIntegralNumber()) {
        throw wrongType("settings.denoisingSteps", "an integer", stepsNode);
      }
      BigInteger v = stepsNode.bigIntegerValue();
      if (v.compareTo(BigInteger.valueOf(options.minDenoisingSteps())) < 0
          || v.compareTo(BigInteger.valueOf(options.maxDenoisingSteps())) > 0) {
        throw new Invalid(
            RejectionCode.SETTING_OUT_OF_RANGE,
            "settings.denoisingSteps",
            "denoisingSteps "
                + clip(v.toString())
                + " is outside "
                + options.minDenoisingSteps()
                + ".."
                + options.maxDenoisingSteps()
                + " (storyboard.min-denoising-steps, storyboard.max-denoising-steps)");
      }
      steps = v.intValueExact();
    }
    double guidance = options.defaultGuidanceScale();
    JsonNode gNode = present(node, "guidanceScale");
    if (gNode != null) {
      if (!gNode.isNumber()) {
        throw wrongType("settings.guidanceScale", "a number", gNode);
      }
      guidance = gNode.doubleValue();
      if (!Double.isFinite(guidance)) {
        throw new Invalid(
            RejectionCode.INVALID_NUMBER,
            "settings.guidanceScale",
            "guidanceScale is "
                + gNode.asText()
                + "; it must be a finite number in "
                + options.minGuidanceScale()
                + ".."
                + options.maxGuidanceScale());
      }
      if (guidance < options.minGuidanceScale() || guidance > options.maxGuidanceScale()) {
        throw new Invalid(
            RejectionCode.SETTING_OUT_OF_RANGE,
            "settings.guidanceScale",
            "guidanceScale "
                + gNode.asText()
                + " is outside "
                + options.minGuidanceScale()
                + ".."
                + options.maxGuidanceScale()
                + " (storyboard.min-guidance-scale, storyboard.max-guidance-scale)");
      }
    }
    return new GenerationSettings(steps, guidance);
  }

  /**
   * A text field, checked (type, control characters, unpaired surrogates, empty, length) and
   * normalised.
   */
  private String text(
      JsonNode node,
      String field,
      String label,
      int maxChars,
      RejectionCode tooLong,
      String limitName,
      boolean allowEmpty) {
    if (!node.isTextual()) {
      throw wrongType(field, "a string", node);
    }
    String raw = node.textValue();
    checkCharacters(raw, field, label);
    String t = TextRules.normalise(raw);
    if (t.isEmpty() && !allowEmpty) {
      throw new Invalid(
          RejectionCode.EMPTY_TEXT,
          field,
          label + field + " is empty or only white space; it must hold the text to generate from");
    }
    int len = TextRules.length(t);
    if (len > maxChars) {
      throw new Invalid(
          tooLong,
          field,
          label
              + field
              + " has "
              + len
              + " characters; at most "
              + maxChars
              + " are allowed ("
              + limitName
              + ")");
    }
    return t;
  }

  /** A text field's raw string, checked like {@link #text} but not normalised. */
  private String rawText(JsonNode node, String field, String label, long maxChars, String limit) {
    if (!node.isTextual()) {
      throw wrongType(field, "a string", node);
    }
    String raw = node.textValue();
    checkCharacters(raw, field, label);
    if (raw.isBlank()) {
      throw new Invalid(
          RejectionCode.EMPTY_TEXT,
          field,
          label + field + " is empty or only white space; it must hold the text to generate from");
    }
    int len = TextRules.length(TextRules.normalise(raw));
    if (len > maxChars) {
      throw new Invalid(
          RejectionCode.TEXT_TOO_LONG,
          field,
          label
              + field
              + " has "
              + len
              + " characters; at most "
              + maxChars
              + " are allowed ("
              + limit
              + ")");
    }
    return raw;
  }

  private static void checkCharacters(String raw, String field, String label) {
    int c = TextRules.firstControlCharacter(raw);
    if (c >= 0) {
      throw new Invalid(
          RejectionCode.CONTROL_CHARACTERS,
          field,
          label
              + field
              + " holds the control character "
              + describe(raw.charAt(c))
              + " at position "
              + c
              + "; only tab, line feed and carriage return are allowed");
    }
    int s = TextRules.firstUnpairedSurrogate(raw);
    if (s >= 0) {
      throw new Invalid(
          RejectionCode.INVALID_UNICODE,
          field,
          label
              + field
              + " holds an unpaired surrogate "
              + describe(raw.charAt(s))
              + " at position "
              + s
              + "; text must be valid Unicode");
    }
  }

  private static void rejectUnknownFields(JsonNode node, String at, Set<String> allowed) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new Invalid(
            RejectionCode.UNKNOWN_FIELD,
            join(at, name),
            "field \"" + clip(name) + "\" is unknown here; the allowed fields are " + allowed);
      }
    }
  }

  /** The field, or {@code null} when absent or JSON {@code null}. */
  private static JsonNode present(JsonNode node, String name) {
    JsonNode v = node.get(name);
    return v == null || v.isNull() ? null : v;
  }

  private static Invalid wrongType(String field, String expected, JsonNode actual) {
    if (actual.isNumber()
        && actual.isFloatingPointNumber()
        && !Double.isFinite(actual.doubleValue())) {
      return new Invalid(
          RejectionCode.INVALID_NUMBER,
          field,
          field + " is " + actual.asText() + "; it must be " + expected);
    }
    return new Invalid(
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

  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * A field path: {@code parent.name}, or {@code parent["odd name"]} for a name that is empty or
   * holds anything but letters, digits and underscores (so every path is non-empty and
   * unambiguous).
   */
  private static String join(String parent, String name) {
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

  private static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  private static String describe(int codePoint) {
    return String.format(Locale.ROOT, "U+%04X", codePoint);
  }

  private static Set<String> orderedSet(String... names) {
    return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
  }

  // ---------------------------------------------------------------------------------------------

  /** A problem found while parsing; becomes a {@link Rejection}. Carries no stack trace. */
  static final class Invalid extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final RejectionCode code;
    final String field;

    Invalid(RejectionCode code, String field, String message) {
      super(
          message == null || message.isBlank() ? code.description() : message, null, false, false);
      this.code = code;
      this.field = field == null || field.isEmpty() ? Rejection.ROOT : field;
    }
  }

  /** Per-record state used to build rejections. */
  private static final class Context {
    final Payload payload;
    final RecordSource source;
    String videoId = "";

    Context(Payload payload, RecordSource source) {
      this.payload = payload;
      this.source = source;
    }

    Rejection reject(Invalid e, String knownId, int videoIndex) {
      String id = knownId.isEmpty() ? videoId : knownId;
      return new Rejection(e.code, e.field, e.getMessage(), id, videoIndex, payload, source);
    }

    Rejection internalError(Throwable e, int videoIndex) {
      return new Rejection(
          RejectionCode.INTERNAL_ERROR,
          Rejection.ROOT,
          "validation failed unexpectedly ("
              + e.getClass().getName()
              + ": "
              + e.getMessage()
              + "); the record is kept here, please report it",
          videoId,
          videoIndex,
          payload,
          source);
    }
  }
}
