package org.tttvideo.model.dit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.config.TttMode;
import org.tttvideo.model.ttt.BidirectionalTtt;
import org.tttvideo.model.ttt.TttParams;

/**
 * Every tensor name of the diffusion transformer and its shape, derived from the config without
 * allocating anything. Names follow diffusers' {@code CogVideoXTransformer3DModel} (so a converted
 * CogVideoX checkpoint maps by name); each block's TTT layer sits under {@code
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
}
