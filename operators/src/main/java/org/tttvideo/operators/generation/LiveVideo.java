package org.tttvideo.operators.generation;

import java.util.Map;
import org.tttvideo.model.generate.GenerationState;
import org.tttvideo.model.generate.WorkUnit;

/**
 * A generating video in memory: the mirror of its {@link GenerationState} (keyed state stays the
 * source of truth) and what this subtask measured of it, for its progress records, its log lines
 * and the {@link GenerationMetrics}.
 */
final class LiveVideo {
  final VideoMeta meta;
  GenerationState state;

  /** Units run in this attempt and their compute time: the ETA of the progress records. */
  long units;

  long nanos;
  long lastProgressAt;

  /** Compute time of the denoising step under way, and whether it was measured from its start. */
  private long stepNanos;

  private boolean stepFromItsStart;
  long peakStateBytes;

  LiveVideo(VideoMeta meta, GenerationState state) {
    this.meta = meta;
    this.state = state;
    this.lastProgressAt = Long.MIN_VALUE / 2;
  }

  /** Of the videos {@code ids} in {@code live}, the one that arrived first; null if none. */
  static LiveVideo oldest(Iterable<String> ids, Map<String, LiveVideo> live) {
    LiveVideo oldest = null;
    for (String id : ids) {
      LiveVideo v = live.get(id);
      if (oldest == null || v.meta.arrival() < oldest.meta.arrival()) {
        oldest = v;
      }
    }
    return oldest;
  }

  /** The video's cursor. */
  long unit() {
    return state.unit();
  }

  /**
   * Accounts a unit that took {@code elapsedNanos}; a denoising step measured from its first unit
   * (EMBED of segment 0) to its last (OUTPUT of the last segment) goes to {@code metrics}.
   */
  void account(WorkUnit unit, long elapsedNanos, GenerationMetrics metrics) {
    units++;
    nanos += elapsedNanos;
    if (unit.kind() == WorkUnit.Kind.DECODE) {
      return;
    }
    if (unit.kind() == WorkUnit.Kind.EMBED && unit.first()) {
      stepNanos = 0;
      stepFromItsStart = true;
    }
    stepNanos += elapsedNanos;
    if (unit.kind() == WorkUnit.Kind.OUTPUT
        && unit.segment() == meta.request().segments() - 1
        && stepFromItsStart) {
      metrics.denoisingStep(stepNanos);
      stepFromItsStart = false;
    }
  }
}
