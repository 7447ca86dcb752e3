package org.tttvideo.toonworld;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tttvideo.storyboard.Segment;

/** What StoryboardWriter writes, WorldTextParser reads back to the same world, word for word. */
class WriterParserRoundTripTest {

  private static final int SPECS = 400;

  @Test
  void format3TextsOfSampledWorldsParseBackToTheirSpecsWithNoUnknownWord() {
    for (int i = 0; i < SPECS; i++) {
      WorldSpec spec = sample(i);
      WorldStoryboard b = StoryboardWriter.write(spec, 1000L + i);

      ParsedWorld w = WorldTextParser.parse(b.segments());

      assertThat(w.spec()).as("spec %d, text %s", i, b.format3()).isEqualTo(spec);
      assertThat(w.unknown()).as("spec %d, text %s", i, b.format3()).isEmpty();
    }
  }

  @Test
  void format2SentencesOfSampledWorldsParseBackToTheirSpecsWithNoUnknownWord() {
    for (int i = 0; i < SPECS; i++) {
      WorldSpec spec = sample(i);
      WorldStoryboard b = StoryboardWriter.write(spec, 2000L + i);
      List<Segment> segments = new ArrayList<>();
      for (int k = 0; k < b.format2().size(); k++) {
        segments.add(new Segment(k, b.format2().get(k), "", b.sceneStarts().get(k)));
      }

      ParsedWorld w = WorldTextParser.parse(segments);

      assertThat(w.spec()).as("spec %d, text %s", i, b.format2()).isEqualTo(spec);
      assertThat(w.unknown()).as("spec %d, text %s", i, b.format2()).isEmpty();
    }
  }

  private static WorldSpec sample(int i) {
    Split split = i % 5 == 0 ? Split.HELD_OUT : Split.TRAIN;
    return WorldSampler.sample(split, WorldSampler.seedOf(split, i), 1 + i % 21);
  }
}
