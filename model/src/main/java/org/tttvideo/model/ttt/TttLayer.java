package org.tttvideo.model.ttt;

import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.LinearWeight;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttScanInput;
import org.tttvideo.model.compute.TttScanResult;
import org.tttvideo.model.compute.TttState;

/**
 * One TTT layer ({@code TTT_SPEC.md} §2), written once on the {@link Compute} interface. The hidden
 * state is explicit: {@code forward(state, x) -> (state', out)}, so a sequence can be scanned in
 * pieces cut at mini-batch boundaries, carrying the state, with the same result as one scan.
 *
 * <p>Legend: B = batch, L = tokens of this piece, W = width, H = heads, D = W / H, M = mini-batch.
 *
 * <pre>{@code
 * TttLayer layer = new TttLayer(config, params);
 * TttState s = layer.initialState(1);
 * TttLayer.Result a = layer.forward(compute, s, firstSegment, QkTransform.IDENTITY);
 * TttLayer.Result b = layer.forward(compute, a.state(), secondSegment, QkTransform.IDENTITY);
 * }</pre>
 */
public final class TttLayer {
  private final TttConfig config;
  private final TttParams params;
  // Bound once: the projections as linear layers, so a backend can keep what it derives from them.
  private final LinearWeight wq; // [W, W] (H·D = W outputs), bias [W]
  private final LinearWeight wk; // [W, W], bias [W]
  private final LinearWeight wv; // [W, W], bias [W]
  private final LinearWeight wo; // [W, W], bias [W]
  private final LinearWeight lr; // [H, W], bias [H]: the learnable-rate projection
  private final Tensor normWeightRows; // [H, 1, D], broadcasts over tokens
  private final Tensor normBiasRows; // [H, 1, D]

  public TttLayer(TttConfig config, TttParams params) {
    this.config = config;
    this.params = params;
    int w = config.width();
    int h = config.heads();
    int d = config.headDim();
    this.wq = LinearWeight.of("ssm.ttt.wq", params.wqWeight(), params.wqBias());
    this.wk = LinearWeight.of("ssm.ttt.wk", params.wkWeight(), params.wkBias());
    this.wv = LinearWeight.of("ssm.ttt.wv", params.wvWeight(), params.wvBias());
    this.wo = LinearWeight.of("ssm.ttt.wo", params.woWeight(), params.woBias());
    this.lr =
        LinearWeight.of(
            "ssm.ttt.learnable_ttt_lr",
            params.lrWeight().reshape(h, w),
            params.lrBias().reshape(h));
    this.normWeightRows = params.normWeight().reshape(h, 1, d);
    this.normBiasRows = params.normBias().reshape(h, 1, d);
  }

  public TttConfig config() {
    return config;
  }

  public TttParams params() {
    return params;
  }

  /** The state every scan starts from: the layer's W1, b1 (W2, b2) for each batch entry. */
  public TttState initialState(int batch) {
    return TttState.broadcast(batch, params.w1(), params.b1(), params.w2(), params.b2());
  }

  /** The output of one piece and the state after it. */
  public record Result(Tensor out, TttState state) {}

  /**
   * Runs the layer on {@code x [B, L, W]}, already in scan order, from {@code state}.
   *
   * @param rope applied to the L2-normalised queries and keys (identity for the reference vectors)
   */
  public Result forward(Compute c, TttState state, Tensor x, QkTransform rope) {
    int nb = x.dim(0);
    int len = x.dim(1);
    int w = config.width();
    int h = config.heads();
    int d = config.headDim();
    if (x.rank() != 3 || x.dim(2) != w) {
      throw new IllegalArgumentException("x must be [B, L, " + w + "], got " + x);
    }
    if (len % config.miniBatch() != 0) {
      throw new IllegalArgumentException(
          "tokens " + len + " must be a multiple of the TTT mini-batch " + config.miniBatch());
    }
    if (state.batch() != nb || state.heads() != h || state.headDim() != d) {
      throw new IllegalArgumentException(
          "state is for B="
              + state.batch()
              + " H="
              + state.heads()
              + " D="
              + state.headDim()
              + ", input needs B="
              + nb
              + " H="
              + h
              + " D="
              + d);
    }
    // 1. Projections, split into heads: [B, L, W] -> [B, L, H, D] -> [B, H, L, D]
    Tensor xq = heads(c, c.linearBound(x, wq), nb, len);
    Tensor xk = heads(c, c.linearBound(x, wk), nb, len);
    Tensor xv = heads(c, c.linearBound(x, wv), nb, len);
    // 2. L2-normalise queries and keys over D; 3. the rotary seam.
    xq = rope.apply(c, c.l2Normalize(xq, TttConfig.L2_EPS), true);
    xk = rope.apply(c, c.l2Normalize(xk, TttConfig.L2_EPS), false);
    // 4. Reconstruction input: XV' = w ⊙ standardize(XV − XK) + b + XK      [B, H, L, D]
    Tensor target = c.standardize(c.sub(xv, xk), TttConfig.TARGET_EPS);
    Tensor xvPrime = c.add(c.add(c.mul(target, normWeightRows), normBiasRows), xk);
    // 5. η = base_lr · sigmoid(x · lr_weight[h] + lr_bias[h]) / D / M:
    //    [B, L, W] @ [W, H] -> [B, L, H] -> [B, H, L]
    Tensor eta = c.permute(c.scale(c.sigmoid(c.linearBound(x, lr)), config.etaScale()), 0, 2, 1);
    // 6. The scan.
    TttScanResult scan =
        c.tttScan(
            new TttScanInput(
                config.kind(),
                state,
                xq,
                xk,
                xvPrime,
                eta,
                params.normWeight(),
                params.normBias(),
                config.miniBatch()));
    // 7. Merge heads [B, H, L, D] -> [B, L, H, D] -> [B, L, W], post-norm, output projection.
    Tensor merged = c.permute(scan.out(), 0, 2, 1, 3).reshape(nb, len, w);
    Tensor normed =
        c.layerNorm(
            merged, params.postNormWeight(), params.postNormBias(), TttConfig.POST_NORM_EPS);
    return new Result(c.linearBound(normed, wo), scan.state());
  }

  /** [B, L, W] -> [B, H, L, D]. */
  private Tensor heads(Compute c, Tensor t, int nb, int len) {
    return c.permute(t.reshape(nb, len, config.heads(), config.headDim()), 0, 2, 1, 3);
  }
}
