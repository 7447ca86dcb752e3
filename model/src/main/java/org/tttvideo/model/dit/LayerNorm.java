package org.tttvideo.model.dit;

import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;

/**
 * An affine layer norm over the last dim ({@code torch.nn.LayerNorm}): the checkpoint's {@code
 * .weight} and {@code .bias} with the eps the module was built with.
 *
 * <p>Legend: N = normalised features (W for the block norms, D for the per-head Q, K norms).
 */
public final class LayerNorm {
  private final Tensor weight; // [N]
  private final Tensor bias; // [N]
  private final float eps;

  LayerNorm(Tensor weight, Tensor bias, float eps) {
    this.weight = weight;
    this.bias = bias;
    this.eps = eps;
  }

  /** {@code [..., N] -> [..., N]}. */
  Tensor forward(Compute c, Tensor x) {
    return c.layerNorm(x, weight, bias, eps);
  }
}
