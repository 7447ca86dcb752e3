package org.tttvideo.model.dit;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tttvideo.model.compute.LinearWeight;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.config.TttMode;
import org.tttvideo.model.ttt.BidirectionalTtt;
import org.tttvideo.model.ttt.TttLayer;
import org.tttvideo.model.ttt.TttParams;

/**
 * Every tensor name of the diffusion transformer and its shape, derived from the config without
 * allocating anything, and the one place that binds those tensors to the model's parts ({@link
 * Binder}). Names follow diffusers' {@code CogVideoXTransformer3DModel} (so a converted CogVideoX
 * checkpoint maps by name); each block's TTT layer sits under {@code
 * transformer_blocks.<i>.ssm.ttt.} with the reference implementation's parameter names ({@link
 * TttParams}), and its four gates under the reference's gate names ({@link BidirectionalTtt}).
 *
 * <p>Legend: W = width, E = time-embedding dim, C = latent channels, p = patch size, D = head dim.
 */
public final class DitParameters {
  public static final String PATCH_PROJ_WEIGHT = "patch_embed.proj.weight";
  public static final String PATCH_PROJ_BIAS = "patch_embed.proj.bias";
  public static final String TEXT_PROJ_WEIGHT = "patch_embed.text_proj.weight";
  public static final String TEXT_PROJ_BIAS = "patch_embed.text_proj.bias";
  public static final String TIME_LINEAR_1_WEIGHT = "time_embedding.linear_1.weight";
  public static final String TIME_LINEAR_1_BIAS = "time_embedding.linear_1.bias";
  public static final String TIME_LINEAR_2_WEIGHT = "time_embedding.linear_2.weight";
  public static final String TIME_LINEAR_2_BIAS = "time_embedding.linear_2.bias";
  public static final String NORM_FINAL_WEIGHT = "norm_final.weight";
  public static final String NORM_FINAL_BIAS = "norm_final.bias";
  public static final String NORM_OUT_LINEAR_WEIGHT = "norm_out.linear.weight";
  public static final String NORM_OUT_LINEAR_BIAS = "norm_out.linear.bias";
  public static final String NORM_OUT_NORM_WEIGHT = "norm_out.norm.weight";
  public static final String NORM_OUT_NORM_BIAS = "norm_out.norm.bias";
  public static final String PROJ_OUT_WEIGHT = "proj_out.weight";
  public static final String PROJ_OUT_BIAS = "proj_out.bias";

  /** Names inside a block, relative to {@code transformer_blocks.<i>.}. */
  public static final String NORM1_LINEAR_WEIGHT = "norm1.linear.weight";

  public static final String NORM1_LINEAR_BIAS = "norm1.linear.bias";
  public static final String NORM1_NORM_WEIGHT = "norm1.norm.weight";
  public static final String NORM1_NORM_BIAS = "norm1.norm.bias";
  public static final String NORM_Q_WEIGHT = "attn1.norm_q.weight";
  public static final String NORM_Q_BIAS = "attn1.norm_q.bias";
  public static final String NORM_K_WEIGHT = "attn1.norm_k.weight";
  public static final String NORM_K_BIAS = "attn1.norm_k.bias";
  public static final String TO_Q_WEIGHT = "attn1.to_q.weight";
  public static final String TO_Q_BIAS = "attn1.to_q.bias";
  public static final String TO_K_WEIGHT = "attn1.to_k.weight";
  public static final String TO_K_BIAS = "attn1.to_k.bias";
  public static final String TO_V_WEIGHT = "attn1.to_v.weight";
  public static final String TO_V_BIAS = "attn1.to_v.bias";
  public static final String TO_OUT_WEIGHT = "attn1.to_out.0.weight";
  public static final String TO_OUT_BIAS = "attn1.to_out.0.bias";
  public static final String NORM2_LINEAR_WEIGHT = "norm2.linear.weight";
  public static final String NORM2_LINEAR_BIAS = "norm2.linear.bias";
  public static final String NORM2_NORM_WEIGHT = "norm2.norm.weight";
  public static final String NORM2_NORM_BIAS = "norm2.norm.bias";
  public static final String FF_IN_WEIGHT = "ff.net.0.proj.weight";
  public static final String FF_IN_BIAS = "ff.net.0.proj.bias";
  public static final String FF_OUT_WEIGHT = "ff.net.2.weight";
  public static final String FF_OUT_BIAS = "ff.net.2.bias";

