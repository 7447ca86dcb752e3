package org.tttvideo.model.generate;

import java.util.List;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.dit.Phase;

/**
 * The order of work units of a generation, so that the cursor can be a single counter. Per
 * denoising step: {@code EMBED} of each segment; for each block, each phase of {@link Phase#of}
 * over all segments (the backward TTT scan last to first); {@code OUTPUT} of each segment. After
 * the last step: {@code DECODE} of each segment.
 */
public final class WorkPlan {
  private final int segments;
  private final int steps;
  private final int layers;
  private final List<Phase> phases;
  private final long perStep;
  private final long total;

  public WorkPlan(ModelConfig config, int segments, int steps) {
    this.segments = segments;
    this.steps = steps;
    this.layers = config.layers();
    this.phases = Phase.of(config);
    this.perStep = (long) segments * (2 + (long) layers * phases.size());
    this.total = steps * perStep + segments;
  }

  /** Units in the whole generation. */
  public long total() {
    return total;
  }

  /** Units per denoising step. */
  public long perStep() {
    return perStep;
  }

  /** The unit at position {@code index} ({@link WorkUnit.Kind#DONE} at or past the end). */
  public WorkUnit unit(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("unit index must be >= 0, got " + index);
    }
    if (index >= total) {
      return new WorkUnit(WorkUnit.Kind.DONE, steps, -1, null, 0, false);
    }
    if (index >= steps * perStep) {
      int s = (int) (index - steps * perStep);
      return new WorkUnit(WorkUnit.Kind.DECODE, steps, -1, null, s, s == 0);
    }
    int step = (int) (index / perStep);
    long r = index % perStep;
    if (r < segments) {
      return new WorkUnit(WorkUnit.Kind.EMBED, step, -1, null, (int) r, r == 0);
    }
    r -= segments;
    long blockUnits = (long) layers * phases.size() * segments;
    if (r < blockUnits) {
      int block = (int) (r / ((long) phases.size() * segments));
      long q = r % ((long) phases.size() * segments);
      Phase phase = phases.get((int) (q / segments));
      int k = (int) (q % segments);
      int segment = phase.reversed() ? segments - 1 - k : k;
      return new WorkUnit(WorkUnit.Kind.BLOCK, step, block, phase, segment, k == 0);
    }
    int s = (int) (r - blockUnits);
    return new WorkUnit(WorkUnit.Kind.OUTPUT, step, -1, null, s, s == 0);
  }
}
