package org.tttvideo.model.dit;

import org.tttvideo.model.compute.Tensor;

/**
 * The activations of one segment inside the current block: what a work unit reads and writes.
 * Immutable; a unit returns a new value. Token rows are the segment's text tokens, then its video
 * tokens in (frame, row, column) order, which is also the segment's piece of the forward TTT scan.
 *
 * <p>Legend: B = batch (2 with classifier-free guidance: unconditional, conditional), L = T + V
 * tokens of the segment, W = width, H = heads, D = head dim.
 *
 * @param hidden the residual stream {@code [B, L, W]} entering the block
 * @param mix the sequence-modelling output {@code [B, L, W]} being built by this block: the
 *     attention output, then after the forward TTT scan {@code y1}, then after the backward scan
 *     {@code y}; null before the block's attention
 * @param keys attention keys {@code [B, L, H, D]} (layer-normed and rotated) for the {@code full}
 *     and {@code sliding} scopes; null otherwise
 * @param values attention values {@code [B, L, H, D]}, as {@code keys}
 */
public record SegmentActs(Tensor hidden, Tensor mix, Tensor keys, Tensor values) {

  public SegmentActs {
    if (hidden == null) {
      throw new IllegalArgumentException("hidden is required");
    }
  }

  /** A segment entering a block: only the residual stream. */
  public static SegmentActs of(Tensor hidden) {
    return new SegmentActs(hidden, null, null, null);
  }

  public SegmentActs withMix(Tensor newMix) {
    return new SegmentActs(hidden, newMix, keys, values);
  }

  public SegmentActs withKeyValues(Tensor k, Tensor v) {
    return new SegmentActs(hidden, mix, k, v);
  }
}
