package org.tttvideo.model.config;

/**
 * Sizes derived from a {@link ModelConfig}, computed once when it is built ({@link
 * ModelConfig#derived()}).
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
public record DerivedSizes(
    int headDim,
    int latentRows,
    int latentCols,
    int tokensPerFrame,
    int patchDim,
    int ffInnerDim,
    int outputWidth,
    int outputHeight) {

  /** The sizes of the builder's values; call after {@link ModelConfigValidation#validate}. */
  static DerivedSizes of(ModelConfigBuilder b) {
    int rows = b.latentHeight / b.patchSize;
    int cols = b.latentWidth / b.patchSize;
    return new DerivedSizes(
        b.width / b.heads,
        rows,
        cols,
        rows * cols,
        b.latentChannels * b.patchSize * b.patchSize,
        4 * b.width,
        b.latentWidth * b.spatialCompression,
        b.latentHeight * b.spatialCompression);
  }
}
