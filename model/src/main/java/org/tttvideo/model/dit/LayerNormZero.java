package org.tttvideo.model.dit;

import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.LinearWeight;
import org.tttvideo.model.compute.Tensor;

/**
 * A block's adaptive layer norm ({@code norm1}, {@code norm2}; diffusers {@code
 * CogVideoXLayerNormZero}): from the time embedding, six modulation vectors, shift, 1 + scale and
 * gate for the video tokens, then the same for the text tokens; the tokens are layer-normed and
 * modulated with their own set, and the gate scales the sub-layer's output on the residual.
 *
 * <p>Legend: B = batch, L = tokens, T = text tokens (first rows), W = width, E = time-embedding
 * dim.
 */
public final class LayerNormZero {
  /** Index of a vector in a set of three: shift, 1 + scale, gate. */
  static final int SHIFT = 0;

  static final int SCALE = 1;
  static final int GATE = 2;

  private static final Tensor SCALE_ROWS = // [6, 1]: 1 on the two scale rows, else 0
      Tensor.of(new float[] {0, 1, 0, 0, 1, 0}, 6, 1);

  private final int width; // W
  private final LinearWeight linear; // [6W, E], bias [6W]
  private final LayerNorm norm; // [W], no eps from the checkpoint: ModelConfig.NORM_EPS

  LayerNormZero(int width, LinearWeight linear, LayerNorm norm) {
    this.width = width;
    this.linear = linear;
    this.norm = norm;
  }

  /** The six vectors {@code [B, 6, W]} in diffusers' chunk order, the scales with the 1 added. */
  Tensor modulation(Compute c, Tensor temb) {
    Tensor mods = c.linearBound(Activations.silu(c, temb), linear); // [B, E] -> [B, 6W]
    return c.add(mods.reshape(temb.dim(0), 6, width), SCALE_ROWS); // [B, 6, W]
  }

  /** {@code LN(x) ⊙ (1 + scale) + shift} on {@code x [B, L, W]}, text rows with the text set. */
  Tensor modulate(Compute c, Tensor x, Tensor mods, int text) {
    int len = x.dim(1);
    Tensor n = norm.forward(c, x);
    return c.add(c.mul(n, rowsOf(c, mods, SCALE, text, len)), rowsOf(c, mods, SHIFT, text, len));
  }

  /**
   * Per-row modulation {@code [B, L, W]} from {@code mods [B, 6, W]}: row i takes vector {@code
   * which} ({@link #SHIFT}, {@link #SCALE} or {@link #GATE}) of the text set for the first {@code
   * textRows} rows, of the video set for the others.
   */
  static Tensor rowsOf(Compute c, Tensor mods, int which, int textRows, int totalRows) {
    int[] idx = new int[totalRows];
    for (int i = 0; i < totalRows; i++) {
      idx[i] = (i < textRows ? 3 : 0) + which;
    }
    return c.gather(mods, 1, idx);
  }
}
