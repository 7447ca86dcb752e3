package org.tttvideo.model.dit;

import java.util.ArrayList;
import java.util.List;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttState;
import org.tttvideo.model.config.AttentionScope;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.ttt.BidirectionalTtt;
import org.tttvideo.model.ttt.TttLayer;

/**
 * One transformer block ({@code transformer_blocks.<i>}, diffusers {@code CogVideoXBlock} with the
 * paper's gated bidirectional TTT after the attention), run as the phases of {@link Phase}, each on
 * one segment ({@code TTT_SPEC.md} §4):
 *
 * <pre>
 * 1. n  = LN(x) ⊙ (1 + scale_msa) + shift_msa              norm1 (text and video modulated apart)
 * 2. a  = attention of each segment window of n             attn1 (3D RoPE on video Q, K)
 * 3. y1 = a  + tanh(α_fwd) ⊙ TTT(a)                         ssm, forward scan
 *    y  = y1 + tanh(α_bwd) ⊙ reverse⁻¹(TTT(reverse(y1)))    ssm, backward scan
 * 4. x  = x + gate_msa ⊙ y
 * 5. x  = x + gate_ff ⊙ FF(LN(x) ⊙ (1 + scale_ff) + shift_ff)   norm2, ff
 * </pre>
 *
 * <p>Legend: B = batch, S = segments, T = text tokens per segment, V_s = video tokens of segment s,
 * P = video tokens per latent frame, L = T + V_s, W = width, H = heads, D = head dim, E =
 * time-embedding dim.
 */
public final class CogVideoXBlock {
  private final ModelConfig config;
  private final TokenPositions positions; // shared by every block
  private final LayerNormZero norm1; // linear [6W, E], norm [W]
  private final SegmentAttention attn1; // to_q, to_k, to_v, to_out.0 [W, W]; norm_q, norm_k [D]
  private final BidirectionalTtt ssm; // TTT layer and four gates [W]; null without TTT
  private final LayerNormZero norm2; // linear [6W, E], norm [W]
  private final FeedForward ff; // net.0.proj [4W, W], net.2 [W, 4W]

  CogVideoXBlock(
      ModelConfig config,
      TokenPositions positions,
      LayerNormZero norm1,
      SegmentAttention attn1,
      BidirectionalTtt ssm,
      LayerNormZero norm2,
      FeedForward ff) {
    this.config = config;
    this.positions = positions;
    this.norm1 = norm1;
    this.attn1 = attn1;
    this.ssm = ssm;
    this.norm2 = norm2;
    this.ff = ff;
  }

  /** The block's TTT layer, or null without TTT. */
  TttLayer tttLayer() {
    return ssm == null ? null : ssm.layer();
  }

  // ================================================================ attention

  /** {@link Phase#ATTENTION} for segment {@code s}; see {@link DiffusionTransformer#attention}. */
  void attention(Compute c, List<SegmentActs> acts, int s, Tensor temb) {
    if (config.attention().kind() == AttentionScope.Kind.SEGMENT) {
      segmentWindow(c, acts, s, temb);
    } else {
      sharedKeyWindow(c, acts, s, temb);
    }
  }

