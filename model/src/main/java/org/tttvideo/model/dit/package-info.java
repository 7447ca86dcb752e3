/**
 * CogVideoX's diffusion transformer with segment-local attention and gated bidirectional TTT layers
 * ({@link org.tttvideo.model.dit.DiffusionTransformer}), its parameter names ({@link
 * org.tttvideo.model.dit.DitParameters}), weights ({@link org.tttvideo.model.dit.ModelWeights}) and
 * 3D rotary embedding ({@link org.tttvideo.model.dit.Rope3d}). Everything runs on the {@code
 * Compute} interface, so every backend runs the same model.
 */
package org.tttvideo.model.dit;
