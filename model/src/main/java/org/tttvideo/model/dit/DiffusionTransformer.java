package org.tttvideo.model.dit;

import static org.tttvideo.model.dit.DitParameters.block;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttState;
import org.tttvideo.model.config.AttentionScope;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.config.TttMode;
import org.tttvideo.model.ttt.BidirectionalTtt;
import org.tttvideo.model.ttt.TttLayer;
import org.tttvideo.model.ttt.TttParams;

/**
 * CogVideoX's diffusion transformer with segment-local attention and a gated bidirectional TTT
 * layer in every block (the paper's model; diffusers {@code CogVideoXTransformer3DModel} and the
 * reference {@code ttt/models/cogvideo/dit.py}), written on the {@link Compute} interface.
 *
 * <p>The model is exposed as the bounded steps a streaming operator runs one at a time, each on
 * explicit state: {@link #embed} (a segment's tokens), the block phases of {@link Phase} (each on
 * one segment, reading and returning {@link SegmentActs}; the TTT scans also take and return the
 * TTT hidden state carried across segments), and {@link #output} (a segment's prediction). {@link
 * #forward} runs them all in order for a whole video.
 *
 * <p>One block, for the residual stream {@code x} of all segments ({@code TTT_SPEC.md} §4):
 *
 * <pre>
 * 1. n  = LN(x) ⊙ (1 + scale_msa) + shift_msa              (text and video tokens modulated apart)
 * 2. a  = attention of each segment window of n             (3D RoPE on video Q, K; per-head LN)
 * 3. y1 = a  + tanh(α_fwd) ⊙ TTT(a)                         (forward scan over [text_i, video_i]…)
 *    y  = y1 + tanh(α_bwd) ⊙ reverse⁻¹(TTT(reverse(y1)))    (backward scan)
 * 4. x  = x + gate_msa ⊙ y
 * 5. x  = x + gate_ff ⊙ FF(LN(x) ⊙ (1 + scale_ff) + shift_ff)
 * </pre>
 *
 * <p>Legend: B = batch (2 with guidance), S = segments, T = text tokens per segment, V_s = video
 * tokens of segment s, P = video tokens per latent frame, L = tokens of a sequence, W = width, H =
 * heads, D = head dim, E = time-embedding dim, C = latent channels, p = patch size, F_s = latent
 * frames of segment s, h x w = latent rows x columns.
 */
public final class DiffusionTransformer {
  private final ModelConfig config;
  private final Map<String, Tensor> weights;
  private final Rope3d rope;
  private final TttLayer[] ttt; // per block, null without TTT
  private final Tensor patchWeight; // [W, C·p·p], the conv kernel as a linear layer
  private final Tensor modPattern6; // [6, 1]: 1 on the two scale rows, else 0
  private final Tensor modPattern2; // [2, 1]: 0 (shift), 1 (scale)

  /**
   * @param weights every tensor of {@link DitParameters#shapes}, under its name, with its shape
   * @throws IllegalArgumentException naming a missing or wrongly shaped tensor
   */
  public DiffusionTransformer(ModelConfig config, Map<String, Tensor> weights) {
    config.requireTttAligned();
    Map<String, int[]> expected = DitParameters.shapes(config);
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
    this.config = config;
    this.weights = Map.copyOf(weights);
    this.rope = new Rope3d(config);
    this.ttt = new TttLayer[config.layers()];
    if (config.ttt() != TttMode.NONE) {
      for (int i = 0; i < config.layers(); i++) {
        Map<String, Tensor> named = new LinkedHashMap<>();
        String prefix = block(i) + DitParameters.TTT_PREFIX;
        for (String k : TttParams.expectedShapes(config.tttConfig()).keySet()) {
          named.put(k, weights.get(prefix + k));
        }
        ttt[i] = new TttLayer(config.tttConfig(), TttParams.fromNamed(config.tttConfig(), named));
      }
    }
    patchWeight =
        weights
            .get(DitParameters.PATCH_PROJ_WEIGHT)
            .reshape(config.width(), config.derived().patchDim());
    modPattern6 = Tensor.of(new float[] {0, 1, 0, 0, 1, 0}, 6, 1);
    modPattern2 = Tensor.of(new float[] {0, 1}, 2, 1);
  }

  public ModelConfig config() {
    return config;
  }

