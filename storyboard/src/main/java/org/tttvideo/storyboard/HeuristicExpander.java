package org.tttvideo.storyboard;

import java.util.ArrayList;
import java.util.List;

/**
 * The default {@link StoryboardExpander}: deterministic, no network. It spreads the summary's
 * sentences evenly over the segments in order. With fewer sentences than segments a sentence covers
 * several consecutive segments (a longer shot); with more, consecutive sentences share a segment.
 * Only segment 0 starts a scene, since a summary marks none. Storyboards it writes are marked
 * {@code expandedBy = "heuristic"} so consumers know the prompts were not written by a person or a
 * language model.
 *
 * <pre>
 * 3 sentences over 7 segments: A A A B B C C
 * 5 sentences over 2 segments: "A B" "C D E"
 * </pre>
 */
public final class HeuristicExpander implements StoryboardExpander {
  /** The name recorded in {@link Storyboard#expandedBy()}. */
  public static final String NAME = "heuristic";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result expand(Request request) {
    List<String> sentences = request.sentences();
    int s = sentences.size();
    int n = request.segmentCount();
    List<Segment> segments = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String text;
      if (s >= n) {
        // segment i holds sentences [floor(i*s/n), floor((i+1)*s/n))
        int from = (int) ((long) i * s / n);
        int to = (int) ((long) (i + 1) * s / n);
        text = String.join(" ", sentences.subList(from, to));
      } else {
        text = sentences.get((int) ((long) i * s / n));
      }
      segments.add(new Segment(i, text, request.negativeText(), i == 0));
    }
    return Result.ok(segments);
  }
}
