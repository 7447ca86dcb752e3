package org.tttvideo.toonworld.dataset;

import org.tttvideo.toonworld.Clip;
import org.tttvideo.toonworld.Renderer;
import org.tttvideo.toonworld.Split;
import org.tttvideo.toonworld.StoryboardWriter;
import org.tttvideo.toonworld.WorldSampler;
import org.tttvideo.toonworld.WorldSpec;
import org.tttvideo.toonworld.WorldStoryboard;

/**
 * One training pair: a sampled world, its three storyboards and its frames, all from one seed.
 *
 * @param id {@code train-000017}, {@code held_out-000003}
 * @param seed the seed of the sample, the render and the text
 * @param split its split
 * @param spec the world
 * @param text its storyboards
 * @param clip its frames
 */
public record Example(
    String id, long seed, Split split, WorldSpec spec, WorldStoryboard text, Clip clip) {

  /** Example {@code index} of {@code split}, with {@code segments} segments. */
  public static Example make(Split split, long index, int segments) {
    long seed = WorldSampler.seedOf(split, index);
    WorldSpec spec = WorldSampler.sample(split, seed, segments);
    return new Example(
        String.format("%s-%06d", split.jsonName(), index),
        seed,
        split,
        spec,
        StoryboardWriter.write(spec, seed),
        Renderer.render(spec, seed));
  }
}
