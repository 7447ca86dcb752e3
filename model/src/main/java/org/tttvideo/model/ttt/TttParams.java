package org.tttvideo.model.ttt;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttKind;

/**
 * The parameters of one TTT layer, named as in the reference checkpoint ({@code TTT_SPEC.md} §1).
 * Every key string of a TTT layer lives here ({@link #toNamedTensors()} and {@link #fromNamed}).
 *
 * @param wqWeight {@code wq.weight [W, W]} (and likewise k, v, o; biases {@code [W]})
 * @param lrWeight {@code learnable_ttt_lr_weight [H, 1, W]}
 * @param lrBias {@code learnable_ttt_lr_bias [H, 1]}
 * @param normWeight {@code ttt_norm_weight [H, D]}
 * @param normBias {@code ttt_norm_bias [H, D]}
 * @param postNormWeight {@code post_norm.weight [W]}
 * @param postNormBias {@code post_norm.bias [W]}
 * @param w1 {@code W1 [H, D, F]}
 * @param b1 {@code b1 [H, 1, F]}
 * @param w2 {@code W2 [H, F, D]}, TTT-MLP only (else null)
 * @param b2 {@code b2 [H, 1, D]}, TTT-MLP only (else null)
 */
public record TttParams(
    Tensor wqWeight,
    Tensor wqBias,
    Tensor wkWeight,
    Tensor wkBias,
    Tensor wvWeight,
    Tensor wvBias,
    Tensor woWeight,
    Tensor woBias,
    Tensor lrWeight,
    Tensor lrBias,
    Tensor normWeight,
    Tensor normBias,
    Tensor postNormWeight,
    Tensor postNormBias,
    Tensor w1,
    Tensor b1,
    Tensor w2,
    Tensor b2) {

  /** The expected parameter names and shapes for {@code config}, in checkpoint order. */
  public static Map<String, int[]> expectedShapes(TttConfig config) {
    int w = config.width();
    int h = config.heads();
    int d = config.headDim();
    int f = config.innerWidth();
    Map<String, int[]> m = new LinkedHashMap<>();
    for (String p : new String[] {"wq", "wk", "wv", "wo"}) {
      m.put(p + ".weight", new int[] {w, w});
      m.put(p + ".bias", new int[] {w});
    }
    m.put("learnable_ttt_lr_weight", new int[] {h, 1, w});
    m.put("learnable_ttt_lr_bias", new int[] {h, 1});
    m.put("ttt_norm_weight", new int[] {h, d});
    m.put("ttt_norm_bias", new int[] {h, d});
    m.put("post_norm.weight", new int[] {w});
    m.put("post_norm.bias", new int[] {w});
    m.put("W1", new int[] {h, d, f});
    m.put("b1", new int[] {h, 1, f});
    if (config.kind() == TttKind.MLP) {
      m.put("W2", new int[] {h, f, d});
      m.put("b2", new int[] {h, 1, d});
    }
    return m;
  }

  /**
   * Builds the parameters from tensors named as in the checkpoint (without any module prefix).
   * Every expected name must be present with its expected shape.
   *
   * @throws IllegalArgumentException naming the first missing tensor or wrong shape
   */
  public static TttParams fromNamed(TttConfig config, Map<String, Tensor> named) {
    Map<String, int[]> expected = expectedShapes(config);
    for (Map.Entry<String, int[]> e : expected.entrySet()) {
      Tensor t = named.get(e.getKey());
      if (t == null) {
        throw new IllegalArgumentException("missing TTT parameter '" + e.getKey() + "'");
      }
      if (!Arrays.equals(t.shape(), e.getValue())) {
        throw new IllegalArgumentException(
            "TTT parameter '"
                + e.getKey()
                + "' must have shape "
                + Arrays.toString(e.getValue())
                + ", got "
                + Arrays.toString(t.shape()));
      }
    }
    return new TttParams(
        named.get("wq.weight"),
        named.get("wq.bias"),
        named.get("wk.weight"),
        named.get("wk.bias"),
        named.get("wv.weight"),
        named.get("wv.bias"),
        named.get("wo.weight"),
        named.get("wo.bias"),
        named.get("learnable_ttt_lr_weight"),
        named.get("learnable_ttt_lr_bias"),
        named.get("ttt_norm_weight"),
        named.get("ttt_norm_bias"),
        named.get("post_norm.weight"),
        named.get("post_norm.bias"),
        named.get("W1"),
        named.get("b1"),
        named.get("W2"),
        named.get("b2"));
  }

  /** The parameters under their checkpoint names, in checkpoint order. */
  public Map<String, Tensor> toNamedTensors() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("wq.weight", wqWeight);
    m.put("wq.bias", wqBias);
    m.put("wk.weight", wkWeight);
    m.put("wk.bias", wkBias);
    m.put("wv.weight", wvWeight);
    m.put("wv.bias", wvBias);
    m.put("wo.weight", woWeight);
    m.put("wo.bias", woBias);
    m.put("learnable_ttt_lr_weight", lrWeight);
    m.put("learnable_ttt_lr_bias", lrBias);
    m.put("ttt_norm_weight", normWeight);
    m.put("ttt_norm_bias", normBias);
    m.put("post_norm.weight", postNormWeight);
    m.put("post_norm.bias", postNormBias);
    m.put("W1", w1);
    m.put("b1", b1);
    if (w2 != null) {
      m.put("W2", w2);
      m.put("b2", b2);
    }
    return m;
  }

  /**
   * Deterministic initialisation as in the reference: linear weights, the learnable-rate weight and
   * W1/W2 from normal(0, 0.02); biases zero; norm weights one.
   */
  public static TttParams init(TttConfig config, java.util.Random random) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (Map.Entry<String, int[]> e : expectedShapes(config).entrySet()) {
      String name = e.getKey();
      Tensor t = Tensor.zeros(e.getValue());
      float[] a = t.data();
      if (name.endsWith(".weight") && !name.startsWith("post_norm")
          || name.equals("learnable_ttt_lr_weight")
          || name.equals("W1")
          || name.equals("W2")) {
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) (0.02 * random.nextGaussian());
        }
      } else if (name.equals("ttt_norm_weight") || name.equals("post_norm.weight")) {
        Arrays.fill(a, 1f);
      }
      m.put(name, t);
    }
    return fromNamed(config, m);
  }
}