  /** Prefix of the TTT layer's parameters inside a block (reference: {@code ssm.ttt.}). */
  public static final String TTT_PREFIX = "ssm.ttt.";

  private DitParameters() {}

  /** {@code transformer_blocks.<i>.} */
  public static String block(int i) {
    return "transformer_blocks." + i + ".";
  }

  /** All names and shapes of the transformer, in checkpoint order. Allocates no weights. */
  public static Map<String, int[]> shapes(ModelConfig c) {
    int w = c.width();
    int e = c.timeEmbedDim();
    int d = c.headDim();
    int ff = c.derived().ffInnerDim();
    int p = c.patchSize();
    int ch = c.latentChannels();
    Map<String, int[]> m = new LinkedHashMap<>();
    m.put(PATCH_PROJ_WEIGHT, new int[] {w, ch, p, p}); // Conv2d(C, W, kernel p, stride p)
    m.put(PATCH_PROJ_BIAS, new int[] {w});
    m.put(TEXT_PROJ_WEIGHT, new int[] {w, c.textDim()});
    m.put(TEXT_PROJ_BIAS, new int[] {w});
    m.put(TIME_LINEAR_1_WEIGHT, new int[] {e, w});
    m.put(TIME_LINEAR_1_BIAS, new int[] {e});
    m.put(TIME_LINEAR_2_WEIGHT, new int[] {e, e});
    m.put(TIME_LINEAR_2_BIAS, new int[] {e});
    for (int i = 0; i < c.layers(); i++) {
      String b = block(i);
      m.put(b + NORM1_LINEAR_WEIGHT, new int[] {6 * w, e});
      m.put(b + NORM1_LINEAR_BIAS, new int[] {6 * w});
      m.put(b + NORM1_NORM_WEIGHT, new int[] {w});
      m.put(b + NORM1_NORM_BIAS, new int[] {w});
      m.put(b + NORM_Q_WEIGHT, new int[] {d});
      m.put(b + NORM_Q_BIAS, new int[] {d});
      m.put(b + NORM_K_WEIGHT, new int[] {d});
      m.put(b + NORM_K_BIAS, new int[] {d});
      for (String proj : new String[] {TO_Q_WEIGHT, TO_K_WEIGHT, TO_V_WEIGHT, TO_OUT_WEIGHT}) {
        m.put(b + proj, new int[] {w, w});
        m.put(b + proj.replace(".weight", ".bias"), new int[] {w});
      }
      if (c.ttt() != TttMode.NONE) {
        for (Map.Entry<String, int[]> t : TttParams.expectedShapes(c.tttConfig()).entrySet()) {
          m.put(b + TTT_PREFIX + t.getKey(), t.getValue());
        }
        for (String g : gateNames()) {
          m.put(b + g, new int[] {w});
        }
      }
      m.put(b + NORM2_LINEAR_WEIGHT, new int[] {6 * w, e});
      m.put(b + NORM2_LINEAR_BIAS, new int[] {6 * w});
      m.put(b + NORM2_NORM_WEIGHT, new int[] {w});
      m.put(b + NORM2_NORM_BIAS, new int[] {w});
      m.put(b + FF_IN_WEIGHT, new int[] {ff, w});
      m.put(b + FF_IN_BIAS, new int[] {ff});
      m.put(b + FF_OUT_WEIGHT, new int[] {w, ff});
      m.put(b + FF_OUT_BIAS, new int[] {w});
    }
    m.put(NORM_FINAL_WEIGHT, new int[] {w});
    m.put(NORM_FINAL_BIAS, new int[] {w});
    m.put(NORM_OUT_LINEAR_WEIGHT, new int[] {2 * w, e});
    m.put(NORM_OUT_LINEAR_BIAS, new int[] {2 * w});
    m.put(NORM_OUT_NORM_WEIGHT, new int[] {w});
    m.put(NORM_OUT_NORM_BIAS, new int[] {w});
    m.put(PROJ_OUT_WEIGHT, new int[] {c.derived().patchDim(), w});
    m.put(PROJ_OUT_BIAS, new int[] {c.derived().patchDim()});
    return m;
  }

