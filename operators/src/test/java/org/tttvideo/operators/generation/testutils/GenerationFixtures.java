package org.tttvideo.operators.generation.testutils;

import java.util.ArrayList;
import java.util.List;
import org.tttvideo.operators.generation.GeneratorFactory;
import org.tttvideo.operators.generation.PresetGeneratorFactory;
import org.tttvideo.storyboard.GenerationSettings;
import org.tttvideo.storyboard.InputForm;
import org.tttvideo.storyboard.Segment;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.storyboard.StoryboardFormat;

/** Storyboards and factories for the generation operator's tests: the tiny preset on the CPU. */
public final class GenerationFixtures {
  /** The tiny preset, untrained (seeded), on the vector backend. */
  public static final GeneratorFactory TINY =
      new PresetGeneratorFactory("tiny", null, "vector", 7L);

  private GenerationFixtures() {}

  /** A storyboard of {@code segments} segments sampled in {@code steps} steps. */
  public static Storyboard storyboard(String videoId, int segments, int steps, long seed) {
    List<Segment> list = new ArrayList<>();
    for (int i = 0; i < segments; i++) {
      list.add(
          new Segment(
              i,
              "segment " + i + " of " + videoId + ": a fox runs through snow",
              i == 0 ? "blurry" : "",
              i == 0));
    }
    return new Storyboard(
        videoId,
        "test " + videoId,
        StoryboardFormat.STORYBOARD,
        InputForm.JSON,
        seed,
        new GenerationSettings(steps, 6.0),
        list,
        "",
        "");
  }
}
