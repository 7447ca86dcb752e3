package org.tttvideo.storyboard;

/**
 * How a storyboard is sampled. Ranges are checked against {@link StoryboardOptions} by the parser;
 * the constructor only rejects values that are never meaningful.
 *
 * @param denoisingSteps DDIM steps, at least 1
 * @param guidanceScale classifier-free guidance scale, finite and >= 0
 */
public record GenerationSettings(int denoisingSteps, double guidanceScale) {

  public GenerationSettings {
    if (denoisingSteps < 1) {
      throw new IllegalArgumentException("denoisingSteps must be >= 1, was " + denoisingSteps);
    }
    if (!Double.isFinite(guidanceScale) || guidanceScale < 0) {
      throw new IllegalArgumentException(
          "guidanceScale must be a finite number >= 0, was " + guidanceScale);
    }
  }
}
