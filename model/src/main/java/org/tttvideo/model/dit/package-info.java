/**
 * CogVideoX's diffusion transformer with segment-local attention and gated bidirectional TTT layers
 * ({@link org.tttvideo.model.dit.DiffusionTransformer}), built from parts named as the checkpoint
 * names them ({@link org.tttvideo.model.dit.PatchEmbed}, {@link
 * org.tttvideo.model.dit.TimestepEmbedding}, {@link org.tttvideo.model.dit.CogVideoXBlock} with
 * {@link org.tttvideo.model.dit.LayerNormZero}, {@link org.tttvideo.model.dit.SegmentAttention} and
 * {@link org.tttvideo.model.dit.FeedForward}, {@link org.tttvideo.model.dit.AdaLayerNorm}), its
 * parameter names and the binder that gives each part its weights ({@link
 * org.tttvideo.model.dit.DitParameters}), weights ({@link org.tttvideo.model.dit.ModelWeights}) and
 * 3D rotary embedding ({@link org.tttvideo.model.dit.Rope3d}). Everything runs on the {@code
 * Compute} interface, so every backend runs the same model.
 */
package org.tttvideo.model.dit;