  /** The TTT layer of block {@code i}, or null without TTT. */
  public TttLayer tttLayer(int i) {
    return ttt[i];
  }

  private Tensor w(String name) {
    return weights.get(name);
  }

  private Tensor bw(int blockIndex, String name) {
    return weights.get(block(blockIndex) + name);
  }

  // ================================================================ embeddings

  /**
   * The time embedding {@code temb [B, E]}: sinusoidal features of the timestep ({@code [cos,
   * sin]}, diffusers {@code Timesteps(W, flip_sin_to_cos=True, freq_shift=0)}), then {@code
   * linear_2(silu(linear_1(·)))}.
   */
  public Tensor timeEmbedding(Compute c, float timestep, int batch) {
    int width = config.width();
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
    Tensor t = Tensor.of(feat, batch, width);
    Tensor h =
        c.linear(t, w(DitParameters.TIME_LINEAR_1_WEIGHT), w(DitParameters.TIME_LINEAR_1_BIAS));
    return c.linear(
        silu(c, h), w(DitParameters.TIME_LINEAR_2_WEIGHT), w(DitParameters.TIME_LINEAR_2_BIAS));
  }

  /**
   * A segment's tokens: its text embeddings projected to the width, then its latent frames cut into
   * p x p patches (a stride-p convolution, as a linear layer on flattened patches).
   *
   * @param latents {@code [B, F_s, C, h, w]}
   * @param text {@code [B, T, textDim]}
   * @return {@code [B, T + V_s, W]}
   */
  public Tensor embed(Compute c, Tensor latents, Tensor text) {
    Tensor textTokens =
        c.linear(text, w(DitParameters.TEXT_PROJ_WEIGHT), w(DitParameters.TEXT_PROJ_BIAS));
    Tensor videoTokens =
        c.linear(patchify(latents), patchWeight, w(DitParameters.PATCH_PROJ_BIAS)); // [B, V, W]
    return Tensors.cat1(List.of(textTokens, videoTokens));
  }

  /** {@code [B, F, C, h, w] -> [B, F·(h/p)·(w/p), C·p·p]}, patch vector in (c, pi, qi) order. */
  Tensor patchify(Tensor latents) {
    int nb = latents.dim(0);
    int frames = latents.dim(1);
    int ch = latents.dim(2);
    int h = latents.dim(3);
    int wd = latents.dim(4);
    int p = config.patchSize();
    int rows = h / p;
    int cols = wd / p;
    int pd = ch * p * p;
    float[] src = latents.data();
    float[] out = new float[nb * frames * rows * cols * pd];
    int o = 0;
    for (int b = 0; b < nb; b++) {
      for (int f = 0; f < frames; f++) {
        int frameBase = (b * frames + f) * ch * h * wd;
        for (int r = 0; r < rows; r++) {
          for (int q = 0; q < cols; q++) {
            for (int k = 0; k < ch; k++) {
              for (int pi = 0; pi < p; pi++) {
                int rowBase = frameBase + (k * h + r * p + pi) * wd + q * p;
                for (int qi = 0; qi < p; qi++) {
                  out[o++] = src[rowBase + qi];
                }
              }
            }
          }
        }
      }
    }
    return Tensor.of(out, nb, frames * rows * cols, pd);
  }

  /** {@code [B, F·(h/p)·(w/p), C·p·p] -> [B, F, C, h, w]}, the inverse of {@link #patchify}. */
  Tensor unpatchify(Tensor patches, int frames) {
    int nb = patches.dim(0);
    int ch = config.latentChannels();
    int h = config.latentHeight();
    int wd = config.latentWidth();
    int p = config.patchSize();
    int rows = h / p;
    int cols = wd / p;
    float[] src = patches.data();
    float[] out = new float[nb * frames * ch * h * wd];
    int o = 0;
    for (int b = 0; b < nb; b++) {
      for (int f = 0; f < frames; f++) {
        int frameBase = (b * frames + f) * ch * h * wd;
        for (int r = 0; r < rows; r++) {
          for (int q = 0; q < cols; q++) {
            for (int k = 0; k < ch; k++) {
              for (int pi = 0; pi < p; pi++) {
                int rowBase = frameBase + (k * h + r * p + pi) * wd + q * p;
                for (int qi = 0; qi < p; qi++) {
                  out[rowBase + qi] = src[o++];
                }
              }
            }
          }
        }
      }
    }
    return Tensor.of(out, nb, frames, ch, h, wd);
  }

