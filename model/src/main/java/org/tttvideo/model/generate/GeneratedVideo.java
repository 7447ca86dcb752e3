package org.tttvideo.model.generate;

import java.util.List;
import org.tttvideo.model.compute.Tensor;

/**
 * The result of {@link Generator#generate}.
 *
 * @param frames per segment, {@code [N_s, H, W, 3]} RGB in [0, 1]
 * @param latents per segment, the final latents {@code [F_s, C, h, w]}
 * @param fps frames per second
 */
public record GeneratedVideo(List<Tensor> frames, List<Tensor> latents, int fps) {
  public GeneratedVideo {
    frames = List.copyOf(frames);
    latents = List.copyOf(latents);
  }

  /** Frames over all segments. */
  public int frameCount() {
    return frames.stream().mapToInt(t -> t.dim(0)).sum();
  }

  public double seconds() {
    return frameCount() / (double) fps;
  }
}
