package org.tttvideo.model.config;

import java.util.List;
import java.util.Objects;
import org.tttvideo.model.ttt.TttConfig;

/**
 * One immutable description of a video model: the diffusion transformer, its TTT layers, the latent
 * and output geometry, and the sampling defaults. Validated in the constructor; the derived sizes
 * are computed once ({@link Derived}). Build one from a preset and change what differs:
 *
 * <pre>{@code
 * ModelConfig small = ModelConfig.preset("small");
 * ModelConfig ablation = small.toBuilder().ttt(TttMode.NONE).attention(AttentionScope.FULL).build();
 * }</pre>
 *
 * <p>Legend: W = width, H = heads, D = W / H, E = time-embedding dim, C = latent channels, p =
 * patch size, T = text tokens per segment, P = video tokens per latent frame.
 *
 * @param name preset name (informational)
 * @param width W, the transformer width ({@code inner_dim} in diffusers)
 * @param heads H; D = W / H must be a multiple of 16 (3D rotary split t : h : w = 2 : 3 : 3)
 * @param layers number of transformer blocks
 * @param timeEmbedDim E ({@code time_embed_dim})
 * @param textDim width of the text encoder's output ({@code text_embed_dim}; 4096 for T5-XXL)
 * @param textTokens T, text tokens per segment
 * @param vocabSize vocabulary of the built-in token-embedding text encoder; 0 when the text encoder
 *     is external (T5)
 * @param latentChannels C
 * @param latentHeight latent rows per frame
 * @param latentWidth latent columns per frame
 * @param patchSize p, spatial patch of the patch embedding
 * @param firstSegmentFrames latent frames of the first segment (13 in the paper)
 * @param segmentFrames latent frames of every later segment (12 in the paper)
 * @param temporalCompression video frames per latent frame (the first latent frame of the video
 *     decodes to one frame, as in CogVideoX's VAE)
 * @param spatialCompression output pixels per latent pixel along each axis
 * @param fps output frames per second
 * @param ttt the TTT layer of each block
 * @param tttMiniBatch M, the TTT mini-batch at sampling (16 in the reference)
 * @param tttBaseLr {@code ttt_base_lr}
 * @param gateInit initial {@code gating_alpha} of the four TTT gates
 * @param bidirectional whether the backward TTT pass runs
 * @param attention the attention scope
 * @param steps default number of denoising steps
 * @param guidanceScale classifier-free guidance scale (the top of the dynamic schedule)
 * @param guidanceExponent exponent of the dynamic guidance schedule
 * @param derived sizes computed from the above (pass null; it is always recomputed)
 */