  // ================================================================ adaLN

  private static Tensor silu(Compute c, Tensor x) {
    return c.mul(x, c.sigmoid(x));
  }

  /**
   * The six modulation vectors of a block norm, {@code [B, 6, W]}: shift, 1 + scale, gate for
   * video, then the same for text (diffusers {@code CogVideoXLayerNormZero} chunk order).
   */
  private Tensor modulation(Compute c, String linearWeight, String linearBias, Tensor temb) {
    Tensor mods = c.linear(silu(c, temb), w(linearWeight), w(linearBias)); // [B, 6W]
    return c.add(mods.reshape(temb.dim(0), 6, config.width()), modPattern6);
  }

  /**
   * Per-row modulation {@code [B, L, W]}: row i takes vector {@code which} (0 shift, 1 1+scale, 2
   * gate) of the text set for the first {@code textRows} rows, of the video set for the others.
   */
  private static Tensor rowsOf(Compute c, Tensor mods, int which, int textRows, int totalRows) {
    int[] idx = new int[totalRows];
    for (int i = 0; i < totalRows; i++) {
      idx[i] = (i < textRows ? 3 : 0) + which;
    }
    return c.gather(mods, 1, idx);
  }

  /** {@code LN(x) ⊙ (1 + scale) + shift}, text rows with the text set. */
  private Tensor modulate(
      Compute c, Tensor x, Tensor norm, Tensor normBias, Tensor mods, int text) {
    int len = x.dim(1);
    Tensor n = c.layerNorm(x, norm, normBias, ModelConfig.NORM_EPS);
    return c.add(c.mul(n, rowsOf(c, mods, 1, text, len)), rowsOf(c, mods, 0, text, len));
  }

  // ================================================================ attention

  /** The block-norm input of the attention: modulated tokens {@code [B, L, W]}. */
  private Tensor attentionInput(Compute c, int bi, Tensor x, Tensor mods, int text) {
    return modulate(
        c,
        x,
        bw(bi, DitParameters.NORM1_NORM_WEIGHT),
        bw(bi, DitParameters.NORM1_NORM_BIAS),
        mods,
        text);
  }

  /** Per-head layer-normed projection {@code [B, L, W] -> [B, L, H, D]}. */
  private Tensor project(
      Compute c, int bi, Tensor n, String weight, String bias, String normW, String normB) {
    int nb = n.dim(0);
    int len = n.dim(1);
    Tensor t =
        c.linear(n, bw(bi, weight), bw(bi, bias))
            .reshape(nb, len, config.heads(), config.headDim());
    return normW == null
        ? t
        : c.layerNorm(t, bw(bi, normW), bw(bi, normB), ModelConfig.QK_NORM_EPS);
  }

  /** Rotates {@code x [B, L, H, D]} with tables of L rows. */
  private Tensor rotate(Compute c, Tensor x, Rope3d.Tables t) {
    int len = t.cos().dim(0);
    int d = config.headDim();
    return rope.apply(
        c, x, new Rope3d.Tables(t.cos().reshape(len, 1, d), t.sinSigned().reshape(len, 1, d)));
  }

  /**
   * Scaled dot-product attention, no mask: {@code q [B, Lq, H, D]}, {@code k, v [B, Lk, H, D]} ->
   * {@code [B, Lq, W]} (before the output projection).
   */
  Tensor attend(Compute c, Tensor q, Tensor k, Tensor v) {
    int nb = q.dim(0);
    int lq = q.dim(1);
    float scale = (float) (1.0 / Math.sqrt(config.headDim()));
    Tensor qh = c.permute(c.scale(q, scale), 0, 2, 1, 3); // [B, H, Lq, D]
    Tensor kh = c.permute(k, 0, 2, 1, 3); // [B, H, Lk, D]
    Tensor vh = c.permute(v, 0, 2, 1, 3); // [B, H, Lk, D]
    Tensor scores = c.matmul(qh, kh, true); // [B, H, Lq, D] @ [B, H, D, Lk] -> [B, H, Lq, Lk]
    Tensor out = c.matmul(c.softmax(scores), vh, false); // [B, H, Lq, Lk] @ [B, H, Lk, D]
    return c.permute(out, 0, 2, 1, 3)
        .reshape(nb, lq, config.width()); // [B, Lq, H, D] -> [B, Lq, W]
  }