  /** The four gate names of a block, in the reference's order. */
  public static String[] gateNames() {
    return new String[] {
      BidirectionalTtt.FORWARD_TEXT,
      BidirectionalTtt.FORWARD_VIDEO,
      BidirectionalTtt.BACKWARD_TEXT,
      BidirectionalTtt.BACKWARD_VIDEO
    };
  }

  /** Whether {@code name} (a key of {@link #shapes}) belongs to a block's TTT layer or gates. */
  public static boolean isTtt(String name) {
    return name.contains("." + TTT_PREFIX) || name.contains("_ssm_gating_");
  }

  /** Elements of all tensors in {@code shapes}. */
  public static long count(Map<String, int[]> shapes) {
    long n = 0;
    for (int[] s : shapes.values()) {
      long k = 1;
      for (int d : s) {
        k *= d;
      }
      n += k;
    }
    return n;
  }

  /** The prefix of a layer's checkpoint names: {@code "attn1.to_q.weight" -> "attn1.to_q"}. */
  private static String layerOf(String weightName) {
    return weightName.substring(0, weightName.length() - ".weight".length());
  }

  /**
   * Binds the transformer's parts from checkpoint-named tensors, each tensor once: strict (every
   * name of {@link #shapes} present with its shape; a name in the transformer's namespace that
   * {@link #shapes} does not list is rejected; names of other components, such as {@code
   * text_encoder.}, are left to their own loaders).
   */
  static final class Binder {
    /** First components of the transformer's names; other names belong to other components. */
    private static final List<String> NAMESPACE =
        List.of(
            "patch_embed.",
            "time_embedding.",
            "transformer_blocks.",
            "norm_final.",
            "norm_out.",
            "proj_out.");

    private final ModelConfig config;
    private final Map<String, Tensor> weights;
    private final Map<String, int[]> expected;
    private final Set<String> bound = new HashSet<>();

    /**
     * @throws IllegalArgumentException naming the first missing or wrongly shaped tensor (in
     *     checkpoint order), or an unknown one in the transformer's namespace
     */
    Binder(ModelConfig config, Map<String, Tensor> weights) {
      this.config = config;
      this.weights = weights;
      this.expected = shapes(config);
      for (Map.Entry<String, int[]> e : expected.entrySet()) {
        Tensor t = weights.get(e.getKey());
        if (t == null) {
          throw new IllegalArgumentException("missing transformer tensor '" + e.getKey() + "'");
        }
        if (!Arrays.equals(t.shape(), e.getValue())) {
          throw new IllegalArgumentException(
              "transformer tensor '"
                  + e.getKey()
                  + "' must have shape "
                  + Arrays.toString(e.getValue())
                  + ", got "
                  + Arrays.toString(t.shape()));
        }
      }
      for (String name : new TreeSet<>(weights.keySet())) {
        if (!expected.containsKey(name) && NAMESPACE.stream().anyMatch(name::startsWith)) {
          throw new IllegalArgumentException(
              "unexpected transformer tensor '"
                  + name
                  + "' with shape "
                  + Arrays.toString(weights.get(name).shape())
                  + ": preset '"
                  + config.name()
                  + "' has no such parameter");
        }
      }
    }

    /** The tensor under {@code name}, marked as bound; binding a name twice is a bug here. */
    private Tensor take(String name) {
      if (!bound.add(name)) {
        throw new IllegalStateException("transformer tensor '" + name + "' bound twice");
      }
      return weights.get(name);
    }

    private LinearWeight linear(String weightName, String biasName) {
      return LinearWeight.of(layerOf(weightName), take(weightName), take(biasName));
    }

    private LayerNorm norm(String weightName, String biasName, float eps) {
      return new LayerNorm(take(weightName), take(biasName), eps);
    }

