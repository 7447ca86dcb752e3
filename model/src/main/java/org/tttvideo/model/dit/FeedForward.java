package org.tttvideo.model.dit;

import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.LinearWeight;
import org.tttvideo.model.compute.Tensor;

/**
 * A block's feed-forward network ({@code ff}, diffusers {@code FeedForward} with {@code
 * gelu-approximate}): {@code net.2(gelu(net.0.proj(x)))}.
 *
 * <p>Legend: B = batch, L = tokens, W = width, F = inner width (4W).
 */
public final class FeedForward {
  private final LinearWeight net0Proj; // [F, W], bias [F]
  private final LinearWeight net2; // [W, F], bias [W]

  FeedForward(LinearWeight net0Proj, LinearWeight net2) {
    this.net0Proj = net0Proj;
    this.net2 = net2;
  }

  /** {@code [B, L, W] -> [B, L, W]}. */
  Tensor forward(Compute c, Tensor x) {
    Tensor h = c.gelu(c.linearBound(x, net0Proj)); // [B, L, W] -> [B, L, F]
    return c.linearBound(h, net2); // [B, L, F] -> [B, L, W]
  }
}
