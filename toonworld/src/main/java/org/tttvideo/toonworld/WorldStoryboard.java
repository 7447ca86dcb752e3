package org.tttvideo.toonworld;

import java.util.ArrayList;
import java.util.List;
import org.tttvideo.storyboard.Segment;

/**
 * The three storyboards {@link StoryboardWriter} writes for one {@link WorldSpec}.
 *
 * @param format3 per segment, a paragraph of 2 to 5 sentences
 * @param format2 per segment, one sentence
 * @param format1 a summary of 5 to 8 sentences
 * @param sceneStarts per segment, whether it starts a scene
 */
public record WorldStoryboard(
    List<String> format3, List<String> format2, String format1, List<Boolean> sceneStarts) {

  public WorldStoryboard {
    format3 = List.copyOf(format3);
    format2 = List.copyOf(format2);
    sceneStarts = List.copyOf(sceneStarts);
    if (format3.size() != sceneStarts.size() || format2.size() != sceneStarts.size()) {
      throw new IllegalArgumentException(
          "format3 ("
              + format3.size()
              + "), format2 ("
              + format2.size()
              + ") and sceneStarts ("
              + sceneStarts.size()
              + ") must have one entry per segment");
    }
  }

  /**
   * Format 3 as the paper's annotation text, which {@code StoryboardParser} reads: each scene in
   * {@code <scene start>} ... {@code <scene end>}, its segments separated by blank lines.
   */
  public String annotationText() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < format3.size(); i++) {
      if (sceneStarts.get(i)) {
        if (i > 0) {
          b.append("<scene end>\n\n");
        }
        b.append("<scene start>\n");
      } else {
        b.append('\n');
      }
      b.append(format3.get(i)).append('\n');
    }
    return b.append("<scene end>\n").toString();
  }

  /** Format 3 as storyboard segments (no negative text). */
  public List<Segment> segments() {
    List<Segment> out = new ArrayList<>(format3.size());
    for (int i = 0; i < format3.size(); i++) {
      out.add(new Segment(i, format3.get(i), "", sceneStarts.get(i)));
    }
    return out;
  }
}
