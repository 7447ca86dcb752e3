package org.tttvideo.model.generate;

import java.util.List;
import java.util.Objects;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttState;
import org.tttvideo.model.decode.DecoderCache;
import org.tttvideo.model.dit.SegmentActs;

/**
 * Everything needed to continue a generation, explicit and immutable: a streaming operator keeps it
 * in managed state between work units, and {@link GenerationStateSerializer} writes it.
 *
 * <p>Legend: B = 2 (unconditional, conditional), T = text tokens, F_s = latent frames of segment s,
 * C x h x w = latent channels x rows x columns, N = decoded frames, H x W = output size.
 *
 * @param model {@link org.tttvideo.model.config.ModelConfig#identity()} of the model the state
 *     belongs to: the preset name for a preset, else the name and a fingerprint of every value
 * @param request the request
 * @param unit the cursor: index of the next unit in the {@link WorkPlan}
 * @param text per segment, {@code [B, T, textDim]}: the segment's negative prompt, then its prompt
 * @param latents per segment, {@code [F_s, C, h, w]}: the sample being denoised
 * @param acts per segment, the activations of the current block (empty between steps)
 * @param ttt the TTT hidden state carried across segments in the current scan, or null
 * @param decoderCache the latent decoder's cache
 * @param decodedSegment segment decoded by the last unit, or -1
 * @param decodedFrames its frames {@code [N, H, W, 3]}, or null
 */
public record GenerationState(
    String model,
    GenerationRequest request,
    long unit,
    List<Tensor> text,
    List<Tensor> latents,
    List<SegmentActs> acts,
    TttState ttt,
    DecoderCache decoderCache,
    int decodedSegment,
    Tensor decodedFrames) {

  public GenerationState {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(request, "request");
    text = List.copyOf(text);
    latents = List.copyOf(latents);
    acts = List.copyOf(acts);
    Objects.requireNonNull(decoderCache, "decoderCache");
    if (text.size() != request.segments() || latents.size() != request.segments()) {
      throw new IllegalArgumentException(
          "state holds "
              + text.size()
              + " text and "
              + latents.size()
              + " latent entries for "
              + request.segments()
              + " segments");
    }
    if ((decodedSegment < 0) != (decodedFrames == null)) {
      throw new IllegalArgumentException(
          "decodedFrames must be present exactly with decodedSegment");
    }
  }
}
