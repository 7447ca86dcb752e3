package org.tttvideo.model.dit;

import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.LinearWeight;
import org.tttvideo.model.compute.Tensor;

/**
 * The output norm ({@code norm_out}, diffusers {@code AdaLayerNorm} with {@code chunk_dim=1}):
 * layer norm modulated by a shift and scale from the time embedding, the same for every token.
 *
 * <p>Legend: B = batch, V = video tokens, W = width, E = time-embedding dim.
 */
public final class AdaLayerNorm {
  private static final Tensor SCALE_ROW = Tensor.of(new float[] {0, 1}, 2, 1); // [2, 1]

  private final int width; // W
  private final LinearWeight linear; // [2W, E], bias [2W]
  private final LayerNorm norm; // [W]

  AdaLayerNorm(int width, LinearWeight linear, LayerNorm norm) {
    this.width = width;
    this.linear = linear;
    this.norm = norm;
  }

  /** {@code LN(x) ⊙ (1 + scale) + shift}: {@code x [B, V, W]}, {@code temb [B, E]}. */
  Tensor forward(Compute c, Tensor x, Tensor temb) {
    int nb = temb.dim(0);
    Tensor mods =
        c.add(
            c.linearBound(Activations.silu(c, temb), linear).reshape(nb, 2, width),
            SCALE_ROW); // [B, E] -> [B, 2W] -> [B, 2, W]: shift, 1 + scale
    Tensor shift = Tensors.rows(mods, 0, 1); // [B, 1, W]
    Tensor scale = Tensors.rows(mods, 1, 2); // [B, 1, W]
    Tensor n = norm.forward(c, x);
    return c.add(c.mul(n, scale.reshape(nb, 1, width)), shift.reshape(nb, 1, width));
  }
}
