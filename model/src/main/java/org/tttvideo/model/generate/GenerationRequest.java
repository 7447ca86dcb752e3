package org.tttvideo.model.generate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.tttvideo.model.config.ModelConfig;

/**
 * What to generate: one prompt and one negative prompt per 3-second segment, the seed of the
 * initial noise, and the sampling settings. Each segment's negative prompt conditions its own
 * unconditional branch of classifier-free guidance, as the reference implementation's inputs give a
 * {@code neg_text} per segment.
 *
 * <pre>{@code
 * new GenerationRequest(List.of("a fox", "jumps"), List.of("blurry", "dark"), 42, 50, 6.0);
 * new GenerationRequest(List.of("a fox", "jumps"), "blurry", 42, 50, 6.0); // same for both
 * }</pre>
 *
 * @param prompts one per segment, in order (at least one)
 * @param negativePrompts one per segment, in order: the unconditional prompt of that segment (""
 *     for none; a null entry becomes "")
 * @param seed seed of the {@link java.util.Random} that draws the initial latent noise
 * @param steps denoising steps
 * @param guidanceScale top of the dynamic guidance schedule
 */
public record GenerationRequest(
    List<String> prompts,
    List<String> negativePrompts,
    long seed,
    int steps,
    double guidanceScale) {

  public GenerationRequest {
    Objects.requireNonNull(prompts, "prompts");
    Objects.requireNonNull(negativePrompts, "negativePrompts");
    if (prompts.isEmpty()) {
      throw new IllegalArgumentException("prompts must hold one prompt per segment, got none");
    }
    for (int i = 0; i < prompts.size(); i++) {
      if (prompts.get(i) == null) {
        throw new IllegalArgumentException("prompt of segment " + i + " is null");
      }
    }
    if (negativePrompts.size() != prompts.size()) {
      throw new IllegalArgumentException(
          "negativePrompts must hold one negative prompt per segment: got "
              + negativePrompts.size()
              + " negative prompts for "
              + prompts.size()
              + " prompts");
    }
    prompts = List.copyOf(prompts);
    List<String> negatives = new ArrayList<>(negativePrompts.size());
    for (String n : negativePrompts) {
      negatives.add(n == null ? "" : n);
    }
    negativePrompts = List.copyOf(negatives);
    if (steps < 1 || steps > 1000) {
      throw new IllegalArgumentException("steps must be in 1..1000, got " + steps);
    }
    if (!(guidanceScale >= 0) || Double.isInfinite(guidanceScale)) {
      throw new IllegalArgumentException(
          "guidanceScale must be >= 0 and finite, got " + guidanceScale);
    }
  }

  /**
   * A request whose every segment has the same negative prompt ({@code negativePrompt}; null means
   * "").
   */
  public GenerationRequest(
      List<String> prompts, String negativePrompt, long seed, int steps, double guidanceScale) {
    this(prompts, repeat(prompts, negativePrompt), seed, steps, guidanceScale);
  }

  /** A request with the model's default steps and guidance, one negative prompt per segment. */
  public static GenerationRequest of(
      ModelConfig config, List<String> prompts, List<String> negativePrompts, long seed) {
    return new GenerationRequest(
        prompts, negativePrompts, seed, config.steps(), config.guidanceScale());
  }

  /** A request with the model's default steps and guidance, one negative prompt for all. */
  public static GenerationRequest of(
      ModelConfig config, List<String> prompts, String negativePrompt, long seed) {
    return new GenerationRequest(
        prompts, negativePrompt, seed, config.steps(), config.guidanceScale());
  }

  public int segments() {
    return prompts.size();
  }

  private static List<String> repeat(List<String> prompts, String negativePrompt) {
    Objects.requireNonNull(prompts, "prompts");
    return Collections.nCopies(prompts.size(), negativePrompt == null ? "" : negativePrompt);
  }
}
