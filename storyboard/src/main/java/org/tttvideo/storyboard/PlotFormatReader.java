package org.tttvideo.storyboard;

import static org.tttvideo.storyboard.FieldReader.present;
import static org.tttvideo.storyboard.FieldReader.wrongType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.tttvideo.storyboard.StoryboardOptions.Keys;

/**
 * Reads the content of {@code "format": "plot"} (Format 2): one sentence per 3-second segment,
 * given as prose in {@code text} (split by {@link SentenceSplitter}; a blank line starts a new
 * scene) or as a list in {@code sentences}.
 */
final class PlotFormatReader {

  private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\R[ \\t\\x0B\\f]*\\R\\s*");

  private final FieldReader fields;
  private final StoryboardOptions options;

  PlotFormatReader(FieldReader fields) {
    this.fields = fields;
    this.options = fields.options();
  }

  Storyboard read(ObjectNode root, ObjectHeader header) {
    JsonNode textNode = present(root, "text");
    JsonNode sentencesNode = present(root, "sentences");
    if (textNode != null && sentencesNode != null) {
      throw new InvalidInput(
          RejectionCode.CONFLICTING_FIELDS,
          "sentences",
          "give either text (the plot as prose) or sentences (a list, one per segment), not both");
    }
    List<Segment> segments;
    if (textNode != null) {
      segments = fromProse(textNode, header.negativeText());
    } else if (sentencesNode != null) {
      segments = fromList(sentencesNode, header.negativeText());
    } else {
      throw new InvalidInput(
          RejectionCode.MISSING_FIELD,
          "text",
          "format \"plot\" needs text (about one sentence per 3-second segment) or sentences (a"
              + " list of strings)");
    }
    return StoryboardBuilder.build(
        header.videoId(),
        header.title(),
        StoryboardFormat.PLOT,
        InputForm.JSON,
        header.seed(),
        header.settings(),
        segments,
        "");
  }

  private List<Segment> fromProse(JsonNode textNode, String negative) {
    String raw = fields.rawText(textNode, "text", TextSpec.longText(options));
    List<Segment> segments = new ArrayList<>();
    // a blank line in the plot starts a new scene
    for (String paragraph : PARAGRAPH_BREAK.split(raw.strip())) {
      boolean first = true;
      for (String sentence : SentenceSplitter.split(paragraph)) {
        segments.add(new Segment(segments.size(), sentence, negative, first));
        first = false;
      }
    }
    fields.checkCount(segments.size(), "text", "sentences in the plot");
    for (Segment s : segments) {
      if (TextRules.length(s.text()) > options.maxSegmentChars()) {
        throw new InvalidInput(
            RejectionCode.SEGMENT_TOO_LONG,
            "text",
            "sentence "
                + (s.index() + 1)
                + " of the plot has "
                + TextRules.length(s.text())
                + " characters; one segment's text may have at most "
                + options.maxSegmentChars()
                + " ("
                + Keys.MAX_SEGMENT_CHARS
                + ")");
      }
    }
    return segments;
  }

  private List<Segment> fromList(JsonNode sentencesNode, String negative) {
    if (!sentencesNode.isArray()) {
      throw wrongType("sentences", "a list of strings", sentencesNode);
    }
    fields.checkCount(sentencesNode.size(), "sentences", "sentences");
    TextSpec spec = TextSpec.segmentText(options);
    List<Segment> segments = new ArrayList<>();
    for (int i = 0; i < sentencesNode.size(); i++) {
      String s = fields.text(sentencesNode.get(i), "sentences[" + i + "]", spec);
      segments.add(new Segment(i, s, negative, i == 0));
    }
    return segments;
  }
}
