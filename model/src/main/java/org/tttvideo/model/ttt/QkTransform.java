package org.tttvideo.model.ttt;

import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;

/**
 * The seam for rotary position embeddings: applied to the L2-normalised queries and keys {@code [B,
 * H, L, D]} of the sequence handed to a TTT layer ({@code TTT_SPEC.md} §2.3). The transformer
 * supplies a 3D rotary embedding of its video tokens; the reference vectors use none.
 */
@FunctionalInterface
public interface QkTransform {
  /** No rotary embedding. */
  QkTransform IDENTITY = (compute, x, isQuery) -> x;

  /**
   * @param x queries or keys {@code [B, H, L, D]}
   * @param isQuery true for queries, false for keys
   * @return a tensor of the same shape
   */
  Tensor apply(Compute compute, Tensor x, boolean isQuery);
}
