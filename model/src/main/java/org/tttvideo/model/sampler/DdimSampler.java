package org.tttvideo.model.sampler;

import java.util.Random;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;

/**
 * CogVideoX's sampler as a pure class: the noise schedule of {@code CogVideoXDDIMScheduler} with
 * CogVideoX-5B's configuration, deterministic DDIM (η = 0) for a v-predicting model, and
 * classifier-free guidance with the reference's dynamic scale. No state: the caller keeps the step
 * index, the sample and the random generator.
 *
 * <pre>{@code
 * DdimSampler sampler = new DdimSampler(50, 6.0, 5.0);
 * Tensor x = DdimSampler.noise(new Random(seed), shape);
 * for (int i = 0; i < sampler.steps(); i++) {
 *   Tensor v = sampler.guide(c, vUncond(x, sampler.timestep(i)), vCond(...), i);
 *   x = sampler.step(c, i, v, x);
 * }
 * }</pre>
 *
 * <p>Notation (variable -> DDIM paper / diffusers):
 *
 * <ul>
 *   <li>{@code alphasCumprod[t]} -> ᾱ_t, {@code alpha_prod_t}: cumulative product of 1 − β over the
 *       1000 training steps; β "scaled linear" from 0.00085 to 0.012 (linear in √β); SNR shift 1.0
 *       (none, CogVideoX-5B); rescaled so that ᾱ_999 = 0 (zero terminal SNR, Lin et al. 2023)
 *   <li>{@code timestep(i)} -> t_i: "trailing" spacing, {@code round(1000 − i·1000/n) − 1}
 *   <li>{@code prev} -> t − 1000 div n; ᾱ_prev = 1 below zero ({@code set_alpha_to_one})
 *   <li>{@code v} -> the model output, v = √ᾱ ε − √(1−ᾱ) x₀; so x₀ = √ᾱ x_t − √(1−ᾱ) v
 *   <li>{@code x_prev = a_t x_t + b_t x₀}, a_t = √((1 − ᾱ_prev)/(1 − ᾱ_t)), b_t = √ᾱ_prev − √ᾱ_t
 *       a_t (DDIM eq. 12 with σ = 0, written as in diffusers' CogVideoX scheduler)
 *   <li>{@code guidanceScale(i)} -> w_i = 1 + s (1 − cos(π (i/n)^e)) / 2, rising from 1 to about 1
 *       + s (reference {@code DynamicCFG}, s = 6, e = 5); guided v = v_u + w_i (v_c − v_u)
 * </ul>
 *
 * <p>About the guidance schedule: the reference implementations feed {@code num_steps − t} with the
 * training timestep t (999 .. 0) into the formula, which leaves [0, 1] and makes the scale jump
 * around; this class uses the step fraction i/n the formula is written for, so the scale rises
 * smoothly from 1 to nearly 1 + s.
 */
public final class DdimSampler {
  public static final int TRAIN_TIMESTEPS = 1000;
  public static final double BETA_START = 0.00085;
  public static final double BETA_END = 0.012;
  public static final double SNR_SHIFT_SCALE = 1.0;

  private static final double[] ALPHAS_CUMPROD = alphasCumprod(SNR_SHIFT_SCALE);

  private final int steps;
  private final double guidanceScale;
  private final double guidanceExponent;
  private final int[] timesteps;

  /**
   * @param steps n, denoising steps (1 .. 1000)
   * @param guidanceScale s, the top of the dynamic guidance schedule (0 for none)
   * @param guidanceExponent e
   */
  public DdimSampler(int steps, double guidanceScale, double guidanceExponent) {
    if (steps < 1 || steps > TRAIN_TIMESTEPS) {
      throw new IllegalArgumentException(
          "steps must be in 1.." + TRAIN_TIMESTEPS + ", got " + steps);
    }
    if (!(guidanceScale >= 0) || !(guidanceExponent > 0)) {
      throw new IllegalArgumentException(
          "guidance scale must be >= 0 and exponent > 0, got "
              + guidanceScale
              + ", "
              + guidanceExponent);
    }
    this.steps = steps;
    this.guidanceScale = guidanceScale;
    this.guidanceExponent = guidanceExponent;
    this.timesteps = trailingTimesteps(steps);
  }

