package org.tttvideo.model.ttt;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttState;

/**
 * The gated bidirectional TTT step of a transformer block ({@code TTT_SPEC.md} §4; reference {@code
 * SeqModelingBlock} in {@code ttt/models/cogvideo/dit.py}). One TTT layer serves both directions;
 * four per-channel gates {@code tanh(alpha)}, text gates on text positions and video gates on video
 * positions:
 *
 * <pre>
 * y1 = x  + gate_fwd(TTT(x))            scanned in the forward order of the layout
 * y2 = TTT(y1)                          scanned in the backward order, from the initial state
 * y  = y1 + gate_bwd(y2)
 * </pre>
 *
 * Inputs and outputs are in the model's layout (all text, then all video); the reorderings are
 * gathers by {@link TokenLayout}'s orders.
 *
 * <p>Legend: B = batch, L = tokens, W = width.
 */
public final class BidirectionalTtt {
  /** Checkpoint names of the four gates, relative to the block. */
  public static final String FORWARD_TEXT = "forward_ssm_gating_text.gating_alpha";

  public static final String FORWARD_VIDEO = "forward_ssm_gating_video.gating_alpha";
  public static final String BACKWARD_TEXT = "backward_ssm_gating_text.gating_alpha";
  public static final String BACKWARD_VIDEO = "backward_ssm_gating_video.gating_alpha";

  /** Initial value of every gate's alpha in the reference. */
  public static final float GATE_INIT = 0.1f;

  private final TttLayer ttt;
  private final Tensor forwardText; // [W]
  private final Tensor forwardVideo; // [W]
  private final Tensor backwardText; // [W]
  private final Tensor backwardVideo; // [W]

  /** The gates' alphas are {@code [W]} each. */
  public BidirectionalTtt(
      TttLayer ttt,
      Tensor forwardText,
      Tensor forwardVideo,
      Tensor backwardText,
      Tensor backwardVideo) {
    int w = ttt.config().width();
    for (Tensor g : new Tensor[] {forwardText, forwardVideo, backwardText, backwardVideo}) {
      if (g == null || g.rank() != 1 || g.dim(0) != w) {
        throw new IllegalArgumentException("every gating_alpha must be [" + w + "], got " + g);
      }
    }
    this.ttt = ttt;
    this.forwardText = forwardText;
    this.forwardVideo = forwardVideo;
    this.backwardText = backwardText;
    this.backwardVideo = backwardVideo;
  }

  /** Gates initialised to {@link #GATE_INIT}, as in the reference. */
  public static BidirectionalTtt withInitialGates(TttLayer ttt) {
    int w = ttt.config().width();
    float[] a = new float[w];
    java.util.Arrays.fill(a, GATE_INIT);
    Tensor g = Tensor.of(a, w);
    return new BidirectionalTtt(ttt, g, g, g, g);
  }

  /** Builds the module from checkpoint-named tensors (TTT parameters plus the four gates). */
  public static BidirectionalTtt fromNamed(TttConfig config, Map<String, Tensor> named) {
    TttLayer layer = new TttLayer(config, TttParams.fromNamed(config, named));
    return new BidirectionalTtt(
        layer,
        require(named, FORWARD_TEXT),
        require(named, FORWARD_VIDEO),
        require(named, BACKWARD_TEXT),
        require(named, BACKWARD_VIDEO));
  }

  private static Tensor require(Map<String, Tensor> named, String key) {
    Tensor t = named.get(key);
    if (t == null) {
      throw new IllegalArgumentException("missing TTT gate '" + key + "'");
    }
    return t;
  }

  /** The parameters under their checkpoint names. */
  public Map<String, Tensor> toNamedTensors() {
    Map<String, Tensor> m = new LinkedHashMap<>(ttt.params().toNamedTensors());
    m.put(FORWARD_TEXT, forwardText);
    m.put(FORWARD_VIDEO, forwardVideo);
    m.put(BACKWARD_TEXT, backwardText);
    m.put(BACKWARD_VIDEO, backwardVideo);
    return m;
  }

  public TttLayer layer() {
    return ttt;
  }

  /** Direction of a scan. */
  public enum Direction {
    FORWARD,
    BACKWARD
  }

  /**
   * The whole step on {@code x [B, L, W]} in the model's layout.
   *
   * @param rope applied to Q and K in scan order (identity for the reference vectors)
   * @return {@code y [B, L, W]} in the model's layout
   */
  public Tensor forward(Compute c, Tensor x, TokenLayout layout, QkTransform rope) {
    int nb = x.dim(0);
    Tensor y1 =
        c.add(
            x,
            gated(
                c, Direction.FORWARD, scanAll(c, Direction.FORWARD, x, layout, rope, nb), layout));
    Tensor y2 = scanAll(c, Direction.BACKWARD, y1, layout, rope, nb);
    return c.add(y1, gated(c, Direction.BACKWARD, y2, layout));
  }

  /** One direction's TTT over the whole sequence, from the initial state, in the model's layout. */
  private Tensor scanAll(
      Compute c, Direction dir, Tensor x, TokenLayout layout, QkTransform rope, int nb) {
    int[] order = dir == Direction.FORWARD ? layout.forwardOrder() : layout.backwardOrder();
    TttState s0 = ttt.initialState(nb);
    Tensor scanned = ttt.forward(c, s0, c.gather(x, 1, order), rope).out();
    return c.gather(scanned, 1, TokenLayout.inverse(order));
  }

  /**
   * {@code tanh(alpha) ⊙ y} with the text gate on text positions and the video gate on video
   * positions of {@code y [B, L, W]} (model layout).
   */
  public Tensor gated(Compute c, Direction dir, Tensor y, TokenLayout layout) {
    return c.mul(y, gateRows(c, dir, layout));
  }

  /** Per-position gates {@code [L, W]} in the model's layout. */
  public Tensor gateRows(Compute c, Direction dir, TokenLayout layout) {
    return dir == Direction.FORWARD
        ? gateRows(c, forwardText, forwardVideo, layout.totalText(), layout.totalTokens())
        : gateRows(c, backwardText, backwardVideo, layout.totalText(), layout.totalTokens());
  }

  /**
   * Per-row gates {@code [len, W]} of direction {@code dir} for a piece of {@code textRows} text
   * rows followed by video rows (a segment's piece of a scan, as the transformer runs it).
   */
  public Tensor gateRows(Compute c, Direction dir, int textRows, int len) {
    return dir == Direction.FORWARD
        ? gateRows(c, forwardText, forwardVideo, textRows, len)
        : gateRows(c, backwardText, backwardVideo, textRows, len);
  }

  /**
   * Per-row gates {@code [len, W]}: {@code tanh(textAlpha)} on the first {@code textRows} rows,
   * {@code tanh(videoAlpha)} on the others. Serves the whole model layout (all text first) and a
   * single segment's piece (its text, then its video) alike.
   */
  public static Tensor gateRows(
      Compute c, Tensor textAlpha, Tensor videoAlpha, int textRows, int len) {
    int w = textAlpha.dim(0);
    float[] both = new float[2 * w];
    System.arraycopy(textAlpha.data(), 0, both, 0, w);
    System.arraycopy(videoAlpha.data(), 0, both, w, w);
    Tensor tanh = c.tanh(Tensor.of(both, 2, w)); // [2, W]: row 0 text, row 1 video
    int[] rowOf = new int[len];
    for (int p = textRows; p < len; p++) {
      rowOf[p] = 1;
    }
    return c.gather(tanh, 0, rowOf); // [len, W]
  }
}
