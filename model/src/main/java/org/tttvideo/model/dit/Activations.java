package org.tttvideo.model.dit;

import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;

/** Activations the parts share that the {@link Compute} interface has no single operation for. */
final class Activations {
  private Activations() {}

  /** {@code x ⊙ sigmoid(x)}, element-wise (torch {@code silu}); any shape. */
  static Tensor silu(Compute c, Tensor x) {
    return c.mul(x, c.sigmoid(x));
  }
}