public record ModelConfig(
    String name,
    int width,
    int heads,
    int layers,
    int timeEmbedDim,
    int textDim,
    int textTokens,
    int vocabSize,
    int latentChannels,
    int latentHeight,
    int latentWidth,
    int patchSize,
    int firstSegmentFrames,
    int segmentFrames,
    int temporalCompression,
    int spatialCompression,
    int fps,
    TttMode ttt,
    int tttMiniBatch,
    double tttBaseLr,
    float gateInit,
    boolean bidirectional,
    AttentionScope attention,
    int steps,
    double guidanceScale,
    double guidanceExponent,
    Derived derived) {

  /** Layer-norm epsilon of the transformer ({@code norm_eps} in diffusers). */
  public static final float NORM_EPS = 1e-5f;

  /** Epsilon of the per-head Q/K layer norms (diffusers' {@code Attention(qk_norm=...)}). */
  public static final float QK_NORM_EPS = 1e-6f;

  /** Base of the rotary embedding frequencies. */
  public static final double ROPE_THETA = 10000.0;

  /** Preset names, in order of size. */
  public static final List<String> PRESETS = List.of("tiny", "small", "cogvideox-5b-ttt");

  /**
   * Sizes derived from the configuration, computed once.
   *
   * @param headDim D = W / H
   * @param latentRows latent rows / p (tokens per frame along the height)
   * @param latentCols latent columns / p
   * @param tokensPerFrame P = latentRows · latentCols
   * @param patchDim C · p · p, the input and output width of a patch
   * @param ffInnerDim 4W, the feed-forward hidden width
   * @param outputWidth latentWidth · spatialCompression
   * @param outputHeight latentHeight · spatialCompression
   */
  public record Derived(
      int headDim,
      int latentRows,
      int latentCols,
      int tokensPerFrame,
      int patchDim,
      int ffInnerDim,
      int outputWidth,
      int outputHeight) {}

  public ModelConfig {
    Objects.requireNonNull(name, "name");
    positive("width", width);
    positive("heads", heads);
    positive("layers", layers);
    positive("timeEmbedDim", timeEmbedDim);
    positive("textDim", textDim);
    positive("textTokens", textTokens);
    if (vocabSize < 0) {
      throw new IllegalArgumentException(
          "vocabSize must be >= 0 (0: external text encoder), got " + vocabSize);
    }
    positive("latentChannels", latentChannels);
    positive("latentHeight", latentHeight);
    positive("latentWidth", latentWidth);
    positive("patchSize", patchSize);
    positive("firstSegmentFrames", firstSegmentFrames);
    positive("segmentFrames", segmentFrames);
    positive("temporalCompression", temporalCompression);
    positive("spatialCompression", spatialCompression);
    positive("fps", fps);
    positive("steps", steps);
    if (width % heads != 0) {
      throw new IllegalArgumentException(
          "width " + width + " must be a multiple of heads " + heads);
    }
    int headDim = width / heads;
    if (headDim % 16 != 0) {
      throw new IllegalArgumentException(
          "head dim width/heads = "
              + headDim
              + " must be a multiple of 16 (the 3D rotary embedding splits it 2:3:3 into even parts)");
    }
    if (width % 2 != 0) {
      throw new IllegalArgumentException(
          "width must be even (sinusoidal timestep embedding), got " + width);
    }
    if (latentHeight % patchSize != 0 || latentWidth % patchSize != 0) {
      throw new IllegalArgumentException(
          "latent "
              + latentHeight
              + "x"
              + latentWidth
              + " must be a multiple of the patch size "
              + patchSize
              + " in both directions");
    }
    if (firstSegmentFrames < segmentFrames) {
      throw new IllegalArgumentException(
          "firstSegmentFrames "
              + firstSegmentFrames
              + " must be >= segmentFrames "
              + segmentFrames
              + " (the first segment carries the extra leading latent frame)");
    }
    Objects.requireNonNull(ttt, "ttt (none, linear or mlp)");
    Objects.requireNonNull(attention, "attention (segment, full or sliding:N)");
    if (ttt != TttMode.NONE) {
      positive("tttMiniBatch", tttMiniBatch);
      if (!(tttBaseLr > 0) || Double.isInfinite(tttBaseLr)) {
        throw new IllegalArgumentException(
            "tttBaseLr must be a positive finite number, got " + tttBaseLr);
      }
    }
    if (!Float.isFinite(gateInit)) {
      throw new IllegalArgumentException("gateInit must be finite, got " + gateInit);
    }
    if (!(guidanceScale >= 0) || Double.isInfinite(guidanceScale)) {
      throw new IllegalArgumentException(
          "guidanceScale must be >= 0 and finite, got " + guidanceScale);
    }
    if (!(guidanceExponent > 0) || Double.isInfinite(guidanceExponent)) {
      throw new IllegalArgumentException(
          "guidanceExponent must be > 0 and finite, got " + guidanceExponent);
    }
    int rows = latentHeight / patchSize;
    int cols = latentWidth / patchSize;
    derived =
        new Derived(
            headDim,
            rows,
            cols,
            rows * cols,
            latentChannels * patchSize * patchSize,
            4 * width,
            latentWidth * spatialCompression,
            latentHeight * spatialCompression);
  }

  private static void positive(String field, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be positive, got " + value);
    }
  }

  // ---------------------------------------------------------------- derived sizes

  /** D = W / H. */
  public int headDim() {
    return derived.headDim();
  }

  /** P, video tokens per latent frame. */
  public int tokensPerFrame() {
    return derived.tokensPerFrame();
  }

  /** Latent frames of segment {@code s} (0-based). */
  public int framesOf(int segment) {
    return segment == 0 ? firstSegmentFrames : segmentFrames;
  }

  /** Video tokens of segment {@code s}. */
  public int videoTokensOf(int segment) {
    return framesOf(segment) * derived.tokensPerFrame();
  }

  /** Total latent frames of a video of {@code segments} segments. */
  public int latentFrames(int segments) {
    return firstSegmentFrames + (segments - 1) * segmentFrames;
  }

  /**
   * Output video frames of segment {@code s}: the very first latent frame decodes to one frame,
   * every other one to {@code temporalCompression} frames (CogVideoX: 13 latent frames give 49).
   */
  public int outputFramesOf(int segment) {
    int n = framesOf(segment);
    return segment == 0 ? 1 + (n - 1) * temporalCompression : n * temporalCompression;
  }

  /** Output video frames of {@code segments} segments. */
  public int outputFrames(int segments) {
    return 1 + (latentFrames(segments) - 1) * temporalCompression;
  }

  /** Seconds of video of {@code segments} segments. */
  public double seconds(int segments) {
    return outputFrames(segments) / (double) fps;
  }

  /** The TTT layer's configuration, or null when {@link #ttt()} is {@link TttMode#NONE}. */
  public TttConfig tttConfig() {
    return ttt == TttMode.NONE
        ? null
        : new TttConfig(width, heads, ttt.kind(), tttMiniBatch, tttBaseLr);
  }

  /**
   * Checks that TTT mini-batches never straddle two segments ({@code TTT_SPEC.md} §4): text tokens
   * and the video tokens of every segment are multiples of M. Needed to run the model segment by
   * segment; the 5B preset's geometry (1350 tokens per frame) does not satisfy it and is used for
   * its parameter list only.
   *
   * @throws IllegalArgumentException naming the misaligned count
   */
  public void requireTttAligned() {
    if (ttt == TttMode.NONE) {
      return;
    }
    int m = tttMiniBatch;
    if (textTokens % m != 0) {
      throw new IllegalArgumentException(
          "textTokens " + textTokens + " must be a multiple of the TTT mini-batch " + m);
    }
    for (int s = 0; s < 2; s++) {
      if (videoTokensOf(s) % m != 0) {
        throw new IllegalArgumentException(
            (s == 0 ? "first" : "later")
                + " segment has "
                + videoTokensOf(s)
                + " video tokens, not a multiple of the TTT mini-batch "
                + m);
      }
    }
  }

  // ---------------------------------------------------------------- presets

  /**
   * A preset by name.
   *
   * <ul>
   *   <li>{@code tiny}: unit tests; a forward pass in milliseconds.
   *   <li>{@code small}: the local default; a 63-second video in minutes on two CPU cores.
   *   <li>{@code cogvideox-5b-ttt}: the paper's model (CogVideoX-5B with TTT-MLP).
   * </ul>
   */
  public static ModelConfig preset(String name) {
    return switch (name == null ? "" : name) {
      case "tiny" -> tiny();
      case "small" -> small();
      case "cogvideox-5b-ttt" -> cogVideoX5bTtt();
      default ->
          throw new IllegalArgumentException(
              "unknown preset '" + name + "': allowed are " + String.join(", ", PRESETS));
    };
  }

  /**
   * {@code tiny}: W 32, 2 heads of 16, 2 blocks, latent 4 x 4 x 4 with patch 2 (4 tokens per
   * frame), 3 latent frames in the first segment and 2 in each later one, 4 text tokens, TTT-MLP
   * with mini-batch 4, 16x16-pixel output (the smallest frame libopenh264 encodes).
   */
  public static ModelConfig tiny() {
    return builder()
        .name("tiny")
        .width(32)
        .heads(2)
        .layers(2)
        .timeEmbedDim(32)
        .textDim(16)
        .textTokens(4)
        .vocabSize(64)
        .latentChannels(4)
        .latentHeight(4)
        .latentWidth(4)
        .patchSize(2)
        .firstSegmentFrames(3)
        .segmentFrames(2)
        .temporalCompression(4)
        .spatialCompression(4)
        .fps(8)
        .ttt(TttMode.MLP)
        .tttMiniBatch(4)
        .steps(4)
        .build();
  }

  /**
   * {@code small}: the local default, sized so that a 63-second video (21 segments), all 20
   * denoising steps and decoding included, runs well inside 5 minutes on two CPU cores, at 192x128
   * and 8 fps. Width 128 (4 heads of 32), 4 blocks, TTT-MLP with mini-batch 16; latent 4 x 16 x 24
   * per frame with patch 2 (96 tokens per frame), 4 latent frames in the first segment and 3 in
   * each later one (288 video + 16 text tokens per segment, so windows of 400 tokens), decoded 8x
   * in space and 8x in time (24 frames per 3-second segment). Measured on the shared 2-core
   * machine: about 4.4 s per denoising step for 21 segments, so 20 steps take about 90 s, leaving
   * room for a loaded machine; the decoder is about 1% of the time.
   */
  public static ModelConfig small() {
    return builder()
        .name("small")
        .width(128)
        .heads(4)
        .layers(4)
        .timeEmbedDim(128)
        .textDim(64)
        .textTokens(16)
        .vocabSize(1024)
        .latentChannels(4)
        .latentHeight(16)
        .latentWidth(24)
        .patchSize(2)
        .firstSegmentFrames(4)
        .segmentFrames(3)
        .temporalCompression(8)
        .spatialCompression(8)
        .fps(8)
        .ttt(TttMode.MLP)
        .tttMiniBatch(16)
        .steps(20)
        .build();
  }

  /**
   * {@code cogvideox-5b-ttt}: the paper's model. 42 blocks of width 3072 (48 heads of 64), time
   * embedding 512, T5-XXL text (4096 wide, 226 tokens per segment), latent 16 x 60 x 90 per frame
   * with patch 2, 13 latent frames in the first segment and 12 in each later one (3 s each), 16 fps
   * at 720x480, TTT-MLP with mini-batch 16 and base lr 0.1, bidirectional, segment attention, 50
   * DDIM steps, guidance 6 with exponent 5.
   */
  public static ModelConfig cogVideoX5bTtt() {
    return builder()
        .name("cogvideox-5b-ttt")
        .width(3072)
        .heads(48)
        .layers(42)
        .timeEmbedDim(512)
        .textDim(4096)
        .textTokens(226)
        .vocabSize(0)
        .latentChannels(16)
        .latentHeight(60)
        .latentWidth(90)
        .patchSize(2)
        .firstSegmentFrames(13)
        .segmentFrames(12)
        .temporalCompression(4)
        .spatialCompression(8)
        .fps(16)
        .ttt(TttMode.MLP)
        .tttMiniBatch(16)
        .steps(50)
        .build();
  }

  // ---------------------------------------------------------------- builder

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.width = width;
    b.heads = heads;
    b.layers = layers;
    b.timeEmbedDim = timeEmbedDim;
    b.textDim = textDim;
    b.textTokens = textTokens;
    b.vocabSize = vocabSize;
    b.latentChannels = latentChannels;
    b.latentHeight = latentHeight;
    b.latentWidth = latentWidth;
    b.patchSize = patchSize;
    b.firstSegmentFrames = firstSegmentFrames;
    b.segmentFrames = segmentFrames;
    b.temporalCompression = temporalCompression;
    b.spatialCompression = spatialCompression;
    b.fps = fps;
    b.ttt = ttt;
    b.tttMiniBatch = tttMiniBatch;
    b.tttBaseLr = tttBaseLr;
    b.gateInit = gateInit;
    b.bidirectional = bidirectional;
    b.attention = attention;
    b.steps = steps;
    b.guidanceScale = guidanceScale;
    b.guidanceExponent = guidanceExponent;
    return b;
  }

  /** Mutable builder; {@link #build()} validates. Defaults follow the paper's model. */
  public static final class Builder {
    private String name = "custom";
    private int width;
    private int heads;
    private int layers;
    private int timeEmbedDim;
    private int textDim;
    private int textTokens;
    private int vocabSize;
    private int latentChannels;
    private int latentHeight;
    private int latentWidth;
    private int patchSize = 2;
    private int firstSegmentFrames;
    private int segmentFrames;
    private int temporalCompression = 4;
    private int spatialCompression = 8;
    private int fps = 16;
    private TttMode ttt = TttMode.MLP;
    private int tttMiniBatch = 16;
    private double tttBaseLr = 0.1;
    private float gateInit = 0.1f;
    private boolean bidirectional = true;
    private AttentionScope attention = AttentionScope.SEGMENT;
    private int steps = 50;
    private double guidanceScale = 6.0;
    private double guidanceExponent = 5.0;

    private Builder() {}

    public Builder name(String v) {
      name = v;
      return this;
    }

    public Builder width(int v) {
      width = v;
      return this;
    }

    public Builder heads(int v) {
      heads = v;
      return this;
    }

    public Builder layers(int v) {
      layers = v;
      return this;
    }

    public Builder timeEmbedDim(int v) {
      timeEmbedDim = v;
      return this;
    }

    public Builder textDim(int v) {
      textDim = v;
      return this;
    }

    public Builder textTokens(int v) {
      textTokens = v;
      return this;
    }

    public Builder vocabSize(int v) {
      vocabSize = v;
      return this;
    }

    public Builder latentChannels(int v) {
      latentChannels = v;
      return this;
    }

    public Builder latentHeight(int v) {
      latentHeight = v;
      return this;
    }

    public Builder latentWidth(int v) {
      latentWidth = v;
      return this;
    }

    public Builder patchSize(int v) {
      patchSize = v;
      return this;
    }

    public Builder firstSegmentFrames(int v) {
      firstSegmentFrames = v;
      return this;
    }

    public Builder segmentFrames(int v) {
      segmentFrames = v;
      return this;
    }

    public Builder temporalCompression(int v) {
      temporalCompression = v;
      return this;
    }

    public Builder spatialCompression(int v) {
      spatialCompression = v;
      return this;
    }

    public Builder fps(int v) {
      fps = v;
      return this;
    }

    public Builder ttt(TttMode v) {
      ttt = v;
      return this;
    }

    public Builder tttMiniBatch(int v) {
      tttMiniBatch = v;
      return this;
    }

    public Builder tttBaseLr(double v) {
      tttBaseLr = v;
      return this;
    }

    public Builder gateInit(float v) {
      gateInit = v;
      return this;
    }

    public Builder bidirectional(boolean v) {
      bidirectional = v;
      return this;
    }

    public Builder attention(AttentionScope v) {
      attention = v;
      return this;
    }

    public Builder steps(int v) {
      steps = v;
      return this;
    }

    public Builder guidanceScale(double v) {
      guidanceScale = v;
      return this;
    }

    public Builder guidanceExponent(double v) {
      guidanceExponent = v;
      return this;
    }

    public ModelConfig build() {
      return new ModelConfig(
          name,
          width,
          heads,
          layers,
          timeEmbedDim,
          textDim,
          textTokens,
          vocabSize,
          latentChannels,
          latentHeight,
          latentWidth,
          patchSize,
          firstSegmentFrames,
          segmentFrames,
          temporalCompression,
          spatialCompression,
          fps,
          ttt,
          tttMiniBatch,
          tttBaseLr,
          gateInit,
          bidirectional,
          attention,
          steps,
          guidanceScale,
          guidanceExponent,
          null);
    }
  }
}