  /** ᾱ over the training timesteps (float64, as diffusers computes it). */
  static double[] alphasCumprod(double shift) {
    double[] ac = new double[TRAIN_TIMESTEPS];
    double a = Math.sqrt(BETA_START);
    double b = Math.sqrt(BETA_END);
    double prod = 1.0;
    for (int i = 0; i < TRAIN_TIMESTEPS; i++) {
      double sqrtBeta = a + (b - a) * i / (TRAIN_TIMESTEPS - 1);
      prod *= 1.0 - sqrtBeta * sqrtBeta;
      ac[i] = prod / (shift + (1 - shift) * prod);
    }
    double s0 = Math.sqrt(ac[0]);
    double sT = Math.sqrt(ac[TRAIN_TIMESTEPS - 1]);
    for (int i = 0; i < TRAIN_TIMESTEPS; i++) {
      double s = (Math.sqrt(ac[i]) - sT) * (s0 / (s0 - sT));
      ac[i] = s * s;
    }
    return ac;
  }

  /** ᾱ_t. */
  public static double alphaCumprod(int t) {
    return ALPHAS_CUMPROD[t];
  }

  /** "trailing": {@code round(arange(1000, 0, −1000/n)) − 1}, numpy's arange and round. */
  static int[] trailingTimesteps(int n) {
    double ratio = TRAIN_TIMESTEPS / (double) n;
    int len = (int) Math.ceil((0 - TRAIN_TIMESTEPS) / -ratio);
    int[] t = new int[len];
    for (int i = 0; i < len; i++) {
      t[i] = (int) Math.rint(TRAIN_TIMESTEPS + i * -ratio) - 1;
    }
    return t;
  }

  public int steps() {
    return steps;
  }

  /** The timestep t_i the model sees at step {@code i}. */
  public int timestep(int i) {
    return timesteps[i];
  }

  /** All timesteps, first to last. */
  public int[] timesteps() {
    return timesteps.clone();
  }

  /** w_i of the dynamic guidance schedule. */
  public double guidanceScale(int i) {
    return 1
        + guidanceScale
            * (1 - Math.cos(Math.PI * Math.pow(i / (double) steps, guidanceExponent)))
            / 2;
  }

  /** {@code v_u + w_i (v_c − v_u)}. */
  public Tensor guide(Compute c, Tensor vUncond, Tensor vCond, int i) {
    return c.add(vUncond, c.scale(c.sub(vCond, vUncond), (float) guidanceScale(i)));
  }

  /** One DDIM step from x_{t_i} with the model output {@code v} to x at the next timestep. */
  public Tensor step(Compute c, int i, Tensor v, Tensor sample) {
    int t = timesteps[i];
    int prev = t - TRAIN_TIMESTEPS / steps;
    double a = ALPHAS_CUMPROD[t];
    double aPrev = prev >= 0 ? ALPHAS_CUMPROD[prev] : 1.0;
    Tensor x0 = c.sub(c.scale(sample, (float) Math.sqrt(a)), c.scale(v, (float) Math.sqrt(1 - a)));
    double at = Math.sqrt((1 - aPrev) / (1 - a));
    double bt = Math.sqrt(aPrev) - Math.sqrt(a) * at;
    return c.add(c.scale(sample, (float) at), c.scale(x0, (float) bt));
  }

  /** Standard normal noise of the given shape from {@code random} (its Gaussian sequence). */
  public static Tensor noise(Random random, int... shape) {
    Tensor t = Tensor.zeros(shape);
    float[] a = t.data();
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextGaussian();
    }
    return t;
  }
}
