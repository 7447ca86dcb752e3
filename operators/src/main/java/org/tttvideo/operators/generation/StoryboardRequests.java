package org.tttvideo.operators.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.generate.GenerationRequest;
import org.tttvideo.storyboard.GenerationSettings;
import org.tttvideo.storyboard.Segment;
import org.tttvideo.storyboard.Storyboard;

/**
 * Turns a validated {@link Storyboard} into the model's {@link GenerationRequest}.
 *
 * <pre>{@code
 * GenerationRequest r = StoryboardRequests.toRequest(storyboard, ModelConfig.tiny());
 * }</pre>
 */
public final class StoryboardRequests {
  private StoryboardRequests() {}

  /**
   * One prompt and one negative prompt per segment in order (each segment's own negative text, as
   * the reference implementation's {@code neg_text} per segment), the storyboard's seed, and its
   * sampling settings (the model's default steps and guidance where the storyboard has no
   * settings).
   */
  public static GenerationRequest toRequest(Storyboard sb, ModelConfig config) {
    Objects.requireNonNull(sb, "sb");
    Objects.requireNonNull(config, "config");
    List<String> prompts = new ArrayList<>(sb.segments().size());
    List<String> negatives = new ArrayList<>(sb.segments().size());
    for (Segment s : sb.segments()) {
      prompts.add(s.text());
      negatives.add(s.negativeText());
    }
    GenerationSettings settings = sb.settings();
    int steps = settings == null ? config.steps() : settings.denoisingSteps();
    double guidance = settings == null ? config.guidanceScale() : settings.guidanceScale();
    return new GenerationRequest(prompts, negatives, sb.seed(), steps, guidance);
  }
}
