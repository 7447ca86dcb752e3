package org.tttvideo.storyboard;

import static org.tttvideo.storyboard.FieldReader.present;
import static org.tttvideo.storyboard.FieldReader.rejectUnknownFields;
import static org.tttvideo.storyboard.FieldReader.wrongType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * Reads the content of {@code "format": "storyboard"} (Format 3): a list of segments, one per 3
 * seconds, each with its text and optionally an index, a negative text and a scene start; or the
 * same as annotation text in {@code text}.
 */
final class StoryboardFormatReader {

  private static final Set<String> SEGMENT_FIELDS =
      FieldReader.orderedSet("index", "text", "negativeText", "sceneStart");

  private final FieldReader fields;
  private final AnnotationReader annotations;
  private final TextSpec segmentText;
  private final TextSpec segmentNegativeText;

  StoryboardFormatReader(FieldReader fields, AnnotationReader annotations) {
    this.fields = fields;
    this.annotations = annotations;
    this.segmentText = TextSpec.segmentText(fields.options());
    this.segmentNegativeText = TextSpec.segmentNegativeText(fields.options());
  }

  Storyboard read(ObjectNode root, ObjectHeader header) {
    JsonNode segmentsNode = present(root, "segments");
    JsonNode textNode = present(root, "text");
    if (segmentsNode != null && textNode != null) {
      throw new InvalidInput(
          RejectionCode.CONFLICTING_FIELDS,
          "text",
          "give either segments (a JSON list) or text (annotation text with <scene start> ..."
              + " <scene end>), not both");
    }
    if (textNode != null) {
      List<Segment> segments = annotations.segments(textNode, "text", header.negativeText());
      return build(header, InputForm.ANNOTATION_TEXT, segments);
    }
    if (segmentsNode == null) {
      throw new InvalidInput(
          RejectionCode.MISSING_FIELD,
          "segments",
          "format \"storyboard\" needs segments (a list of {\"text\": ...}, one per 3-second"
              + " segment) or text (annotation text)");
    }
    if (!segmentsNode.isArray()) {
      throw wrongType("segments", "a list of segment objects", segmentsNode);
    }
    fields.checkCount(segmentsNode.size(), "segments", "segments");
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
        throw new InvalidInput(
            RejectionCode.INVALID_SEGMENT_INDEX,
            at + ".index",
            "either every segment gives an index or none does; segment "
                + i
                + (indexed ? " gives none" : " gives one and the first does not"));
      }
      int index = i;
      if (indexNode != null) {
        index = index(indexNode, at, n);
        if (byIndex[index] != null) {
          throw new InvalidInput(
              RejectionCode.DUPLICATE_SEGMENT_INDEX,
              at + ".index",
              "index "
                  + index
                  + " is already taken by segments["
                  + firstPosition[index]
                  + "]; each index appears once");
        }
      }
      String text = fields.segmentText(seg, at, segmentText);
      String neg =
          fields.optionalText(seg, "negativeText", at, segmentNegativeText, header.negativeText());
      boolean sceneStart = FieldReader.optionalFlag(seg, "sceneStart", at);
      byIndex[index] = new Segment(index, text, neg, sceneStart || index == 0);
      firstPosition[index] = i;
    }
    return build(header, InputForm.JSON, List.of(byIndex));
  }

  /** A segment's explicit index: an integer in {@code 0..n-1}. */
  private static int index(JsonNode indexNode, String at, int n) {
    if (!indexNode.isIntegralNumber()) {
      throw wrongType(at + ".index", "an integer", indexNode);
    }
    if (!indexNode.canConvertToInt() || indexNode.intValue() < 0 || indexNode.intValue() >= n) {
      throw new InvalidInput(
          RejectionCode.INVALID_SEGMENT_INDEX,
          at + ".index",
          "index "
              + indexNode.asText()
              + " is outside 0.."
              + (n - 1)
              + "; indexes count the segments from 0");
    }
    return indexNode.intValue();
  }

  private static Storyboard build(ObjectHeader h, InputForm form, List<Segment> segments) {
    return StoryboardBuilder.build(
        h.videoId(),
        h.title(),
        StoryboardFormat.STORYBOARD,
        form,
        h.seed(),
        h.settings(),
        segments,
        "");
  }
}
