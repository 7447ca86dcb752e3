package org.tttvideo.storyboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.tttvideo.storyboard.StoryboardOptions.Keys;

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
 * <p>This class only routes a record: {@link StrictJson} reads the JSON, {@link JsonObjectReader}
 * our object (with {@link StoryboardFormatReader}, {@link PlotFormatReader} and {@link
 * SummaryFormatReader} for the three formats), {@link ReferenceArrayReader} the reference array and
 * {@link AnnotationReader} annotation text; {@link FieldReader} holds the checks they share.
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

  private final StoryboardOptions options;
  private final StrictJson json;
  private final AnnotationReader annotations;
  private final JsonObjectReader objects;
  private final SummaryFormatReader summaries;
  private final ReferenceArrayReader referenceArrays;

  /** Default options and the {@link HeuristicExpander}. */
  public StoryboardParser() {
    this(StoryboardOptions.defaults(), new HeuristicExpander());
  }

  public StoryboardParser(StoryboardOptions options, StoryboardExpander expander) {
    if (options == null || expander == null) {
      throw new IllegalArgumentException("options and expander must be given");
    }
    this.options = options;
    this.json = new StrictJson(options);
    FieldReader fields = new FieldReader(options);
    this.annotations = new AnnotationReader(fields);
    this.summaries = new SummaryFormatReader(fields, expander);
    this.objects =
        new JsonObjectReader(
            fields,
            new StoryboardFormatReader(fields, annotations),
            new PlotFormatReader(fields),
            summaries);
    this.referenceArrays = new ReferenceArrayReader(fields);
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
    RejectionContext ctx = new RejectionContext(payload, source);
    List<ParseOutcome> outcomes;
    try {
      try {
        outcomes = parseRecord(value, ctx);
      } catch (InvalidInput e) {
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
    RejectionContext ctx = new RejectionContext(payload, source);
    try {
      if (storyboard.format() != StoryboardFormat.SUMMARY) {
        return ParseOutcome.ok(storyboard);
      }
      List<Segment> segments =
          summaries.expand(
              other,
              storyboard.summary(),
              storyboard.segments().size(),
              storyboard.segments().get(0).negativeText());
      return ParseOutcome.ok(storyboard.withExpansion(segments, other.name()));
    } catch (InvalidInput e) {
      return ParseOutcome.rejected(ctx.reject(e, storyboard.videoId(), 0));
    } catch (RuntimeException | StackOverflowError e) {
      return ParseOutcome.rejected(ctx.internalError(e, 0));
    }
  }

  /** The record's size, its bytes as UTF-8, and which reader its first character calls for. */
  private List<ParseOutcome> parseRecord(byte[] value, RejectionContext ctx) {
    if (value == null) {
      throw new InvalidInput(
          RejectionCode.EMPTY_PAYLOAD,
          Rejection.ROOT,
          "the record has no value (a tombstone); publish a storyboard as JSON or annotation text");
    }
    if (value.length > options.maxPayloadBytes()) {
      throw new InvalidInput(
          RejectionCode.PAYLOAD_TOO_LARGE,
          Rejection.ROOT,
          "the record has "
              + value.length
              + " bytes; at most "
              + options.maxPayloadBytes()
              + " are accepted ("
              + Keys.MAX_PAYLOAD_BYTES
              + ")");
    }
    String text = decodeUtf8(value);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw new InvalidInput(
          RejectionCode.EMPTY_PAYLOAD,
          Rejection.ROOT,
          "the record is empty or only white space; publish a storyboard as JSON or annotation"
              + " text");
    }
    char first = trimmed.charAt(0);
    if (first == '<' && AnnotationText.hasMarkers(trimmed)) {
      return List.of(ParseOutcome.ok(annotations.fromPayload(text)));
    }
    if (first != '{' && first != '[') {
      throw new InvalidInput(
          RejectionCode.MALFORMED_JSON,
          Rejection.ROOT,
          "expected a JSON object ({\"format\": ...}), the reference format's JSON array, or"
              + " annotation text beginning with <scene start>; the record begins with "
              + FieldReader.describe(trimmed.codePointAt(0)));
    }
    JsonNode root = json.read(text);
    if (root.isObject()) {
      return List.of(ParseOutcome.ok(objects.read((ObjectNode) root, ctx)));
    }
    return referenceArrays.read((ArrayNode) root, ctx);
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
      throw new InvalidInput(
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
}
