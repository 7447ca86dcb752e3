package org.tttvideo.storyboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Makes the {@link Storyboard} every format reader ends with, deriving the video id when the input
 * gives none. One place, so that the same video written in two formats gets the same id.
 */
final class StoryboardBuilder {

  private StoryboardBuilder() {}

  /** A storyboard that no expander made (every format but a summary). */
  static Storyboard build(
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

  /**
   * @param videoId the id the input gave, or {@code null} to derive one from {@link #canonicalForm}
   * @param expandedBy the expander's name for a summary, else empty
   */
  static Storyboard build(
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
  static String canonicalForm(
      StoryboardFormat format,
      long seed,
      GenerationSettings settings,
      List<Segment> segments,
      String summary) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("v", StoryboardParser.SCHEMA_VERSION);
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
}
