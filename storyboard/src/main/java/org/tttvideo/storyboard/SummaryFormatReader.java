package org.tttvideo.storyboard;

import static org.tttvideo.storyboard.FieldReader.present;
import static org.tttvideo.storyboard.FieldReader.wrongType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the content of {@code "format": "summary"} (Format 1): 5-8 sentences about the whole video,
 * which a {@link StoryboardExpander} turns into {@code segmentCount} segments. What the expander
 * answers is checked like a publisher's segments, so that a faulty expander gives a rejection and
 * never a storyboard the rest of the pipeline would refuse.
 */
final class SummaryFormatReader {

  private final FieldReader fields;
  private final StoryboardOptions options;
  private final StoryboardExpander expander;

  SummaryFormatReader(FieldReader fields, StoryboardExpander expander) {
    this.fields = fields;
    this.options = fields.options();
    this.expander = expander;
  }

  Storyboard read(ObjectNode root, ObjectHeader header) {
    JsonNode textNode = present(root, "text");
    if (textNode == null) {
      throw new InvalidInput(
          RejectionCode.MISSING_FIELD,
          "text",
          "format \"summary\" needs text: 5-8 sentences describing the whole video");
    }
    String summary = fields.text(textNode, "text", TextSpec.longText(options));
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
      fields.checkCount(count, "segmentCount", "segments");
    }
    List<Segment> segments = expand(expander, summary, count, header.negativeText());
    return StoryboardBuilder.build(
        header.videoId(),
        header.title(),
        StoryboardFormat.SUMMARY,
        InputForm.JSON,
        header.seed(),
        header.settings(),
        segments,
        summary,
        expander.name());
  }

  /** The {@code count} segments {@code with} makes of {@code summary}, checked and normalised. */
  List<Segment> expand(StoryboardExpander with, String summary, int count, String negative) {
    List<String> sentences = SentenceSplitter.split(summary);
    StoryboardExpander.Result r =
        with.expand(new StoryboardExpander.Request(summary, sentences, count, negative));
    if (r == null || !r.isOk()) {
      throw new InvalidInput(
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
      throw nonsense(with, "it returned " + r.segments().size() + " segments, not " + count);
    }
    List<Segment> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Segment s = r.segments().get(i);
      String problem = segmentProblem(s.text(), false);
      if (problem == null) {
        problem = segmentProblem(s.negativeText(), true);
      }
      if (problem != null) {
        throw nonsense(with, "segment " + i + " " + problem);
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

  private static InvalidInput nonsense(StoryboardExpander with, String what) {
    return new InvalidInput(
        RejectionCode.EXPANDER_FAILED,
        "text",
        "the " + with.name() + " expander answered something unusable: " + what);
  }
}
