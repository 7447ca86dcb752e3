package org.tttvideo.model.config;

import java.util.Objects;

/**
 * The rules a {@link ModelConfig} obeys, checked when it is built, and the stricter TTT alignment a
 * configuration needs to run segment by segment. Every message names the value, what it is and what
 * is allowed.
 */
final class ModelConfigValidation {
  private ModelConfigValidation() {}

  /**
   * Checks the builder's values, in the order of the legend in {@link ModelConfig}.
   *
   * @throws IllegalArgumentException naming the first bad value
   * @throws NullPointerException naming a missing name, TTT mode or attention scope
   */
  static void validate(ModelConfigBuilder b) {
    Objects.requireNonNull(b.name, "name");
    positive("width", b.width);
    positive("heads", b.heads);
    positive("layers", b.layers);
    positive("timeEmbedDim", b.timeEmbedDim);
    positive("textDim", b.textDim);
    positive("textTokens", b.textTokens);
    if (b.vocabSize < 0) {
      throw new IllegalArgumentException(
          "vocabSize must be >= 0 (0: external text encoder), got " + b.vocabSize);
    }
    positive("latentChannels", b.latentChannels);
    positive("latentHeight", b.latentHeight);
    positive("latentWidth", b.latentWidth);
    positive("patchSize", b.patchSize);
    positive("firstSegmentFrames", b.firstSegmentFrames);
    positive("segmentFrames", b.segmentFrames);
    positive("temporalCompression", b.temporalCompression);
    positive("spatialCompression", b.spatialCompression);
    positive("fps", b.fps);
    positive("steps", b.steps);
    if (b.width % b.heads != 0) {
      throw new IllegalArgumentException(
          "width " + b.width + " must be a multiple of heads " + b.heads);
    }
    int headDim = b.width / b.heads;
    if (headDim % 16 != 0) {
      throw new IllegalArgumentException(
          "head dim width/heads = "
              + headDim
              + " must be a multiple of 16 (the 3D rotary embedding splits it 2:3:3 into even parts)");
    }
    if (b.width % 2 != 0) {
      throw new IllegalArgumentException(
          "width must be even (sinusoidal timestep embedding), got " + b.width);
    }
    if (b.latentHeight % b.patchSize != 0 || b.latentWidth % b.patchSize != 0) {
      throw new IllegalArgumentException(
          "latent "
              + b.latentHeight
              + "x"
              + b.latentWidth
              + " must be a multiple of the patch size "
              + b.patchSize
              + " in both directions");
    }
    if (b.firstSegmentFrames < b.segmentFrames) {
      throw new IllegalArgumentException(
          "firstSegmentFrames "
              + b.firstSegmentFrames
              + " must be >= segmentFrames "
              + b.segmentFrames
              + " (the first segment carries the extra leading latent frame)");
    }
    Objects.requireNonNull(b.ttt, "ttt (none, linear or mlp)");
    Objects.requireNonNull(b.attention, "attention (segment, full or sliding:N)");
    if (b.ttt != TttMode.NONE) {
      positive("tttMiniBatch", b.tttMiniBatch);
      if (!(b.tttBaseLr > 0) || Double.isInfinite(b.tttBaseLr)) {
        throw new IllegalArgumentException(
            "tttBaseLr must be a positive finite number, got " + b.tttBaseLr);
      }
    }
    if (!Float.isFinite(b.gateInit)) {
      throw new IllegalArgumentException("gateInit must be finite, got " + b.gateInit);
    }
    if (!(b.guidanceScale >= 0) || Double.isInfinite(b.guidanceScale)) {
      throw new IllegalArgumentException(
          "guidanceScale must be >= 0 and finite, got " + b.guidanceScale);
    }
    if (!(b.guidanceExponent > 0) || Double.isInfinite(b.guidanceExponent)) {
      throw new IllegalArgumentException(
          "guidanceExponent must be > 0 and finite, got " + b.guidanceExponent);
    }
    if (b.vae != null) {
      vaeMatches(b);
    }
  }

  /** A VAE decodes the model's latents: same channels, same compression in time and space. */
  private static void vaeMatches(ModelConfigBuilder b) {
    if (b.vae.latentChannels() != b.latentChannels) {
      throw new IllegalArgumentException(
          "vae has "
              + b.vae.latentChannels()
              + " latent channels, latentChannels is "
              + b.latentChannels
              + "; they must be equal");
    }
    if (b.vae.temporalCompression() != b.temporalCompression) {
      throw new IllegalArgumentException(
          "vae compresses time "
              + b.vae.temporalCompression()
              + "x, temporalCompression is "
              + b.temporalCompression
              + "; they must be equal");
    }
    if (b.vae.spatialCompression() != b.spatialCompression) {
      throw new IllegalArgumentException(
          "vae compresses space "
              + b.vae.spatialCompression()
              + "x, spatialCompression is "
              + b.spatialCompression
              + "; they must be equal");
    }
  }

  /** See {@link ModelConfig#requireTttAligned()}. */
  static void requireTttAligned(ModelConfig c) {
    if (c.ttt() == TttMode.NONE) {
      return;
    }
    int m = c.tttMiniBatch();
    if (c.textTokens() % m != 0) {
      throw new IllegalArgumentException(
          "textTokens " + c.textTokens() + " must be a multiple of the TTT mini-batch " + m);
    }
    for (int s = 0; s < 2; s++) {
      if (c.videoTokensOf(s) % m != 0) {
        throw new IllegalArgumentException(
            (s == 0 ? "first" : "later")
                + " segment has "
                + c.videoTokensOf(s)
                + " video tokens, not a multiple of the TTT mini-batch "
                + m);
      }
    }
  }

  private static void positive(String field, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be positive, got " + value);
    }
  }
}
