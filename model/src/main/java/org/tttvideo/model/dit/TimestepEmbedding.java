package org.tttvideo.model.dit;

import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.LinearWeight;
import org.tttvideo.model.compute.Tensor;

/**
 * The time embedding ({@code time_embedding}, diffusers {@code TimestepEmbedding} after {@code
 * Timesteps(W, flip_sin_to_cos=True, freq_shift=0)}): sinusoidal features of the timestep, {@code
 * [cos, sin]}, then {@code linear_2(silu(linear_1(·)))}.
 *
 * <p>Legend: B = batch, W = width, E = time-embedding dim.
 */
public final class TimestepEmbedding {
  private final int width; // W, the number of sinusoidal features
  private final LinearWeight linear1; // [E, W], bias [E]
  private final LinearWeight linear2; // [E, E], bias [E]

  TimestepEmbedding(int width, LinearWeight linear1, LinearWeight linear2) {
    this.width = width;
    this.linear1 = linear1;
    this.linear2 = linear2;
  }

  /** {@code temb [B, E]} for {@code timestep}, the same for every batch entry. */
  Tensor forward(Compute c, float timestep, int batch) {
    int half = width / 2;
    float[] feat = new float[batch * width];
    for (int i = 0; i < half; i++) {
      float freq = (float) Math.exp(-Math.log(10000.0) * i / half);
      float arg = timestep * freq;
      for (int b = 0; b < batch; b++) {
        feat[b * width + i] = (float) Math.cos(arg);
        feat[b * width + half + i] = (float) Math.sin(arg);
      }
    }
    Tensor t = Tensor.of(feat, batch, width); // [B, W]
    Tensor h = c.linearBound(t, linear1); // [B, W] -> [B, E]
    return c.linearBound(Activations.silu(c, h), linear2); // [B, E] -> [B, E]
  }
}