  private void segmentWindow(Compute c, List<SegmentActs> acts, int s, Tensor temb) {
    int text = config.textTokens();
    int perFrame = config.tokensPerFrame();
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
    Tensor mods = norm1.modulation(c, temb); // [B, 6, W]
    Tensor n = norm1.modulate(c, window, mods, text);
    Rope3d.Tables tables = positions.sequence(0, wl - text); // window-local frames
    Tensor q = positions.rotate(c, attn1.query(c, n), tables); // [B, WL, H, D]
    Tensor k = positions.rotate(c, attn1.key(c, n), tables); // [B, WL, H, D]
    Tensor v = attn1.value(c, n); // [B, WL, H, D]
    Tensor out = attn1.attend(c, q, k, v); // [B, WL, W]
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

  /** {@link Phase#KEY_VALUES} for segment {@code s}; see {@link DiffusionTransformer#keyValues}. */
  void keyValues(Compute c, List<SegmentActs> acts, int s, Tensor temb) {
    int text = config.textTokens();
    Tensor x = acts.get(s).hidden(); // [B, L, W]
    Tensor n = norm1.modulate(c, x, norm1.modulation(c, temb), text);
    Rope3d.Tables tables = positions.global(s, x.dim(1) - text);
    Tensor k = positions.rotate(c, attn1.key(c, n), tables); // [B, L, H, D]
    Tensor v = attn1.value(c, n); // [B, L, H, D]
    acts.set(s, acts.get(s).withKeyValues(k, v));
  }

  private void sharedKeyWindow(Compute c, List<SegmentActs> acts, int s, Tensor temb) {
    int text = config.textTokens();
    Tensor x = acts.get(s).hidden(); // [B, L, W]
    Tensor n = norm1.modulate(c, x, norm1.modulation(c, temb), text);
    Tensor q =
        positions.rotate(
            c, attn1.query(c, n), positions.global(s, x.dim(1) - text)); // [B, L, H, D]
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
    Tensor out = attn1.attend(c, q, Tensors.cat1(ks), Tensors.cat1(vs)); // [B, L, W]
    acts.set(s, acts.get(s).withMix(out));
  }

  // ================================================================ TTT

  /** The TTT state every scan of this block starts from. */
  TttState initialTttState(int batch) {
    return ssm.layer().initialState(batch);
  }

  /**
   * {@link Phase#TTT_FORWARD} for segment {@code s}; see {@link DiffusionTransformer#tttForward}.
   */
  TttState tttForward(Compute c, List<SegmentActs> acts, int s, TttState state) {
    int text = config.textTokens();
    SegmentActs a = acts.get(s);
    Tensor x = a.mix(); // [B, T + V_s, W]
    int len = x.dim(1);
    Rope3d.Tables tables = positions.global(s, len - text);
    TttLayer.Result r = ssm.layer().forward(c, state, x, positions.rope().asQkTransform(tables));
    Tensor gates = ssm.gateRows(c, BidirectionalTtt.Direction.FORWARD, text, len); // [L, W]
    acts.set(s, a.withMix(c.add(x, c.mul(r.out(), gates))));
    return r.state();
  }

  /**
   * {@link Phase#TTT_BACKWARD} for segment {@code s}; see {@link DiffusionTransformer#tttBackward}.
   */
  TttState tttBackward(Compute c, List<SegmentActs> acts, int s, int segments, TttState state) {
    int text = config.textTokens();
    SegmentActs a = acts.get(s);
    Tensor y1 = a.mix(); // [B, L, W]
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
    int first = positions.videoTokens(segments) - positions.videoStart(s) - video;
    Rope3d.Tables tables = positions.sequence(first, video);
    TttLayer.Result r =
        ssm.layer().forward(c, state, piece, positions.rope().asQkTransform(tables));
    Tensor gates = ssm.gateRows(c, BidirectionalTtt.Direction.BACKWARD, text, len); // [L, W]
    acts.set(s, a.withMix(c.add(y1, c.mul(c.gather(r.out(), 1, perm), gates))));
    return r.state();
  }

  // ================================================================ feed-forward

  /**
   * {@link Phase#FEED_FORWARD} for segment {@code s}; see {@link DiffusionTransformer#feedForward}.
   */
  void feedForward(Compute c, List<SegmentActs> acts, int s, Tensor temb) {
    int text = config.textTokens();
    SegmentActs a = acts.get(s);
    Tensor x = a.hidden(); // [B, L, W]
    int len = x.dim(1);
    Tensor mods1 = norm1.modulation(c, temb); // [B, 6, W]
    x = c.add(x, c.mul(a.mix(), LayerNormZero.rowsOf(c, mods1, LayerNormZero.GATE, text, len)));
    Tensor mods2 = norm2.modulation(c, temb); // [B, 6, W]
    Tensor n = norm2.modulate(c, x, mods2, text);
    Tensor out = ff.forward(c, n); // [B, L, W]
    Tensor gate = LayerNormZero.rowsOf(c, mods2, LayerNormZero.GATE, text, len); // [B, L, W]
    acts.set(s, SegmentActs.of(c.add(x, c.mul(out, gate))));
  }
}