  /**
   * {@link Phase#ATTENTION} for segment {@code s}. For the {@code segment} scope the window is the
   * segment's text, the previous segment's last latent frame (for s > 0) and its own frames, with
   * window-local rotary positions (the prefix frame is frame 0); the prefix frame's output is
   * averaged with the one the previous window gave it. For {@code full} and {@code sliding} the
   * segment's tokens attend to the keys of {@link Phase#KEY_VALUES}.
   *
   * @param acts the activations of all segments; entry s (and s − 1) are replaced
   */
  public void attention(Compute c, int bi, List<SegmentActs> acts, int s, Tensor temb) {
    if (config.attention().kind() == AttentionScope.Kind.SEGMENT) {
      segmentWindow(c, bi, acts, s, temb);
    } else {
      sharedKeyWindow(c, bi, acts, s, temb);
    }
  }

  private void segmentWindow(Compute c, int bi, List<SegmentActs> acts, int s, Tensor temb) {
    int text = config.textTokens();
    int perFrame = config.tokensPerFrame();
    int rows = config.derived().latentRows();
    int cols = config.derived().latentCols();
    Tensor x = acts.get(s).hidden(); // [B, T + V_s, W]
    int len = x.dim(1);
    int prefix = s == 0 ? 0 : perFrame;
    List<Tensor> parts = new ArrayList<>();
    parts.add(Tensors.rows(x, 0, text));
    if (prefix > 0) {
      Tensor prev = acts.get(s - 1).hidden();
      parts.add(Tensors.rows(prev, prev.dim(1) - prefix, prev.dim(1)));
    }
    parts.add(Tensors.rows(x, text, len));
    Tensor window = Tensors.cat1(parts); // [B, T + P? + V_s, W]
    int wl = window.dim(1);
    Tensor mods =
        modulation(
            c,
            block(bi) + DitParameters.NORM1_LINEAR_WEIGHT,
            block(bi) + DitParameters.NORM1_LINEAR_BIAS,
            temb);
    Tensor n = attentionInput(c, bi, window, mods, text);
    Rope3d.Tables tables = rope.sequence(text, 0, wl - text, rows, cols, 0); // window-local frames
    Tensor q =
        rotate(
            c,
            project(
                c,
                bi,
                n,
                DitParameters.TO_Q_WEIGHT,
                DitParameters.TO_Q_BIAS,
                DitParameters.NORM_Q_WEIGHT,
                DitParameters.NORM_Q_BIAS),
            tables);
    Tensor k =
        rotate(
            c,
            project(
                c,
                bi,
                n,
                DitParameters.TO_K_WEIGHT,
                DitParameters.TO_K_BIAS,
                DitParameters.NORM_K_WEIGHT,
                DitParameters.NORM_K_BIAS),
            tables);
    Tensor v = project(c, bi, n, DitParameters.TO_V_WEIGHT, DitParameters.TO_V_BIAS, null, null);
    Tensor out =
        c.linear(
            attend(c, q, k, v),
            bw(bi, DitParameters.TO_OUT_WEIGHT),
            bw(bi, DitParameters.TO_OUT_BIAS)); // [B, WL, W]
    Tensor own =
        prefix == 0
            ? out
            : Tensors.cat1(
                List.of(Tensors.rows(out, 0, text), Tensors.rows(out, text + prefix, wl)));
    acts.set(s, acts.get(s).withMix(own));
    if (prefix > 0) {
      // The overlapping frame: average of the previous window's output and this one's.
      SegmentActs prev = acts.get(s - 1);
      Tensor pm = prev.mix();
      int pl = pm.dim(1);
      Tensor averaged =
          c.scale(
              c.add(Tensors.rows(pm, pl - prefix, pl), Tensors.rows(out, text, text + prefix)),
              0.5f);
      acts.set(
          s - 1, prev.withMix(Tensors.cat1(List.of(Tensors.rows(pm, 0, pl - prefix), averaged))));
    }
  }

  /** First video token (index into the whole video's token sequence) of segment {@code s}. */
  public int videoStart(int s) {
    return s == 0 ? 0 : config.videoTokensOf(0) + (s - 1) * config.videoTokensOf(1);
  }

  /** Video tokens of a video of {@code segments} segments. */
  public int videoTokens(int segments) {
    return videoStart(segments);
  }

