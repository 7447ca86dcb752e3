package org.tttvideo.model.dit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.Comparison;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.Tolerance;
import org.tttvideo.model.compute.naive.NaiveCompute;
import org.tttvideo.model.config.AttentionScope;
import org.tttvideo.model.config.ModelConfig;

/**
 * The segment-window attention phase against a naive masked full attention written here in double
 * loops: every window is a mask over the whole sequence (all text, then all video), its tokens get
 * window-local rotary positions (the prefix frame is frame 0 of the next window), and a token that
 * sits in two windows gets the mean of its two outputs ({@code TTT_SPEC.md} §4).
 */
class WindowAttentionTest {
  private static final int SEGMENTS = 3;

  private final ModelConfig config =
      ModelConfig.tiny().toBuilder().attention(AttentionScope.SEGMENT).build();
  private final ModelWeights weights = ModelWeights.init(config, 7);
  private final DiffusionTransformer dit = weights.transformer();
  private final Compute c = new NaiveCompute();

  private List<SegmentActs> randomActs(Random rnd, int batch) {
    List<SegmentActs> acts = new ArrayList<>();
    for (int s = 0; s < SEGMENTS; s++) {
      int len = config.textTokens() + config.videoTokensOf(s);
      float[] a = new float[batch * len * config.width()];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) rnd.nextGaussian();
      }
      acts.add(SegmentActs.of(Tensor.of(a, batch, len, config.width())));
    }
    return acts;
  }

  @Test
  void segmentWindowsMatchNaiveMaskedAttention() {
    Random rnd = new Random(3);
    List<SegmentActs> acts = randomActs(rnd, 2);
    Tensor temb = dit.timeEmbedding(c, 500f, 2);
    List<SegmentActs> run = new ArrayList<>(acts);
    for (int s = 0; s < SEGMENTS; s++) {
      dit.attention(c, 0, run, s, temb);
    }
    double[][][] expected = naive(acts, temb); // [segment][B][L·W]
    for (int s = 0; s < SEGMENTS; s++) {
      Comparison cmp =
          Comparison.of(
              run.get(s).mix().data(), flatten(expected[s]), Tolerance.rtol(1e-4).atol(2e-5));
      assertThat(cmp.passed()).as("segment " + s + ": " + cmp).isTrue();
    }
  }

  @Test
  void oneSegmentFullAttentionEqualsItsWindow() {
    ModelConfig full = config.toBuilder().attention(AttentionScope.FULL).build();
    DiffusionTransformer fullDit = new DiffusionTransformer(full, weights.tensors());
    List<SegmentActs> acts = randomActs(new Random(5), 1).subList(0, 1);
    Tensor temb = dit.timeEmbedding(c, 10f, 1);
    List<SegmentActs> a = new ArrayList<>(acts);
    dit.attention(c, 1, a, 0, temb);
    List<SegmentActs> b = new ArrayList<>(acts);
    fullDit.keyValues(c, 1, b, 0, temb);
    fullDit.attention(c, 1, b, 0, temb);
    assertThat(b.get(0).mix().bitEquals(a.get(0).mix())).isTrue();
  }

  // ---------------------------------------------------------------- the naive reference

  private double[] flatten(double[][] perBatch) {
    int n = perBatch[0].length;
    double[] out = new double[perBatch.length * n];
    for (int b = 0; b < perBatch.length; b++) {
      System.arraycopy(perBatch[b], 0, out, b * n, n);
    }
    return out;
  }

  private Tensor p(String name) {
    return weights.tensors().get(DitParameters.block(0) + name);
  }

  private double[][][] naive(List<SegmentActs> acts, Tensor temb) {
    int nb = 2;
    int wd = config.width();
    int hh = config.heads();
    int d = config.headDim();
    int text = config.textTokens();
    int perFrame = config.tokensPerFrame();
    int cols = config.derived().latentCols();
    // The whole sequence in the model's layout: all text, then all video.
    List<double[][]> rows = new ArrayList<>(); // token -> [B][W]
    List<int[]> owner = new ArrayList<>(); // token -> {segment, row in segment}
    for (int s = 0; s < SEGMENTS; s++) {
      for (int t = 0; t < text; t++) {
        rows.add(tokenRow(acts.get(s).hidden(), t));
        owner.add(new int[] {s, t});
      }
    }
    int totalText = rows.size();
    for (int s = 0; s < SEGMENTS; s++) {
      for (int v = 0; v < config.videoTokensOf(s); v++) {
        rows.add(tokenRow(acts.get(s).hidden(), text + v));
        owner.add(new int[] {s, text + v});
      }
    }
    int len = rows.size();
    // adaLN: silu(temb) -> linear -> shift, scale, gate (video), then text
    double[][] mods = new double[nb][];
    for (int b = 0; b < nb; b++) {
      double[] e = new double[temb.dim(1)];
      for (int i = 0; i < e.length; i++) {
        double x = temb.get(b * e.length + i);
        e[i] = x / (1 + Math.exp(-x));
      }
      mods[b] = linear(e, p(DitParameters.NORM1_LINEAR_WEIGHT), p(DitParameters.NORM1_LINEAR_BIAS));
    }
    double[][][] out = new double[SEGMENTS][nb][];
    for (int s = 0; s < SEGMENTS; s++) {
      for (int b = 0; b < nb; b++) {
        out[s][b] = new double[(text + config.videoTokensOf(s)) * wd];
      }
    }
    double[][][] sum = new double[len][nb][wd];
    int[] count = new int[len];
    int videoStart = 0;
    for (int s = 0; s < SEGMENTS; s++) {
      // window members and their window-local frame (-1 for text)
      boolean[] in = new boolean[len];
      int[] frame = new int[len];
      int prefixFirst = s == 0 ? -1 : totalText + videoStart - perFrame;
      for (int i = 0; i < len; i++) {
        int[] o = owner.get(i);
        boolean isText = i < totalText;
        if (isText && o[0] == s) {
          in[i] = true;
          frame[i] = -1;
        } else if (!isText && o[0] == s) {
          in[i] = true;
          frame[i] = (o[1] - text) / perFrame + (s == 0 ? 0 : 1);
        } else if (!isText && s > 0 && i >= prefixFirst && i < prefixFirst + perFrame) {
          in[i] = true;
          frame[i] = 0;
        }
      }
      for (int b = 0; b < nb; b++) {
        double[][] q = new double[len][];
        double[][] k = new double[len][];
        double[][] v = new double[len][];
        for (int i = 0; i < len; i++) {
          if (!in[i]) {
            continue;
          }
          double[] n =
              layerNorm(
                  rows.get(i)[b],
                  p(DitParameters.NORM1_NORM_WEIGHT),
                  p(DitParameters.NORM1_NORM_BIAS),
                  1e-5);
          int set = frame[i] < 0 ? 3 : 0;
          for (int j = 0; j < wd; j++) {
            n[j] = n[j] * (1 + mods[b][(set + 1) * wd + j]) + mods[b][set * wd + j];
          }
          q[i] = linear(n, p(DitParameters.TO_Q_WEIGHT), p(DitParameters.TO_Q_BIAS));
          k[i] = linear(n, p(DitParameters.TO_K_WEIGHT), p(DitParameters.TO_K_BIAS));
          v[i] = linear(n, p(DitParameters.TO_V_WEIGHT), p(DitParameters.TO_V_BIAS));
          int local = frame[i] >= 0 ? (i - totalText) % perFrame : 0;
          for (int h = 0; h < hh; h++) {
            headNormAndRope(
                q[i],
                h,
                d,
                p(DitParameters.NORM_Q_WEIGHT),
                p(DitParameters.NORM_Q_BIAS),
                frame[i],
                local / cols,
                local % cols);
            headNormAndRope(
                k[i],
                h,
                d,
                p(DitParameters.NORM_K_WEIGHT),
                p(DitParameters.NORM_K_BIAS),
                frame[i],
                local / cols,
                local % cols);
          }
        }
        for (int i = 0; i < len; i++) {
          if (!in[i]) {
            continue;
          }
          double[] att = new double[wd];
          for (int h = 0; h < hh; h++) {
            double[] score = new double[len];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < len; j++) {
              if (!in[j]) {
                score[j] = Double.NEGATIVE_INFINITY; // the mask
                continue;
              }
              double sc = 0;
              for (int e = 0; e < d; e++) {
                sc += q[i][h * d + e] * k[j][h * d + e];
              }
              score[j] = sc / Math.sqrt(d);
              max = Math.max(max, score[j]);
            }
            double z = 0;
            for (int j = 0; j < len; j++) {
              score[j] = in[j] ? Math.exp(score[j] - max) : 0;
              z += score[j];
            }
            for (int j = 0; j < len; j++) {
              if (in[j]) {
                for (int e = 0; e < d; e++) {
                  att[h * d + e] += score[j] / z * v[j][h * d + e];
                }
              }
            }
          }
          double[] o = linear(att, p(DitParameters.TO_OUT_WEIGHT), p(DitParameters.TO_OUT_BIAS));
          for (int j = 0; j < wd; j++) {
            sum[i][b][j] += o[j];
          }
          if (b == 0) {
            count[i]++;
          }
        }
      }
      videoStart += config.videoTokensOf(s);
    }
    for (int i = 0; i < len; i++) {
      int[] o = owner.get(i);
      for (int b = 0; b < nb; b++) {
        for (int j = 0; j < wd; j++) {
          out[o[0]][b][o[1] * wd + j] = sum[i][b][j] / count[i];
        }
      }
    }
    return out;
  }

  private double[][] tokenRow(Tensor hidden, int row) {
    int nb = hidden.dim(0);
    int len = hidden.dim(1);
    int wd = hidden.dim(2);
    double[][] r = new double[nb][wd];
    for (int b = 0; b < nb; b++) {
      for (int j = 0; j < wd; j++) {
        r[b][j] = hidden.get((b * len + row) * wd + j);
      }
    }
    return r;
  }

  static double[] linear(double[] x, Tensor w, Tensor bias) {
    int out = w.dim(0);
    int in = w.dim(1);
    double[] y = new double[out];
    for (int o = 0; o < out; o++) {
      double s = bias.get(o);
      for (int i = 0; i < in; i++) {
        s += x[i] * w.get(o * in + i);
      }
      y[o] = s;
    }
    return y;
  }

  static double[] layerNorm(double[] x, Tensor w, Tensor b, double eps) {
    double mean = 0;
    for (double v : x) {
      mean += v;
    }
    mean /= x.length;
    double var = 0;
    for (double v : x) {
      var += (v - mean) * (v - mean);
    }
    var /= x.length;
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = (x[i] - mean) / Math.sqrt(var + eps) * w.get(i) + b.get(i);
    }
    return y;
  }

  /** Per-head LN over D, then the 3D rotation of CogVideoX (t : h : w = 2 : 3 : 3 of D). */
  private static void headNormAndRope(
      double[] x, int h, int d, Tensor w, Tensor b, int frame, int row, int col) {
    double[] head = new double[d];
    System.arraycopy(x, h * d, head, 0, d);
    head = layerNorm(head, w, b, 1e-6);
    if (frame >= 0) {
      int dt = d / 4;
      int ds = d / 8 * 3;
      int[] starts = {0, dt, dt + ds};
      int[] sizes = {dt, ds, ds};
      int[] pos = {frame, row, col};
      for (int part = 0; part < 3; part++) {
        for (int i = 0; i < sizes[part] / 2; i++) {
          double angle = pos[part] / Math.pow(10000, 2.0 * i / sizes[part]);
          int a = starts[part] + 2 * i;
          double x0 = head[a];
          double x1 = head[a + 1];
          head[a] = x0 * Math.cos(angle) - x1 * Math.sin(angle);
          head[a + 1] = x1 * Math.cos(angle) + x0 * Math.sin(angle);
        }
      }
    }
    System.arraycopy(head, 0, x, h * d, d);
  }
}
