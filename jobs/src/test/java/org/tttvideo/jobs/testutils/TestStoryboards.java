package org.tttvideo.jobs.testutils;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tttvideo.storyboard.BadCorpus;
import org.tttvideo.storyboard.RejectionCode;

/** Storyboards for the job tests: valid ones of a few segments and steps, and bad ones. */
public final class TestStoryboards {
  private TestStoryboards() {}

  /** A valid full storyboard (Format 3) of {@code segments} segments and {@code steps} steps. */
  public static byte[] storyboard(String videoId, long seed, int segments, int steps) {
    StringBuilder s = new StringBuilder();
    s.append("{\"format\": \"storyboard\", \"videoId\": \"")
        .append(videoId)
        .append("\", \"seed\": ")
        .append(seed)
        .append(", \"settings\": {\"denoisingSteps\": ")
        .append(steps)
        .append(", \"guidanceScale\": 4.0}, \"negativeText\": \"blurry\", \"segments\": [");
    String[] texts = {
      "A heron stands in a misty pond at dawn.",
      "The heron spears a fish and swallows it.",
      "Night falls and the empty pond reflects the moon.",
      "A fox walks along the shore in the moonlight."
    };
    for (int i = 0; i < segments; i++) {
      if (i > 0) {
        s.append(", ");
      }
      s.append("{\"text\": \"").append(texts[i % texts.length]).append("\"}");
    }
    s.append("]}");
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The first entry of the bad corpus for each of {@code codes}, in that order.
   *
   * @throws IllegalStateException when the corpus has no entry of a code
   */
  public static List<BadCorpus.Entry> bad(RejectionCode... codes) {
    Map<RejectionCode, BadCorpus.Entry> first = new TreeMap<>();
    for (BadCorpus.Entry e : BadCorpus.load()) {
      first.putIfAbsent(e.code(), e);
    }
    List<BadCorpus.Entry> out = new ArrayList<>();
    for (RejectionCode c : codes) {
      BadCorpus.Entry e = first.get(c);
      if (e == null) {
        throw new IllegalStateException("the bad corpus has no input with code " + c);
      }
      out.add(e);
    }
    return out;
  }
}
