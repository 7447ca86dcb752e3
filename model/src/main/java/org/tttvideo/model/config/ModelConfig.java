package org.tttvideo.model.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 * <p>A final class rather than a record so that the derived sizes are a field, not a constructor
 * argument; the only way to make one is the {@link Builder}. Two configurations are equal when all
 * the values below are; {@link #identity()} names that value for stored state.
 *
 * <p>The values, each with an accessor of its name and a builder setter:
 *
 * <ul>
 *   <li>{@code name}: the preset name, or "custom" by default; shown to users, not enough to tell
 *       configurations apart (see {@link #identity()})
 *   <li>{@code width}: W, the transformer width ({@code inner_dim} in diffusers)
 *   <li>{@code heads}: H; D = W / H must be a multiple of 16 (3D rotary split t : h : w = 2 : 3 :
 *       3)
 *   <li>{@code layers}: number of transformer blocks
 *   <li>{@code timeEmbedDim}: E ({@code time_embed_dim})
 *   <li>{@code textDim}: width of the text encoder's output ({@code text_embed_dim}; 4096 for
 *       T5-XXL)
 *   <li>{@code textTokens}: T, text tokens per segment
 *   <li>{@code vocabSize}: vocabulary of the built-in token-embedding text encoder; 0 when the text
 *       encoder is external (T5)
 *   <li>{@code latentChannels}: C
 *   <li>{@code latentHeight}: latent rows per frame
 *   <li>{@code latentWidth}: latent columns per frame
 *   <li>{@code patchSize}: p, spatial patch of the patch embedding
 *   <li>{@code firstSegmentFrames}: latent frames of the first segment (13 in the paper)
 *   <li>{@code segmentFrames}: latent frames of every later segment (12 in the paper)
 *   <li>{@code temporalCompression}: video frames per latent frame (the first latent frame of the
 *       video decodes to one frame, as in CogVideoX's VAE)
 *   <li>{@code spatialCompression}: output pixels per latent pixel along each axis
 *   <li>{@code fps}: output frames per second
 *   <li>{@code ttt}: the TTT layer of each block
 *   <li>{@code tttMiniBatch}: M, the TTT mini-batch at sampling (16 in the reference)
 *   <li>{@code tttBaseLr}: {@code ttt_base_lr}
 *   <li>{@code gateInit}: initial {@code gating_alpha} of the four TTT gates
 *   <li>{@code bidirectional}: whether the backward TTT pass runs
 *   <li>{@code attention}: the attention scope
 *   <li>{@code steps}: default number of denoising steps
 *   <li>{@code guidanceScale}: classifier-free guidance scale (the top of the dynamic schedule)
 *   <li>{@code guidanceExponent}: exponent of the dynamic guidance schedule
 * </ul>
 */
public final class ModelConfig {
  private final String name;
  private final int width;
  private final int heads;
  private final int layers;
  private final int timeEmbedDim;
  private final int textDim;
  private final int textTokens;
  private final int vocabSize;
  private final int latentChannels;
  private final int latentHeight;
  private final int latentWidth;
  private final int patchSize;
  private final int firstSegmentFrames;
  private final int segmentFrames;
  private final int temporalCompression;
  private final int spatialCompression;
  private final int fps;
  private final TttMode ttt;
  private final int tttMiniBatch;
  private final double tttBaseLr;
  private final float gateInit;
  private final boolean bidirectional;
  private final AttentionScope attention;
  private final int steps;
  private final double guidanceScale;
  private final double guidanceExponent;
  private final Derived derived;

  /** Layer-norm epsilon of the transformer ({@code norm_eps} in diffusers). */
  public static final float NORM_EPS = 1e-5f;

  /** Epsilon of the per-head Q/K layer norms (diffusers' {@code Attention(qk_norm=...)}). */
  public static final float QK_NORM_EPS = 1e-6f;

  /** Base of the rotary embedding frequencies. */
  public static final double ROPE_THETA = 10000.0;

  /** Preset names, in order of size. */
  public static final List<String> PRESETS = List.of("tiny", "small", "cogvideox-5b-ttt");

  /** The presets that can generate videos today, in order of size (see {@link #whyNotRunnable}). */
  public static final List<String> RUNNABLE_PRESETS = List.of("tiny", "small");

  /**
   * Why preset {@code name} cannot generate videos yet; empty when it can, or when it is no preset.
   * Selecting such a preset is refused up front: building it would allocate its weights (7.23
   * billion parameters for the 5B preset) before anything failed.
   */
  public static Optional<String> whyNotRunnable(String name) {
    if ("cogvideox-5b-ttt".equals(name)) {
      return Optional.of(
          "there is no loader for the real CogVideoX-5B checkpoint yet (nor its T5 text encoder"
              + " and VAE), so it would allocate 7.23 billion seeded parameters and make noise;"
              + " it describes the paper's model for parameter counts only");
    }
    return Optional.empty();
  }

  /**
   * Checks a preset chosen by a setting: known, and able to run.
   *
   * @param option the setting that gave the name ("model.preset", "preset"), for the message
   * @throws IllegalArgumentException naming the option, the value and the allowed presets, or why
   *     the preset cannot run
   */
  public static void requireRunnablePreset(String option, String name) {
    if (!PRESETS.contains(name)) {
      throw new IllegalArgumentException(
          option + " is '" + name + "'; allowed are " + String.join(", ", PRESETS));
    }
    Optional<String> why = whyNotRunnable(name);
    if (why.isPresent()) {
      throw new IllegalArgumentException(
          option
              + " is '"
              + name
              + "', which cannot run: "
              + why.get()
              + ". Presets that run: "
              + String.join(", ", RUNNABLE_PRESETS));
    }
  }

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

  private ModelConfig(Builder b) {
    String name = b.name;
    int width = b.width;
    int heads = b.heads;
    int layers = b.layers;
    int timeEmbedDim = b.timeEmbedDim;
    int textDim = b.textDim;
    int textTokens = b.textTokens;
    int vocabSize = b.vocabSize;
    int latentChannels = b.latentChannels;
    int latentHeight = b.latentHeight;
    int latentWidth = b.latentWidth;
    int patchSize = b.patchSize;
    int firstSegmentFrames = b.firstSegmentFrames;
    int segmentFrames = b.segmentFrames;
    int temporalCompression = b.temporalCompression;
    int spatialCompression = b.spatialCompression;
    int fps = b.fps;
    TttMode ttt = b.ttt;
    int tttMiniBatch = b.tttMiniBatch;
    double tttBaseLr = b.tttBaseLr;
    float gateInit = b.gateInit;
    boolean bidirectional = b.bidirectional;
    AttentionScope attention = b.attention;
    int steps = b.steps;
    double guidanceScale = b.guidanceScale;
    double guidanceExponent = b.guidanceExponent;
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
    this.derived =
        new Derived(
            headDim,
            rows,
            cols,
            rows * cols,
            latentChannels * patchSize * patchSize,
            4 * width,
            latentWidth * spatialCompression,
            latentHeight * spatialCompression);
    this.name = name;
    this.width = width;
    this.heads = heads;
    this.layers = layers;
    this.timeEmbedDim = timeEmbedDim;
    this.textDim = textDim;
    this.textTokens = textTokens;
    this.vocabSize = vocabSize;
    this.latentChannels = latentChannels;
    this.latentHeight = latentHeight;
    this.latentWidth = latentWidth;
    this.patchSize = patchSize;
    this.firstSegmentFrames = firstSegmentFrames;
    this.segmentFrames = segmentFrames;
    this.temporalCompression = temporalCompression;
    this.spatialCompression = spatialCompression;
    this.fps = fps;
    this.ttt = ttt;
    this.tttMiniBatch = tttMiniBatch;
    this.tttBaseLr = tttBaseLr;
    this.gateInit = gateInit;
    this.bidirectional = bidirectional;
    this.attention = attention;
    this.steps = steps;
    this.guidanceScale = guidanceScale;
    this.guidanceExponent = guidanceExponent;
  }

  private static void positive(String field, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be positive, got " + value);
    }
  }

  // ---------------------------------------------------------------- values

  public String name() {
    return name;
  }

  public int width() {
    return width;
  }

  public int heads() {
    return heads;
  }

  public int layers() {
    return layers;
  }

  public int timeEmbedDim() {
    return timeEmbedDim;
  }

  public int textDim() {
    return textDim;
  }

  public int textTokens() {
    return textTokens;
  }

  public int vocabSize() {
    return vocabSize;
  }

  public int latentChannels() {
    return latentChannels;
  }

  public int latentHeight() {
    return latentHeight;
  }

  public int latentWidth() {
    return latentWidth;
  }

  public int patchSize() {
    return patchSize;
  }

  public int firstSegmentFrames() {
    return firstSegmentFrames;
  }

  public int segmentFrames() {
    return segmentFrames;
  }

  public int temporalCompression() {
    return temporalCompression;
  }

  public int spatialCompression() {
    return spatialCompression;
  }

  public int fps() {
    return fps;
  }

  public TttMode ttt() {
    return ttt;
  }

  public int tttMiniBatch() {
    return tttMiniBatch;
  }

  public double tttBaseLr() {
    return tttBaseLr;
  }

  public float gateInit() {
    return gateInit;
  }

  public boolean bidirectional() {
    return bidirectional;
  }

  public AttentionScope attention() {
    return attention;
  }

  public int steps() {
    return steps;
  }

  public double guidanceScale() {
    return guidanceScale;
  }

  public double guidanceExponent() {
    return guidanceExponent;
  }

  /** The sizes derived from the values, computed once in the constructor. */
  public Derived derived() {
    return derived;
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

  // ---------------------------------------------------------------- identity

  /**
   * The configuration's identity for stored state: the preset name when this equals that preset
   * exactly, else the name and a fingerprint of every value ({@code custom#1a2b3c4d5e6f7081}).
   * Generation state records it and a generator refuses state of another identity, so a restored
   * video never continues on a model that differs in any value, even one with the same name (every
   * builder configuration is named "custom"). Preset identities are the bare names that state
   * written before this method held, so stored bytes are unchanged.
   */
  public String identity() {
    if (PRESETS.contains(name) && equals(preset(name))) {
      return name;
    }
    byte[] digest;
    try {
      digest =
          MessageDigest.getInstance("SHA-256").digest(toString().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    return name + "#" + HexFormat.of().formatHex(digest, 0, 8);
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof ModelConfig o)) {
      return false;
    }
    return name.equals(o.name)
        && width == o.width
        && heads == o.heads
        && layers == o.layers
        && timeEmbedDim == o.timeEmbedDim
        && textDim == o.textDim
        && textTokens == o.textTokens
        && vocabSize == o.vocabSize
        && latentChannels == o.latentChannels
        && latentHeight == o.latentHeight
        && latentWidth == o.latentWidth
        && patchSize == o.patchSize
        && firstSegmentFrames == o.firstSegmentFrames
        && segmentFrames == o.segmentFrames
        && temporalCompression == o.temporalCompression
        && spatialCompression == o.spatialCompression
        && fps == o.fps
        && ttt.equals(o.ttt)
        && tttMiniBatch == o.tttMiniBatch
        && Double.compare(tttBaseLr, o.tttBaseLr) == 0
        && Float.compare(gateInit, o.gateInit) == 0
        && bidirectional == o.bidirectional
        && attention.equals(o.attention)
        && steps == o.steps
        && Double.compare(guidanceScale, o.guidanceScale) == 0
        && Double.compare(guidanceExponent, o.guidanceExponent) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
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
        guidanceExponent);
  }

  /** Every value, in declaration order, as a record would print them. */
  @Override
  public String toString() {
    return "ModelConfig["
        + "name="
        + name
        + ", width="
        + width
        + ", heads="
        + heads
        + ", layers="
        + layers
        + ", timeEmbedDim="
        + timeEmbedDim
        + ", textDim="
        + textDim
        + ", textTokens="
        + textTokens
        + ", vocabSize="
        + vocabSize
        + ", latentChannels="
        + latentChannels
        + ", latentHeight="
        + latentHeight
        + ", latentWidth="
        + latentWidth
        + ", patchSize="
        + patchSize
        + ", firstSegmentFrames="
        + firstSegmentFrames
        + ", segmentFrames="
        + segmentFrames
        + ", temporalCompression="
        + temporalCompression
        + ", spatialCompression="
        + spatialCompression
        + ", fps="
        + fps
        + ", ttt="
        + ttt
        + ", tttMiniBatch="
        + tttMiniBatch
        + ", tttBaseLr="
        + tttBaseLr
        + ", gateInit="
        + gateInit
        + ", bidirectional="
        + bidirectional
        + ", attention="
        + attention
        + ", steps="
        + steps
        + ", guidanceScale="
        + guidanceScale
        + ", guidanceExponent="
        + guidanceExponent
        + "]";
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
      return new ModelConfig(this);
    }
  }
}
