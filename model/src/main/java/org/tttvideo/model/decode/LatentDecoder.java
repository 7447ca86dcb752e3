package org.tttvideo.model.decode;

import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;

/**
 * Turns a segment's latents into RGB frames, carrying an explicit cache from the previous segment
 * (the causal temporal context), so segments decode one at a time with the same result as decoding
 * the whole video. Implementations: {@link LinearPatchDecoder} for {@code tiny} and {@code small};
 * CogVideoX's 3D VAE decoder comes in its own issue.
 */
public interface LatentDecoder {
  /**
   * @param frames {@code [N, H, W, 3]}, RGB in [0, 1]
   * @param cache the cache for the next segment
   */
  record Result(Tensor frames, DecoderCache cache) {}

  /**
   * @param latents {@code [F, C, h, w]}, one segment's latent frames
   */
  Result decode(Compute compute, Tensor latents, DecoderCache cache);
}
