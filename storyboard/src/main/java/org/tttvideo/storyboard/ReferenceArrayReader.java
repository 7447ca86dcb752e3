package org.tttvideo.storyboard;

import static org.tttvideo.storyboard.FieldReader.rejectUnknownFields;
import static org.tttvideo.storyboard.FieldReader.wrongType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tttvideo.storyboard.StoryboardOptions.Keys;

/**
 * Reads the reference implementation's JSON array: a list of videos, each a list of {@code {"text",
 * "requires_scene_transition", "neg_text"}} segments, or one video's list on its own. Each video of
 * a record succeeds or fails alone, so one bad video does not cost the others.
 */
final class ReferenceArrayReader {

  private static final Set<String> REFERENCE_FIELDS =
      FieldReader.orderedSet("text", "requires_scene_transition", "neg_text");

  private final FieldReader fields;
  private final StoryboardOptions options;
  private final TextSpec segmentText;
  private final TextSpec segmentNegativeText;

  ReferenceArrayReader(FieldReader fields) {
    this.fields = fields;
    this.options = fields.options();
    this.segmentText = TextSpec.segmentText(options);
    this.segmentNegativeText = TextSpec.segmentNegativeText(options);
  }

  /** One outcome per video of the record, in order. */
  List<ParseOutcome> read(ArrayNode root, RejectionContext ctx) {
    if (root.isEmpty()) {
      throw new InvalidInput(
          RejectionCode.TOO_FEW_SEGMENTS,
          Rejection.ROOT,
          "the array is empty; the reference format is a list of videos, each a list of"
              + " {\"text\", \"requires_scene_transition\", \"neg_text\"} segments");
    }
    JsonNode first = root.get(0);
    if (first.isObject()) {
      // one video's array on its own
      try {
        return List.of(ParseOutcome.ok(video(root, "")));
      } catch (InvalidInput e) {
        return List.of(ParseOutcome.rejected(ctx.reject(e, "", 0)));
      }
    }
    if (!first.isArray()) {
      throw wrongType("[0]", "a video (a list of segment objects) or a segment object", first);
    }
    if (root.size() > options.maxVideosPerRecord()) {
      throw new InvalidInput(
          RejectionCode.TOO_MANY_VIDEOS,
          Rejection.ROOT,
          "the record holds "
              + root.size()
              + " videos; at most "
              + options.maxVideosPerRecord()
              + " are accepted in one record ("
              + Keys.MAX_VIDEOS_PER_RECORD
              + ")");
    }
    List<ParseOutcome> outcomes = new ArrayList<>(root.size());
    for (int v = 0; v < root.size(); v++) {
      try {
        JsonNode video = root.get(v);
        if (!video.isArray()) {
          throw wrongType("[" + v + "]", "a video (a list of segment objects)", video);
        }
        outcomes.add(ParseOutcome.ok(video((ArrayNode) video, "[" + v + "]")));
      } catch (InvalidInput e) {
        outcomes.add(ParseOutcome.rejected(ctx.reject(e, "", v)));
      } catch (RuntimeException | StackOverflowError e) {
        outcomes.add(ParseOutcome.rejected(ctx.internalError(e, v)));
      }
    }
    return outcomes;
  }

  private Storyboard video(ArrayNode video, String prefix) {
    String countField = prefix.isEmpty() ? Rejection.ROOT : prefix;
    fields.checkCount(video.size(), countField, "segments in the video");
    List<Segment> segments = new ArrayList<>(video.size());
    for (int i = 0; i < video.size(); i++) {
      String at = prefix + "[" + i + "]";
      JsonNode seg = video.get(i);
      if (!seg.isObject()) {
        throw wrongType(
            at, "a segment object {\"text\", \"requires_scene_transition\", \"neg_text\"}", seg);
      }
      rejectUnknownFields(seg, at, REFERENCE_FIELDS);
      String text = fields.segmentText(seg, at, segmentText);
      String neg =
          fields.optionalText(
              seg, "neg_text", at, segmentNegativeText, options.defaultNegativeText());
      boolean transition = FieldReader.optionalFlag(seg, "requires_scene_transition", at);
      // requires_scene_transition: a cut from the previous segment; the first always starts one
      segments.add(new Segment(i, text, neg, transition || i == 0));
    }
    return StoryboardBuilder.build(
        null,
        "",
        StoryboardFormat.STORYBOARD,
        InputForm.REFERENCE_ARRAY,
        options.defaultSeed(),
        options.defaultSettings(),
        segments,
        "");
  }
}
