package org.tttvideo.toonworld.judge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.tttvideo.toonworld.Clip;
import org.tttvideo.toonworld.Renderer;
import org.tttvideo.toonworld.Split;
import org.tttvideo.toonworld.StoryboardWriter;
import org.tttvideo.toonworld.WorldSampler;
import org.tttvideo.toonworld.WorldSpec;
import org.tttvideo.toonworld.judge.JudgeReport.Overall;
import org.tttvideo.toonworld.testutils.Specs;

/** On the renderer's own output every axis is 1.0: the judge misses nothing the renderer drew. */
class JudgeGroundTruthTest {

  @Test
  void sampledRendersOfOneToTwentyOneSegmentsScoreOneOnEveryAxis() {
    for (int i = 0; i < 24; i++) {
      Split split = i % 4 == 0 ? Split.HELD_OUT : Split.TRAIN;
      WorldSpec spec = WorldSampler.sample(split, WorldSampler.seedOf(split, i), 1 + (i * 5) % 21);

      JudgeReport r = Judge.judge(Renderer.render(spec, i), spec);
      assertThat(r.table()).as("spec %d", i).endsWith("presence 1.0000\n");

      assertThat(r.overall().consistency()).as("spec %d", i).isEqualTo(1.0);
      assertThat(r.overall().presence()).as("spec %d", i).isEqualTo(1.0);
      assertThat(r.overall().textFollowing()).as("spec %d", i).isEqualTo(1.0);
    }
  }

  @Test
  void aSixtyThreeSecondMultiSceneRenderScoresOneOnEveryAxis() {
    WorldSpec spec = WorldSampler.sample(Split.TRAIN, WorldSampler.seedOf(Split.TRAIN, 63), 21);
    assertThat(spec.segmentCount()).isEqualTo(21);
    assertThat(spec.scenes().size()).isGreaterThan(1);

    JudgeReport r = Judge.judge(Renderer.render(spec, 63), spec);

    assertThat(r.overall()).isEqualTo(new Overall(1.0, 1.0, 1.0));
    assertThat(r.segments()).hasSize(21);
  }

  @Test
  void judgingThroughTheWrittenStoryboardGivesTheSameReport() {
    WorldSpec spec = Specs.twoScenes();
    Clip clip = Renderer.render(spec, 3);
    var storyboard = StoryboardWriter.write(spec, 3);
    var parsed = org.tttvideo.toonworld.WorldTextParser.parse(storyboard.segments()).spec();

    assertThat(Judge.judge(clip, parsed).toJson()).isEqualTo(Judge.judge(clip, spec).toJson());
    assertThat(Judge.judge(clip, spec).overall()).isEqualTo(new Overall(1.0, 1.0, 1.0));
  }
}
