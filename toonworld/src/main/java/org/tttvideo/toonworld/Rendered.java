package org.tttvideo.toonworld;

import java.util.List;

/**
 * A render and its ground truth, one {@link FrameTruth} per frame.
 *
 * @param clip the frames
 * @param truth {@code truth.get(n)} describes frame {@code n}
 */
public record Rendered(Clip clip, List<FrameTruth> truth) {

  public Rendered {
    truth = List.copyOf(truth);
    if (truth.size() != clip.frameCount()) {
      throw new IllegalArgumentException(
          "truth has " + truth.size() + " frames, the clip " + clip.frameCount());
    }
  }
}
