package org.tttvideo.model.ttt;

import org.tttvideo.model.compute.TttKind;

/**
 * Configuration of one TTT layer. Derived sizes are computed once.
 *
 * @param width W, the model width
 * @param heads H; W must be a multiple of it
 * @param kind the inner model
 * @param miniBatch M, the TTT mini-batch size (16 when sampling in the reference configs)
 * @param baseLr {@code ttt_base_lr} (0.1 in the paper's model)
 */
public record TttConfig(int width, int heads, TttKind kind, int miniBatch, double baseLr) {
  /** Epsilon of the L2 normalisation of Q and K. */
  public static final float L2_EPS = 1e-12f;

  /** Epsilon of the reconstruction-target standardisation (outside the root). */
  public static final float TARGET_EPS = 1e-8f;

  /** Epsilon of {@code post_norm}. */
  public static final float POST_NORM_EPS = 1e-6f;

  public TttConfig {
    if (width <= 0 || heads <= 0 || width % heads != 0) {
      throw new IllegalArgumentException(
          "width " + width + " must be a positive multiple of heads " + heads);
    }
    if (kind == null) {
      throw new IllegalArgumentException("kind is required: linear or mlp");
    }
    if (miniBatch <= 0) {
      throw new IllegalArgumentException("miniBatch must be positive, got " + miniBatch);
    }
    if (!(baseLr > 0) || Double.isInfinite(baseLr)) {
      throw new IllegalArgumentException("baseLr must be a positive finite number, got " + baseLr);
    }
  }

  /** D = W / H. */
  public int headDim() {
    return width / heads;
  }

  /** F: D for TTT-Linear, 4D for TTT-MLP. */
  public int innerWidth() {
    return kind.innerWidth(headDim());
  }

  /** The factor applied to the sigmoid of the learnable rate: {@code base_lr / D / M}. */
  public float etaScale() {
    return (float) (baseLr / headDim() / miniBatch);
  }
}