  /**
   * {@link Phase#KEY_VALUES} for segment {@code s} ({@code full} and {@code sliding} scopes): the
   * layer-normed keys with rotary positions of the whole video (frame indices counted from the
   * first frame), and the values.
   */
  public void keyValues(Compute c, int bi, List<SegmentActs> acts, int s, Tensor temb) {
    int text = config.textTokens();
    Tensor x = acts.get(s).hidden();
    Tensor mods =
        modulation(
            c,
            block(bi) + DitParameters.NORM1_LINEAR_WEIGHT,
            block(bi) + DitParameters.NORM1_LINEAR_BIAS,
            temb);
    Tensor n = attentionInput(c, bi, x, mods, text);
    Rope3d.Tables tables = globalTables(s, x.dim(1) - text);
    Tensor k =
        rotate(
            c,
            project(
                c,
                bi,
                n,
                DitParameters.TO_K_WEIGHT,
                DitParameters.TO_K_BIAS,
                DitParameters.NORM_K_WEIGHT,
                DitParameters.NORM_K_BIAS),
            tables);
    Tensor v = project(c, bi, n, DitParameters.TO_V_WEIGHT, DitParameters.TO_V_BIAS, null, null);
    acts.set(s, acts.get(s).withKeyValues(k, v));
  }

  private Rope3d.Tables globalTables(int s, int videoCount) {
    return rope.sequence(
        config.textTokens(),
        videoStart(s),
        videoCount,
        config.derived().latentRows(),
        config.derived().latentCols(),
        0);
  }

  private void sharedKeyWindow(Compute c, int bi, List<SegmentActs> acts, int s, Tensor temb) {
    int text = config.textTokens();
    Tensor x = acts.get(s).hidden();
    Tensor mods =
        modulation(
            c,
            block(bi) + DitParameters.NORM1_LINEAR_WEIGHT,
            block(bi) + DitParameters.NORM1_LINEAR_BIAS,
            temb);
    Tensor n = attentionInput(c, bi, x, mods, text);
    Tensor q =
        rotate(
            c,
            project(
                c,
                bi,
                n,
                DitParameters.TO_Q_WEIGHT,
                DitParameters.TO_Q_BIAS,
                DitParameters.NORM_Q_WEIGHT,
                DitParameters.NORM_Q_BIAS),
            globalTables(s, x.dim(1) - text));
    List<Tensor> ks = new ArrayList<>();
    List<Tensor> vs = new ArrayList<>();
    AttentionScope scope = config.attention();
    if (scope.kind() == AttentionScope.Kind.FULL) {
      for (SegmentActs a : acts) {
        ks.add(a.keys());
        vs.add(a.values());
      }
    } else {
      SegmentActs own = acts.get(s);
      ks.add(Tensors.rows(own.keys(), 0, text));
      vs.add(Tensors.rows(own.values(), 0, text));
      for (int j = Math.max(0, s - scope.segments() + 1); j <= s; j++) {
        SegmentActs a = acts.get(j);
        ks.add(Tensors.rows(a.keys(), text, a.keys().dim(1)));
        vs.add(Tensors.rows(a.values(), text, a.values().dim(1)));
      }
    }
    Tensor out =
        c.linear(
            attend(c, q, Tensors.cat1(ks), Tensors.cat1(vs)),
            bw(bi, DitParameters.TO_OUT_WEIGHT),
            bw(bi, DitParameters.TO_OUT_BIAS));
    acts.set(s, acts.get(s).withMix(out));
  }

  // ================================================================ TTT

  /** Per-row gates {@code tanh(alpha)} {@code [L, W]}: text gate on the first {@code text} rows. */
  private Tensor gateRows(Compute c, int bi, String textGate, String videoGate, int text, int len) {
    return BidirectionalTtt.gateRows(c, bw(bi, textGate), bw(bi, videoGate), text, len);
  }

  /** The TTT state every scan of block {@code bi} starts from. */
  public TttState initialTttState(int bi, int batch) {
    return ttt[bi].initialState(batch);
  }

