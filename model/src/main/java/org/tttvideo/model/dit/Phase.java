package org.tttvideo.model.dit;

import java.util.ArrayList;
import java.util.List;
import org.tttvideo.model.config.AttentionScope;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.config.TttMode;

/**
 * The phases of one transformer block, each run segment by segment as bounded work units.
 *
 * <ul>
 *   <li>{@link #KEY_VALUES}: keys and values of a segment's tokens ({@code full} and {@code
 *       sliding} scopes only, where windows share them);
 *   <li>{@link #ATTENTION}: a segment's attention window; for the {@code segment} scope it also
 *       completes the average of the previous segment's last frame;
 *   <li>{@link #TTT_FORWARD}: the segment's piece of the forward TTT scan (segments in order);
 *   <li>{@link #TTT_BACKWARD}: the segment's piece of the backward scan (segments last to first);
 *   <li>{@link #FEED_FORWARD}: the gated residual of the sequence-modelling output and the
 *       feed-forward network.
 * </ul>
 */
public enum Phase {
  KEY_VALUES,
  ATTENTION,
  TTT_FORWARD,
  TTT_BACKWARD,
  FEED_FORWARD;

  /** Whether this phase visits segments last to first. */
  public boolean reversed() {
    return this == TTT_BACKWARD;
  }

  /** The phases of a block of {@code config}, in order. */
  public static List<Phase> of(ModelConfig config) {
    List<Phase> phases = new ArrayList<>();
    if (config.attention().kind() != AttentionScope.Kind.SEGMENT) {
      phases.add(KEY_VALUES);
    }
    phases.add(ATTENTION);
    if (config.ttt() != TttMode.NONE) {
      phases.add(TTT_FORWARD);
      if (config.bidirectional()) {
        phases.add(TTT_BACKWARD);
      }
    }
    phases.add(FEED_FORWARD);
    return phases;
  }
}