    PatchEmbed patchEmbed() {
      Tensor conv = take(PATCH_PROJ_WEIGHT); // [W, C, p, p] -> [W, C·p·p]
      LinearWeight proj =
          LinearWeight.of(
              layerOf(PATCH_PROJ_WEIGHT),
              conv.reshape(config.width(), config.derived().patchDim()),
              take(PATCH_PROJ_BIAS));
      return new PatchEmbed(config, proj, linear(TEXT_PROJ_WEIGHT, TEXT_PROJ_BIAS));
    }

    TimestepEmbedding timestepEmbedding() {
      return new TimestepEmbedding(
          config.width(),
          linear(TIME_LINEAR_1_WEIGHT, TIME_LINEAR_1_BIAS),
          linear(TIME_LINEAR_2_WEIGHT, TIME_LINEAR_2_BIAS));
    }

    CogVideoXBlock transformerBlock(int i, TokenPositions positions) {
      String b = block(i);
      LayerNormZero norm1 =
          new LayerNormZero(
              config.width(),
              linear(b + NORM1_LINEAR_WEIGHT, b + NORM1_LINEAR_BIAS),
              norm(b + NORM1_NORM_WEIGHT, b + NORM1_NORM_BIAS, ModelConfig.NORM_EPS));
      SegmentAttention attn1 =
          new SegmentAttention(
              config.heads(),
              config.headDim(),
              linear(b + TO_Q_WEIGHT, b + TO_Q_BIAS),
              linear(b + TO_K_WEIGHT, b + TO_K_BIAS),
              linear(b + TO_V_WEIGHT, b + TO_V_BIAS),
              linear(b + TO_OUT_WEIGHT, b + TO_OUT_BIAS),
              norm(b + NORM_Q_WEIGHT, b + NORM_Q_BIAS, ModelConfig.QK_NORM_EPS),
              norm(b + NORM_K_WEIGHT, b + NORM_K_BIAS, ModelConfig.QK_NORM_EPS));
      BidirectionalTtt ssm = null;
      if (config.ttt() != TttMode.NONE) {
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (String k : TttParams.expectedShapes(config.tttConfig()).keySet()) {
          named.put(k, take(b + TTT_PREFIX + k));
        }
        TttLayer layer =
            new TttLayer(config.tttConfig(), TttParams.fromNamed(config.tttConfig(), named));
        ssm =
            new BidirectionalTtt(
                layer,
                take(b + BidirectionalTtt.FORWARD_TEXT),
                take(b + BidirectionalTtt.FORWARD_VIDEO),
                take(b + BidirectionalTtt.BACKWARD_TEXT),
                take(b + BidirectionalTtt.BACKWARD_VIDEO));
      }
      LayerNormZero norm2 =
          new LayerNormZero(
              config.width(),
              linear(b + NORM2_LINEAR_WEIGHT, b + NORM2_LINEAR_BIAS),
              norm(b + NORM2_NORM_WEIGHT, b + NORM2_NORM_BIAS, ModelConfig.NORM_EPS));
      FeedForward ff =
          new FeedForward(
              linear(b + FF_IN_WEIGHT, b + FF_IN_BIAS), linear(b + FF_OUT_WEIGHT, b + FF_OUT_BIAS));
      return new CogVideoXBlock(config, positions, norm1, attn1, ssm, norm2, ff);
    }

    LayerNorm normFinal() {
      return norm(NORM_FINAL_WEIGHT, NORM_FINAL_BIAS, ModelConfig.NORM_EPS);
    }

    AdaLayerNorm normOut() {
      return new AdaLayerNorm(
          config.width(),
          linear(NORM_OUT_LINEAR_WEIGHT, NORM_OUT_LINEAR_BIAS),
          norm(NORM_OUT_NORM_WEIGHT, NORM_OUT_NORM_BIAS, ModelConfig.NORM_EPS));
    }

    LinearWeight projOut() {
      return linear(PROJ_OUT_WEIGHT, PROJ_OUT_BIAS);
    }

    /** Checks that every expected tensor was bound: a part that forgot one is a bug here. */
    void finish() {
      if (!bound.equals(expected.keySet())) {
        Set<String> left = new TreeSet<>(expected.keySet());
        left.removeAll(bound);
        throw new IllegalStateException("transformer tensors never bound: " + left);
      }
    }
  }
}
