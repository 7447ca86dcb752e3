package org.tttvideo.model.compute;

import java.util.Arrays;

/**
 * A linear layer's weights, bound once when the model is built: {@code y = x Wᵀ + b}. Backends
 * whose kernel wants the weight as {@code Wᵀ [in, out]} (the vector backend broadcasts rows of x
 * against rows of Wᵀ) take {@link #transposed()}, which is made on first use and kept, instead of
 * transposing the weight on every call as {@link Compute#linear} must.
 *
 * <pre>{@code
 * LinearWeight toQ = LinearWeight.of("attn1.to_q", w, b);   // w [out, in], b [out]
 * Tensor q = c.linearBound(x, toQ);                        // [..., in] -> [..., out]
 * }</pre>
 *
 * <p>Legend: out = output features, in = input features.
 */
public final class LinearWeight {
  private final String name;
  private final Tensor weight; // [out, in], the checkpoint's layout
  private final Tensor bias; // [out], or null
  private volatile float[] transposed; // [in, out] row-major, made on first use

  private LinearWeight(String name, Tensor weight, Tensor bias) {
    this.name = name;
    this.weight = weight;
    this.bias = bias;
  }

  /**
   * @param name the layer's checkpoint name, for messages
   * @param weight {@code [out, in]}
   * @param bias {@code [out]}, or null for none
   * @throws IllegalArgumentException naming the layer when the shapes do not fit
   */
  public static LinearWeight of(String name, Tensor weight, Tensor bias) {
    if (weight == null || weight.rank() != 2) {
      throw new IllegalArgumentException(
          "linear layer '"
              + name
              + "': weight must be [out, in], got "
              + (weight == null ? "null" : Arrays.toString(weight.shape())));
    }
    if (bias != null && (bias.rank() != 1 || bias.dim(0) != weight.dim(0))) {
      throw new IllegalArgumentException(
          "linear layer '"
              + name
              + "': bias must be [out] = ["
              + weight.dim(0)
              + "], got "
              + Arrays.toString(bias.shape()));
    }
    return new LinearWeight(name, weight, bias);
  }

  /** The layer's checkpoint name ({@code "attn1.to_q"}), for messages. */
  public String name() {
    return name;
  }

  /** {@code [out, in]}. */
  public Tensor weight() {
    return weight;
  }

  /** {@code [out]}, or null. */
  public Tensor bias() {
    return bias;
  }

  public int out() {
    return weight.dim(0);
  }

  public int in() {
    return weight.dim(1);
  }

  /**
   * {@code Wᵀ [in, out]} row-major, made once (on the first call) and shared by every later call;
   * callers must not modify it. Two threads racing on the first call each make an equal copy, and
   * one of them is kept.
   */
  public float[] transposed() {
    float[] t = transposed;
    if (t == null) {
      int out = out();
      int in = in();
      float[] src = weight.data();
      t = new float[src.length];
      for (int o = 0; o < out; o++) {
        for (int i = 0; i < in; i++) {
          t[i * out + o] = src[o * in + i]; // [out, in] -> [in, out]
        }
      }
      transposed = t;
    }
    return t;
  }

  @Override
  public String toString() {
    return "LinearWeight[" + name + " " + Arrays.toString(weight.shape()) + "]";
  }
}
