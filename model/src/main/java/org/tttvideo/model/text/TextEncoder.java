package org.tttvideo.model.text;

import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;

/**
 * Turns one segment's prompt into the text tokens the transformer reads. Implementations: {@link
 * TokenEmbeddingTextEncoder} for the {@code tiny} and {@code small} presets; T5-XXL for the paper's
 * model comes in its own issue.
 *
 * <p>Legend: T = text tokens per segment, C = the encoder's output width ({@code text_embed_dim}).
 */
public interface TextEncoder {
  /** T, tokens per prompt (padded or truncated to it). */
  int tokens();

  /** C, the width of each token's embedding. */
  int dim();

  /** The embeddings of {@code prompt}: {@code [T, C]}. */
  Tensor encode(Compute compute, String prompt);
}
