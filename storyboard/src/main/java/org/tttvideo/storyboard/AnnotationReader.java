package org.tttvideo.storyboard;

import static org.tttvideo.storyboard.FieldReader.wrongType;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.tttvideo.storyboard.StoryboardOptions.Keys;

/**
 * Reads annotation text (Format 3 as plain text: {@code <scene start> ... <scene end>}), either as
 * a whole record or as the {@code text} of a {@code "storyboard"} object. {@link AnnotationText}
 * finds the scenes and segments; this class holds them to the limits and makes the storyboard.
 */
final class AnnotationReader {

  private final FieldReader fields;
  private final StoryboardOptions options;

  AnnotationReader(FieldReader fields) {
    this.fields = fields;
    this.options = fields.options();
  }

  /** A record that is annotation text: the options' defaults for everything but the segments. */
  Storyboard fromPayload(String text) {
    List<Segment> segments = segments(text, Rejection.ROOT, options.defaultNegativeText());
    return StoryboardBuilder.build(
        null,
        "",
        StoryboardFormat.STORYBOARD,
        InputForm.ANNOTATION_TEXT,
        options.defaultSeed(),
        options.defaultSettings(),
        segments,
        "");
  }

  /** The segments of a JSON field that holds annotation text. */
  List<Segment> segments(JsonNode node, String field, String negative) {
    if (!node.isTextual()) {
      throw wrongType(field, "a string", node);
    }
    String raw = fields.rawText(node, field, TextSpec.annotationText());
    return segments(raw, field, negative);
  }

  private List<Segment> segments(String raw, String field, String negative) {
    FieldReader.checkCharacters(raw, field);
    List<AnnotationText.RawSegment> raws = AnnotationText.parse(raw, field);
    fields.checkCount(raws.size(), field, "segments in the annotation text");
    List<Segment> out = new ArrayList<>(raws.size());
    for (AnnotationText.RawSegment r : raws) {
      String label = "segment " + out.size() + " (line " + r.line() + "): ";
      String t = TextRules.normalise(r.text());
      if (TextRules.length(t) > options.maxSegmentChars()) {
        throw new InvalidInput(
            RejectionCode.SEGMENT_TOO_LONG,
            field,
            label
                + "has "
                + TextRules.length(t)
                + " characters; at most "
                + options.maxSegmentChars()
                + " are allowed ("
                + Keys.MAX_SEGMENT_CHARS
                + ")");
      }
      out.add(new Segment(out.size(), t, negative, r.sceneStart() || out.isEmpty()));
    }
    return out;
  }
}
