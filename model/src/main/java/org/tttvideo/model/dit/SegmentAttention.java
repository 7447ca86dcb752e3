package org.tttvideo.model.dit;

import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.LinearWeight;
import org.tttvideo.model.compute.Tensor;

/**
 * A block's self-attention ({@code attn1}, diffusers {@code Attention} with {@code
 * CogVideoXAttnProcessor2_0}): Q, K, V projections with a per-head layer norm on Q and K, scaled
 * dot-product attention without a mask, and the output projection. Which tokens attend to which (a
 * segment's window, or shared keys) is the block's business ({@link CogVideoXBlock}); rotary
 * positions are applied by the caller between projection and attention.
 *
 * <p>Legend: B = batch, L = tokens (Lq queries, Lk keys), W = width, H = heads, D = head dim.
 */
public final class SegmentAttention {
  private final int heads; // H
  private final int headDim; // D
  private final LinearWeight toQ; // [W, W], bias [W]
  private final LinearWeight toK; // [W, W], bias [W]
  private final LinearWeight toV; // [W, W], bias [W]
  private final LinearWeight toOut; // [W, W] (to_out.0), bias [W]
  private final LayerNorm normQ; // [D]
  private final LayerNorm normK; // [D]

  SegmentAttention(
      int heads,
      int headDim,
      LinearWeight toQ,
      LinearWeight toK,
      LinearWeight toV,
      LinearWeight toOut,
      LayerNorm normQ,
      LayerNorm normK) {
    this.heads = heads;
    this.headDim = headDim;
    this.toQ = toQ;
    this.toK = toK;
    this.toV = toV;
    this.toOut = toOut;
    this.normQ = normQ;
    this.normK = normK;
  }

  /** Layer-normed queries {@code [B, L, W] -> [B, L, H, D]}, before rotary positions. */
  Tensor query(Compute c, Tensor n) {
    return normQ.forward(c, split(c.linearBound(n, toQ)));
  }

  /** Layer-normed keys {@code [B, L, W] -> [B, L, H, D]}, before rotary positions. */
  Tensor key(Compute c, Tensor n) {
    return normK.forward(c, split(c.linearBound(n, toK)));
  }

  /** Values {@code [B, L, W] -> [B, L, H, D]}. */
  Tensor value(Compute c, Tensor n) {
    return split(c.linearBound(n, toV));
  }

  /** {@code [B, L, W] -> [B, L, H, D]}. */
  private Tensor split(Tensor t) {
    return t.reshape(t.dim(0), t.dim(1), heads, headDim);
  }

  /**
   * Scaled dot-product attention, no mask, and the output projection: {@code q [B, Lq, H, D]},
   * {@code k, v [B, Lk, H, D]} -> {@code [B, Lq, W]}.
   */
  Tensor attend(Compute c, Tensor q, Tensor k, Tensor v) {
    int nb = q.dim(0);
    int lq = q.dim(1);
    float scale = (float) (1.0 / Math.sqrt(headDim));
    Tensor qh = c.permute(c.scale(q, scale), 0, 2, 1, 3); // [B, H, Lq, D]
    Tensor kh = c.permute(k, 0, 2, 1, 3); // [B, H, Lk, D]
    Tensor vh = c.permute(v, 0, 2, 1, 3); // [B, H, Lk, D]
    Tensor scores = c.matmul(qh, kh, true); // [B, H, Lq, D] @ [B, H, D, Lk] -> [B, H, Lq, Lk]
    Tensor out = c.matmul(c.softmax(scores), vh, false); // [B, H, Lq, Lk] @ [B, H, Lk, D]
    Tensor merged =
        c.permute(out, 0, 2, 1, 3)
            .reshape(nb, lq, heads * headDim); // -> [B, Lq, H, D] -> [B, Lq, W]
    return c.linearBound(merged, toOut); // [B, Lq, W] -> [B, Lq, W]
  }
}
