package org.tttvideo.model.config;

import java.util.Objects;
import org.tttvideo.model.decode.VaeConfig;
import org.tttvideo.model.ttt.TttConfig;

/**
 * One immutable description of a video model: the diffusion transformer, its TTT layers, the latent
 * and output geometry, and the sampling defaults. Validated in the constructor ({@link
 * ModelConfigValidation}); the derived sizes are computed once ({@link DerivedSizes}). Build one
 * from a preset ({@link ModelPresets}) and change what differs:
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
 * argument; the only way to make one is the {@link ModelConfigBuilder}. Two configurations are
 * equal when all the values below are; {@link #identity()} names that value for stored state.
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
 *   <li>{@code vae}: the causal 3D VAE whose decoder turns latents into frames ({@link
 *       org.tttvideo.model.decode.CausalVaeDecoder}, its tensors under {@code decoder.} in the
 *       model's weights), or null for the built-in linear patch decoder; its latent channels and
 *       compressions must equal the model's
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
  private final VaeConfig vae;
  private final DerivedSizes derived;

  /** Layer-norm epsilon of the transformer ({@code norm_eps} in diffusers). */
  public static final float NORM_EPS = 1e-5f;

  /** Epsilon of the per-head Q/K layer norms (diffusers' {@code Attention(qk_norm=...)}). */
  public static final float QK_NORM_EPS = 1e-6f;

  /** Base of the rotary embedding frequencies. */
  public static final double ROPE_THETA = 10000.0;

  ModelConfig(ModelConfigBuilder b) {
    ModelConfigValidation.validate(b);
    this.derived = DerivedSizes.of(b);
    this.name = b.name;
    this.width = b.width;
    this.heads = b.heads;
    this.layers = b.layers;
    this.timeEmbedDim = b.timeEmbedDim;
    this.textDim = b.textDim;
    this.textTokens = b.textTokens;
    this.vocabSize = b.vocabSize;
    this.latentChannels = b.latentChannels;
    this.latentHeight = b.latentHeight;
    this.latentWidth = b.latentWidth;
    this.patchSize = b.patchSize;
    this.firstSegmentFrames = b.firstSegmentFrames;
    this.segmentFrames = b.segmentFrames;
    this.temporalCompression = b.temporalCompression;
    this.spatialCompression = b.spatialCompression;
    this.fps = b.fps;
    this.ttt = b.ttt;
    this.tttMiniBatch = b.tttMiniBatch;
    this.tttBaseLr = b.tttBaseLr;
    this.gateInit = b.gateInit;
    this.bidirectional = b.bidirectional;
    this.attention = b.attention;
    this.steps = b.steps;
    this.guidanceScale = b.guidanceScale;
    this.guidanceExponent = b.guidanceExponent;
    this.vae = b.vae;
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

  /** The VAE that decodes the latents, or null for the built-in linear patch decoder. */
  public VaeConfig vae() {
    return vae;
  }

  /** The sizes derived from the values, computed once in the constructor. */
  public DerivedSizes derived() {
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
    ModelConfigValidation.requireTttAligned(this);
  }

  // ---------------------------------------------------------------- presets

  /** The preset {@code name}; see {@link ModelPresets#named}. */
  public static ModelConfig preset(String name) {
    return ModelPresets.named(name);
  }

  /** The {@code tiny} preset; see {@link ModelPresets#tiny}. */
  public static ModelConfig tiny() {
    return ModelPresets.tiny();
  }

  /** The {@code small} preset; see {@link ModelPresets#small}. */
  public static ModelConfig small() {
    return ModelPresets.small();
  }

  /** The {@code cogvideox-5b-ttt} preset; see {@link ModelPresets#cogVideoX5bTtt}. */
  public static ModelConfig cogVideoX5bTtt() {
    return ModelPresets.cogVideoX5bTtt();
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
    return ModelConfigIdentity.of(this);
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
        && Double.compare(guidanceExponent, o.guidanceExponent) == 0
        && Objects.equals(vae, o.vae);
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
        guidanceExponent,
        vae);
  }

  /**
   * Every value, in declaration order, as a record would print them; {@code vae} only when set, so
   * that the string (and the {@link #identity()} fingerprint made from it) of a configuration
   * without a VAE is what it was before the field existed.
   */
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
        + (vae == null ? "" : ", vae=" + vae)
        + "]";
  }

  // ---------------------------------------------------------------- builder

  /** An empty builder with the paper model's defaults; see {@link ModelConfigBuilder}. */
  public static ModelConfigBuilder builder() {
    return new ModelConfigBuilder();
  }

  /** A builder holding this configuration's values. */
  public ModelConfigBuilder toBuilder() {
    return new ModelConfigBuilder(this);
  }
}