  /**
   * {@link Phase#TTT_FORWARD} for segment {@code s}: its piece {@code [text_s, video_s]} of the
   * forward scan from {@code state}; {@code mix ← mix + tanh(α_fwd) ⊙ TTT(mix)}. Rotary positions
   * of the video tokens are their positions in the whole video.
   *
   * @return the TTT state after the piece
   */
  public TttState tttForward(Compute c, int bi, List<SegmentActs> acts, int s, TttState state) {
    int text = config.textTokens();
    SegmentActs a = acts.get(s);
    Tensor x = a.mix(); // [B, T + V_s, W]
    int len = x.dim(1);
    Rope3d.Tables tables = globalTables(s, len - text);
    TttLayer.Result r = ttt[bi].forward(c, state, x, rope.asQkTransform(tables));
    Tensor gates =
        gateRows(c, bi, BidirectionalTtt.FORWARD_TEXT, BidirectionalTtt.FORWARD_VIDEO, text, len);
    acts.set(s, a.withMix(c.add(x, c.mul(r.out(), gates))));
    return r.state();
  }

  /**
   * {@link Phase#TTT_BACKWARD} for segment {@code s} (segments are visited last to first): its
   * piece of the backward scan is its text in order followed by its video tokens reversed; the
   * output is put back in order and {@code mix ← mix + tanh(α_bwd) ⊙ TTT(piece)}. Rotary positions
   * are the positions in the reversed video sequence handed to the layer.
   *
   * @param segments S, the number of segments of the video
   * @return the TTT state after the piece
   */
  public TttState tttBackward(
      Compute c, int bi, List<SegmentActs> acts, int s, int segments, TttState state) {
    int text = config.textTokens();
    SegmentActs a = acts.get(s);
    Tensor y1 = a.mix();
    int len = y1.dim(1);
    int video = len - text;
    int[] perm = new int[len]; // an involution: text kept, video reversed
    for (int i = 0; i < text; i++) {
      perm[i] = i;
    }
    for (int i = 0; i < video; i++) {
      perm[text + i] = len - 1 - i;
    }
    Tensor piece = c.gather(y1, 1, perm);
    int first = videoTokens(segments) - videoStart(s) - video;
    Rope3d.Tables tables =
        rope.sequence(
            text, first, video, config.derived().latentRows(), config.derived().latentCols(), 0);
    TttLayer.Result r = ttt[bi].forward(c, state, piece, rope.asQkTransform(tables));
    Tensor gates =
        gateRows(c, bi, BidirectionalTtt.BACKWARD_TEXT, BidirectionalTtt.BACKWARD_VIDEO, text, len);
    acts.set(s, a.withMix(c.add(y1, c.mul(c.gather(r.out(), 1, perm), gates))));
    return r.state();
  }

  // ================================================================ feed-forward

  /**
   * {@link Phase#FEED_FORWARD} for segment {@code s}: {@code x ← x + gate_msa ⊙ mix}, then {@code x
   * ← x + gate_ff ⊙ FF(modulated LN(x))}; the segment leaves the block as {@link SegmentActs#of}.
   */
  public void feedForward(Compute c, int bi, List<SegmentActs> acts, int s, Tensor temb) {
    int text = config.textTokens();
    SegmentActs a = acts.get(s);
    Tensor x = a.hidden();
    int len = x.dim(1);
    Tensor mods1 =
        modulation(
            c,
            block(bi) + DitParameters.NORM1_LINEAR_WEIGHT,
            block(bi) + DitParameters.NORM1_LINEAR_BIAS,
            temb);
    x = c.add(x, c.mul(a.mix(), rowsOf(c, mods1, 2, text, len)));
    Tensor mods2 =
        modulation(
            c,
            block(bi) + DitParameters.NORM2_LINEAR_WEIGHT,
            block(bi) + DitParameters.NORM2_LINEAR_BIAS,
            temb);
    Tensor n =
        modulate(
            c,
            x,
            bw(bi, DitParameters.NORM2_NORM_WEIGHT),
            bw(bi, DitParameters.NORM2_NORM_BIAS),
            mods2,
            text);
    Tensor h =
        c.gelu(
            c.linear(
                n,
                bw(bi, DitParameters.FF_IN_WEIGHT),
                bw(bi, DitParameters.FF_IN_BIAS))); // [B, L, 4W]
    Tensor ff =
        c.linear(
            h, bw(bi, DitParameters.FF_OUT_WEIGHT), bw(bi, DitParameters.FF_OUT_BIAS)); // [B, L, W]
    acts.set(s, SegmentActs.of(c.add(x, c.mul(ff, rowsOf(c, mods2, 2, text, len)))));
  }

  // ================================================================ output

