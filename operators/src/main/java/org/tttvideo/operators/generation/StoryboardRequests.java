package org.tttvideo.operators.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.generate.GenerationRequest;
import org.tttvideo.model.storyboard.GenerationSettings;
import org.tttvideo.model.storyboard.Segment;
import org.tttvideo.model.storyboard.Storyboard;

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
   * One prompt per segment in order, the storyboard's seed, and its sampling settings (the model's
   * default steps and guidance where the storyboard has no settings).
   *
   * <p>The model takes one negative prompt per video, so segment 0's negative text is used for
   * every segment; the negative texts of later segments are not used yet.
   */
  public static GenerationRequest toRequest(Storyboard sb, ModelConfig config) {
    Objects.requireNonNull(sb, "sb");
    Objects.requireNonNull(config, "config");
    List<String> prompts = new ArrayList<>(sb.segments().size());
    for (Segment s : sb.segments()) {
      prompts.add(s.text());
    }
    String negative = sb.segments().get(0).negativeText();
    GenerationSettings settings = sb.settings();
    int steps = settings == null ? config.steps() : settings.denoisingSteps();
    double guidance = settings == null ? config.guidanceScale() : settings.guidanceScale();
    return new GenerationRequest(prompts, negative, sb.seed(), steps, guidance);
  }
}
