/**
 * The incremental generation API: {@link org.tttvideo.model.generate.Generator#start} turns a
 * {@link org.tttvideo.model.generate.GenerationRequest} into an explicit, serialisable {@link
 * org.tttvideo.model.generate.GenerationState}; {@link org.tttvideo.model.generate.Generator#step}
 * runs one bounded unit of the {@link org.tttvideo.model.generate.WorkPlan} (one segment of one
 * phase of one block of one denoising step, then decoding one segment) and returns the next state.
 * {@link org.tttvideo.model.generate.GenerationStateSerializer} writes the state in a versioned
 * binary format, so a streaming operator can checkpoint between any two units and resume to the
 * same bytes.
 */
package org.tttvideo.model.generate;