  /**
   * The prediction for one segment from its residual stream after the last block: {@code
   * norm_final}, {@code norm_out} (LN modulated by shift, scale from the time embedding), {@code
   * proj_out}, unpatchify.
   *
   * @param hidden {@code [B, T + V_s, W]}
   * @return {@code [B, F_s, C, h, w]}
   */
  public Tensor output(Compute c, Tensor hidden, Tensor temb, int s) {
    int text = config.textTokens();
    Tensor video = Tensors.rows(hidden, text, hidden.dim(1)); // [B, V_s, W]
    Tensor x =
        c.layerNorm(
            video,
            w(DitParameters.NORM_FINAL_WEIGHT),
            w(DitParameters.NORM_FINAL_BIAS),
            ModelConfig.NORM_EPS);
    Tensor mods =
        c.add(
            c.linear(
                    silu(c, temb),
                    w(DitParameters.NORM_OUT_LINEAR_WEIGHT),
                    w(DitParameters.NORM_OUT_LINEAR_BIAS))
                .reshape(temb.dim(0), 2, config.width()),
            modPattern2); // [B, 2, W]: shift, 1 + scale (diffusers AdaLayerNorm, chunk_dim=1)
    int nb = temb.dim(0);
    int width = config.width();
    Tensor shift = Tensors.rows(mods, 0, 1); // [B, 1, W]
    Tensor scale = Tensors.rows(mods, 1, 2);
    x =
        c.layerNorm(
            x,
            w(DitParameters.NORM_OUT_NORM_WEIGHT),
            w(DitParameters.NORM_OUT_NORM_BIAS),
            ModelConfig.NORM_EPS);
    x = c.add(c.mul(x, scale.reshape(nb, 1, width)), shift.reshape(nb, 1, width));
    Tensor patches = c.linear(x, w(DitParameters.PROJ_OUT_WEIGHT), w(DitParameters.PROJ_OUT_BIAS));
    return unpatchify(patches, config.framesOf(s));
  }

  // ================================================================ whole video

  /**
   * The whole forward pass for a video: every unit in order.
   *
   * @param latents per segment {@code [B, F_s, C, h, w]}
   * @param text per segment {@code [B, T, textDim]}
   * @return the prediction per segment, {@code [B, F_s, C, h, w]}
   */
  public List<Tensor> forward(Compute c, List<Tensor> latents, List<Tensor> text, float timestep) {
    int segments = latents.size();
    int nb = latents.get(0).dim(0);
    Tensor temb = timeEmbedding(c, timestep, nb);
    List<SegmentActs> acts = new ArrayList<>();
    for (int s = 0; s < segments; s++) {
      acts.add(SegmentActs.of(embed(c, latents.get(s), text.get(s))));
    }
    for (int bi = 0; bi < config.layers(); bi++) {
      runBlock(c, bi, acts, temb);
    }
    List<Tensor> out = new ArrayList<>();
    for (int s = 0; s < segments; s++) {
      out.add(output(c, acts.get(s).hidden(), temb, s));
    }
    return out;
  }

  /** All phases of block {@code bi} over all segments, in unit order. */
  public void runBlock(Compute c, int bi, List<SegmentActs> acts, Tensor temb) {
    int segments = acts.size();
    int nb = temb.dim(0);
    for (Phase phase : Phase.of(config)) {
      TttState state =
          phase == Phase.TTT_FORWARD || phase == Phase.TTT_BACKWARD
              ? initialTttState(bi, nb)
              : null;
      for (int k = 0; k < segments; k++) {
        int s = phase.reversed() ? segments - 1 - k : k;
        state = runUnit(c, bi, phase, acts, s, temb, state);
      }
    }
  }

  /** One unit: {@code phase} of block {@code bi} on segment {@code s}; returns the TTT state. */
  public TttState runUnit(
      Compute c, int bi, Phase phase, List<SegmentActs> acts, int s, Tensor temb, TttState state) {
    switch (phase) {
      case KEY_VALUES -> keyValues(c, bi, acts, s, temb);
      case ATTENTION -> attention(c, bi, acts, s, temb);
      case TTT_FORWARD -> {
        return tttForward(c, bi, acts, s, state);
      }
      case TTT_BACKWARD -> {
        return tttBackward(c, bi, acts, s, acts.size(), state);
      }
      case FEED_FORWARD -> feedForward(c, bi, acts, s, temb);
      default -> throw new AssertionError(phase);
    }
    return state;
  }
}
