package org.tttvideo.storyboard;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the paper's annotation text (Format 3 written as plain text): scenes bracketed by {@code
 * <scene start>} ... {@code <scene end>}, segments inside a scene separated by blank lines.
 *
 * <pre>
 * &lt;scene start&gt;
 * Tom sits in the kitchen. (segment 0, starts scene 0)
 *
 * Jerry peeks out of his hole. (segment 1)
 * &lt;scene end&gt;
 * &lt;scene start&gt;
 * The garden at night. (segment 2, starts scene 1)
 * &lt;scene end&gt;
 * </pre>
 *
 * Markers are matched case-insensitively and may also be written {@code <scene_start>}, {@code
 * <start_scene>}, {@code <scene-start>} (and the same for the end). Text without any marker is one
 * scene. Only white space may stand outside the scenes.
 */
final class AnnotationText {

  /** One segment's raw text and where it started. */
  record RawSegment(String text, boolean sceneStart, int line) {}

  private static final Pattern MARKER =
      Pattern.compile(
          "<\\s*(?:scene[\\s_-]*(start|end)|(start|end)[\\s_-]*scene)\\s*>",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern BLANK_LINE = Pattern.compile("\\R[ \\t\\x0B\\f]*\\R\\s*");

  private AnnotationText() {}

  /** Whether {@code text} holds at least one scene marker. */
  static boolean hasMarkers(String text) {
    return MARKER.matcher(text).find();
  }

  /**
   * The segments of {@code text}.
   *
   * @throws InvalidInput with {@link RejectionCode#MALFORMED_ANNOTATION} at {@code field} for text
   *     outside scenes, unclosed, nested or stray markers and empty scenes
   */
  static List<RawSegment> parse(String text, String field) {
    List<RawSegment> out = new ArrayList<>();
    if (!hasMarkers(text)) {
      addScene(text, 0, text.length(), out);
      return out;
    }
    Matcher m = MARKER.matcher(text);
    int pos = 0;
    int sceneBegin = -1;
    while (m.find()) {
      boolean start = "start".equalsIgnoreCase(m.group(1) != null ? m.group(1) : m.group(2));
      if (start) {
        if (sceneBegin >= 0) {
          throw malformed(field, text, m.start(), "a scene starts before the previous one ended");
        }
        if (!text.substring(pos, m.start()).isBlank()) {
          throw malformed(field, text, firstNonBlank(text, pos), "text outside a scene");
        }
        sceneBegin = m.end();
      } else {
        if (sceneBegin < 0) {
          throw malformed(field, text, m.start(), "<scene end> without <scene start>");
        }
        if (text.substring(sceneBegin, m.start()).isBlank()) {
          throw malformed(field, text, m.start(), "empty scene");
        }
        addScene(text, sceneBegin, m.start(), out);
        sceneBegin = -1;
      }
      pos = m.end();
    }
    if (sceneBegin >= 0) {
      throw malformed(field, text, text.length(), "the last scene has no <scene end>");
    }
    if (!text.substring(pos).isBlank()) {
      throw malformed(field, text, firstNonBlank(text, pos), "text outside a scene");
    }
    return out;
  }

  private static void addScene(String text, int begin, int end, List<RawSegment> out) {
    String scene = text.substring(begin, end);
    Matcher blank = BLANK_LINE.matcher(scene);
    List<int[]> spans = new ArrayList<>();
    int from = 0;
    while (blank.find()) {
      spans.add(new int[] {from, blank.start()});
      from = blank.end();
    }
    spans.add(new int[] {from, scene.length()});
    boolean first = true;
    for (int[] span : spans) {
      String para = scene.substring(span[0], span[1]);
      if (para.isBlank()) {
        continue;
      }
      int line = lineOf(text, begin + span[0] + leadingBlank(para));
      out.add(new RawSegment(para, first, line));
      first = false;
    }
  }

  private static int leadingBlank(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int firstNonBlank(String s, int from) {
    int i = from;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < Math.min(offset, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static InvalidInput malformed(String field, String text, int offset, String what) {
    return new InvalidInput(
        RejectionCode.MALFORMED_ANNOTATION,
        field,
        "annotation text, line "
            + lineOf(text, offset)
            + ": "
            + what
            + "; scenes are written <scene start> ... <scene end>, segments inside a scene are"
            + " separated by blank lines, and only white space may stand between scenes");
  }
}
