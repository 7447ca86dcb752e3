package org.tttvideo.model.config;

import org.tttvideo.model.decode.VaeConfig;

/**
 * Mutable builder of a {@link ModelConfig}; {@link #build()} validates ({@link
 * ModelConfigValidation}). Defaults follow the paper's model. Start from a preset and change what
 * differs:
 *
 * <pre>{@code
 * ModelConfig ablation = ModelConfig.small().toBuilder().ttt(TttMode.NONE).build();
 * }</pre>
 *
 * <p>The fields are package-private so that the constructor of {@link ModelConfig} and the
 * validation read them without a getter per value.
 */
public final class ModelConfigBuilder {
  String name = "custom";
  int width;
  int heads;
  int layers;
  int timeEmbedDim;
  int textDim;
  int textTokens;
  int vocabSize;
  int latentChannels;
  int latentHeight;
  int latentWidth;
  int patchSize = 2;
  int firstSegmentFrames;
  int segmentFrames;
  int temporalCompression = 4;
  int spatialCompression = 8;
  int fps = 16;
  TttMode ttt = TttMode.MLP;
  int tttMiniBatch = 16;
  double tttBaseLr = 0.1;
  float gateInit = 0.1f;
  boolean bidirectional = true;
  AttentionScope attention = AttentionScope.SEGMENT;
  int steps = 50;
  double guidanceScale = 6.0;
  double guidanceExponent = 5.0;
  VaeConfig vae;

  ModelConfigBuilder() {}

  /** A builder holding {@code from}'s values. */
  ModelConfigBuilder(ModelConfig from) {
    name = from.name();
    width = from.width();
    heads = from.heads();
    layers = from.layers();
    timeEmbedDim = from.timeEmbedDim();
    textDim = from.textDim();
    textTokens = from.textTokens();
    vocabSize = from.vocabSize();
    latentChannels = from.latentChannels();
    latentHeight = from.latentHeight();
    latentWidth = from.latentWidth();
    patchSize = from.patchSize();
    firstSegmentFrames = from.firstSegmentFrames();
    segmentFrames = from.segmentFrames();
    temporalCompression = from.temporalCompression();
    spatialCompression = from.spatialCompression();
    fps = from.fps();
    ttt = from.ttt();
    tttMiniBatch = from.tttMiniBatch();
    tttBaseLr = from.tttBaseLr();
    gateInit = from.gateInit();
    bidirectional = from.bidirectional();
    attention = from.attention();
    steps = from.steps();
    guidanceScale = from.guidanceScale();
    guidanceExponent = from.guidanceExponent();
    vae = from.vae();
  }

  public ModelConfigBuilder name(String v) {
    name = v;
    return this;
  }

  public ModelConfigBuilder width(int v) {
    width = v;
    return this;
  }

  public ModelConfigBuilder heads(int v) {
    heads = v;
    return this;
  }

  public ModelConfigBuilder layers(int v) {
    layers = v;
    return this;
  }

  public ModelConfigBuilder timeEmbedDim(int v) {
    timeEmbedDim = v;
    return this;
  }

  public ModelConfigBuilder textDim(int v) {
    textDim = v;
    return this;
  }

  public ModelConfigBuilder textTokens(int v) {
    textTokens = v;
    return this;
  }

  public ModelConfigBuilder vocabSize(int v) {
    vocabSize = v;
    return this;
  }

  public ModelConfigBuilder latentChannels(int v) {
    latentChannels = v;
    return this;
  }

  public ModelConfigBuilder latentHeight(int v) {
    latentHeight = v;
    return this;
  }

  public ModelConfigBuilder latentWidth(int v) {
    latentWidth = v;
    return this;
  }

  public ModelConfigBuilder patchSize(int v) {
    patchSize = v;
    return this;
  }

  public ModelConfigBuilder firstSegmentFrames(int v) {
    firstSegmentFrames = v;
    return this;
  }

  public ModelConfigBuilder segmentFrames(int v) {
    segmentFrames = v;
    return this;
  }

  public ModelConfigBuilder temporalCompression(int v) {
    temporalCompression = v;
    return this;
  }

  public ModelConfigBuilder spatialCompression(int v) {
    spatialCompression = v;
    return this;
  }

  public ModelConfigBuilder fps(int v) {
    fps = v;
    return this;
  }

  public ModelConfigBuilder ttt(TttMode v) {
    ttt = v;
    return this;
  }

  public ModelConfigBuilder tttMiniBatch(int v) {
    tttMiniBatch = v;
    return this;
  }

  public ModelConfigBuilder tttBaseLr(double v) {
    tttBaseLr = v;
    return this;
  }

  public ModelConfigBuilder gateInit(float v) {
    gateInit = v;
    return this;
  }

  public ModelConfigBuilder bidirectional(boolean v) {
    bidirectional = v;
    return this;
  }

  public ModelConfigBuilder attention(AttentionScope v) {
    attention = v;
    return this;
  }

  public ModelConfigBuilder steps(int v) {
    steps = v;
    return this;
  }

  public ModelConfigBuilder guidanceScale(double v) {
    guidanceScale = v;
    return this;
  }

  public ModelConfigBuilder guidanceExponent(double v) {
    guidanceExponent = v;
    return this;
  }

  /** The VAE whose decoder turns latents into frames; null (the default): the built-in one. */
  public ModelConfigBuilder vae(VaeConfig v) {
    vae = v;
    return this;
  }

  public ModelConfig build() {
    return new ModelConfig(this);
  }
}
