package org.tttvideo.model.generate;

import org.tttvideo.model.dit.Phase;

/**
 * One bounded piece of work, as the cursor of a {@link GenerationState} names it.
 *
 * @param kind what the unit does
 * @param step denoising step (for {@link Kind#DECODE} and {@link Kind#DONE}: the number of steps)
 * @param block transformer block ({@link Kind#BLOCK} only, else -1)
 * @param phase block phase ({@link Kind#BLOCK} only, else null)
 * @param segment the segment the unit works on
 * @param first whether this is the first unit of its phase (a TTT scan starts from the layer's
 *     initial state)
 */
public record WorkUnit(Kind kind, int step, int block, Phase phase, int segment, boolean first) {
  /** The kinds of unit, in the order a denoising step runs them. */
  public enum Kind {
    /** Patch and text embedding of one segment (both guidance branches). */
    EMBED,
    /** One segment of one phase of one block. */
    BLOCK,
    /** Final norm, projection, guidance and the DDIM update of one segment's latents. */
    OUTPUT,
    /** Decoding one segment's latents to frames, after the last step. */
    DECODE,
    /** Nothing left. */
    DONE
  }

  @Override
  public String toString() {
    return switch (kind) {
      case BLOCK -> "step " + step + " block " + block + " " + phase + " segment " + segment;
      case DONE -> "done";
      default -> kind + (kind == Kind.DECODE ? "" : " step " + step) + " segment " + segment;
    };
  }
}
