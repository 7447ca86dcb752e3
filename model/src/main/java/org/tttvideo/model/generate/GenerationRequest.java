package org.tttvideo.model.generate;

import java.util.List;
import java.util.Objects;
import org.tttvideo.model.config.ModelConfig;

/**
 * What to generate: one prompt per 3-second segment, the negative prompt of classifier-free
 * guidance, the seed of the initial noise, and the sampling settings.
 *
 * @param prompts one per segment, in order (at least one)
 * @param negativePrompt the unconditional prompt of every segment ("" for none)
 * @param seed seed of the {@link java.util.Random} that draws the initial latent noise
 * @param steps denoising steps
 * @param guidanceScale top of the dynamic guidance schedule
 */
public record GenerationRequest(
    List<String> prompts, String negativePrompt, long seed, int steps, double guidanceScale) {

  public GenerationRequest {
    Objects.requireNonNull(prompts, "prompts");
    if (prompts.isEmpty()) {
      throw new IllegalArgumentException("prompts must hold one prompt per segment, got none");
    }
    for (int i = 0; i < prompts.size(); i++) {
      if (prompts.get(i) == null) {
        throw new IllegalArgumentException("prompt of segment " + i + " is null");
      }
    }
    prompts = List.copyOf(prompts);
    negativePrompt = negativePrompt == null ? "" : negativePrompt;
    if (steps < 1 || steps > 1000) {
      throw new IllegalArgumentException("steps must be in 1..1000, got " + steps);
    }
    if (!(guidanceScale >= 0) || Double.isInfinite(guidanceScale)) {
      throw new IllegalArgumentException(
          "guidanceScale must be >= 0 and finite, got " + guidanceScale);
    }
  }

  /** A request with the model's default steps and guidance. */
  public static GenerationRequest of(
      ModelConfig config, List<String> prompts, String negativePrompt, long seed) {
    return new GenerationRequest(
        prompts, negativePrompt, seed, config.steps(), config.guidanceScale());
  }

  public int segments() {
    return prompts.size();
  }
}
