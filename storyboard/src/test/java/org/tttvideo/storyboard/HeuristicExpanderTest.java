package org.tttvideo.storyboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeuristicExpanderTest {
  private final HeuristicExpander expander = new HeuristicExpander();

  private static StoryboardExpander.Request request(List<String> sentences, int n) {
    return new StoryboardExpander.Request(String.join(" ", sentences), sentences, n, "blur");
  }

  @Test
  void fewerSentencesThanSegmentsSpreadEachOverConsecutiveSegments() {
    StoryboardExpander.Result r = expander.expand(request(List.of("A.", "B.", "C."), 7));
    assertThat(r.isOk()).isTrue();
    assertThat(r.segments())
        .extracting(Segment::text)
        .containsExactly("A.", "A.", "A.", "B.", "B.", "C.", "C.");
    assertThat(r.segments()).extracting(Segment::index).containsExactly(0, 1, 2, 3, 4, 5, 6);
    assertThat(r.segments()).extracting(Segment::negativeText).containsOnly("blur");
    assertThat(r.segments())
        .extracting(Segment::sceneStart)
        .containsExactly(true, false, false, false, false, false, false);
  }

  @Test
  void moreSentencesThanSegmentsShareSegmentsInOrder() {
    StoryboardExpander.Result r =
        expander.expand(request(List.of("A.", "B.", "C.", "D.", "E."), 2));
    assertThat(r.segments()).extracting(Segment::text).containsExactly("A. B.", "C. D. E.");
  }

  @Test
  void isDeterministicAndNamedHeuristic() {
    var req = request(List.of("A.", "B."), 21);
    assertThat(expander.expand(req)).isEqualTo(expander.expand(req));
    assertThat(expander.name()).isEqualTo("heuristic");
  }
}
