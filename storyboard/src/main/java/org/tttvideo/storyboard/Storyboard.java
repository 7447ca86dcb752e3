package org.tttvideo.storyboard;

import java.util.ArrayList;
import java.util.List;

/**
 * A validated request for one video: everything the generation job needs, whatever form the user
 * wrote it in. Built by {@link StoryboardParser}; serialized by {@link StoryboardJson}.
 *
 * <p>Segments are 3 seconds each; scenes are derived from {@link Segment#sceneStart()}. The segment
 * list is an unmodifiable {@link List#copyOf} copy (which Flink's Kryo fallback can copy, unlike
 * {@code Collections.unmodifiableList}).
 *
 * @param videoId matches {@link VideoIds#PATTERN}; given by the user or derived by {@link
 *     VideoIds#derive}
 * @param title free text for people, may be empty
 * @param format which of the paper's formats the user wrote
 * @param inputForm how it was written down
 * @param seed the sampler's seed
 * @param settings sampling settings
 * @param segments the segments in order, {@code segments.get(i).index() == i}, at least one
 * @param summary for {@link StoryboardFormat#SUMMARY} the normalised summary the segments were
 *     expanded from, else empty
 * @param expandedBy the {@link StoryboardExpander#name()} that wrote the segments of a summary
 *     (e.g. {@code heuristic}); empty for formats 2 and 3
 * @param origin where it was read from (record source, position, payload), set by the validation
 *     operator so that later stages can reject it like a validation rejection; {@code null} when
 *     not known. Not part of the storyboard's JSON ({@link StoryboardJson}) and not hashed into
 *     derived ids.
 */
public record Storyboard(
    String videoId,
    String title,
    StoryboardFormat format,
    InputForm inputForm,
    long seed,
    GenerationSettings settings,
    List<Segment> segments,
    String summary,
    String expandedBy,
    StoryboardOrigin origin) {

  /** Length of one segment in seconds (the paper's 3-second segments). */
  public static final int SEGMENT_SECONDS = 3;

  /** A storyboard whose origin is not known (parsed, read back from JSON, built in a test). */
  public Storyboard(
      String videoId,
      String title,
      StoryboardFormat format,
      InputForm inputForm,
      long seed,
      GenerationSettings settings,
      List<Segment> segments,
      String summary,
      String expandedBy) {
    this(videoId, title, format, inputForm, seed, settings, segments, summary, expandedBy, null);
  }

  public Storyboard {
    if (!VideoIds.isValid(videoId)) {
      throw new IllegalArgumentException(
          "videoId must match " + VideoIds.PATTERN.pattern() + ", was \"" + videoId + "\"");
    }
    if (title == null || format == null || inputForm == null || settings == null) {
      throw new IllegalArgumentException("title, format, inputForm and settings must be given");
    }
    if (summary == null || expandedBy == null) {
      throw new IllegalArgumentException("summary and expandedBy must not be null (use \"\")");
    }
    if (seed < 0) {
      throw new IllegalArgumentException("seed must be >= 0, was " + seed);
    }
    if (segments == null || segments.isEmpty()) {
      throw new IllegalArgumentException("a storyboard needs at least one segment");
    }
    segments = List.copyOf(segments);
    for (int i = 0; i < segments.size(); i++) {
      if (segments.get(i).index() != i) {
        throw new IllegalArgumentException(
            "segments.get(" + i + ").index() must be " + i + ", was " + segments.get(i).index());
      }
    }
    if ((format == StoryboardFormat.SUMMARY) != !summary.isEmpty()) {
      throw new IllegalArgumentException("summary must be given exactly for format summary");
    }
    if ((format == StoryboardFormat.SUMMARY) != !expandedBy.isEmpty()) {
      throw new IllegalArgumentException("expandedBy must be given exactly for format summary");
    }
  }

  /** The scenes, derived from the segments' scene starts. */
  public List<Scene> scenes() {
    List<Scene> scenes = new ArrayList<>();
    int first = 0;
    for (int i = 1; i <= segments.size(); i++) {
      if (i == segments.size() || segments.get(i).sceneStart()) {
        scenes.add(new Scene(scenes.size(), first, i - first));
        first = i;
      }
    }
    return List.copyOf(scenes);
  }

  /** Number of scenes. */
  public int sceneCount() {
    int n = 0;
    for (Segment s : segments) {
      n += s.sceneStart() ? 1 : 0;
    }
    return n;
  }

  /** Length of the video in seconds. */
  public int durationSeconds() {
    return segments.size() * SEGMENT_SECONDS;
  }

  /** Whether the segments were written by the deterministic heuristic (Format 1 only). */
  public boolean heuristic() {
    return HeuristicExpander.NAME.equals(expandedBy);
  }

  /** The same storyboard with other segments, as written by the named expander. */
  public Storyboard withExpansion(List<Segment> newSegments, String newExpandedBy) {
    return new Storyboard(
        videoId,
        title,
        format,
        inputForm,
        seed,
        settings,
        newSegments,
        summary,
        newExpandedBy,
        origin);
  }

  /** The same storyboard, traced to where it was read from. */
  public Storyboard withOrigin(StoryboardOrigin newOrigin) {
    return new Storyboard(
        videoId,
        title,
        format,
        inputForm,
        seed,
        settings,
        segments,
        summary,
        expandedBy,
        newOrigin);
  }
}
