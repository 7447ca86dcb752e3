package org.tttvideo.operators.generation;

import java.util.function.LongSupplier;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;

/**
 * The slice timers of the generation operator (its timer service {@value
 * GenerationOperator#TIMER_SERVICE}): at most one pending processing-time timer per video, whose
 * time is kept in the video's keyed state ({@link VideoStates#timerAt}) so that a timer can be
 * deleted, and a stale one recognised, after a restore. Acts on the current key; the times come
 * from {@link VideoSchedule#nextSliceTime} (round robin).
 *
 * <pre>{@code
 * slices.schedule();            // the current key's next slice, after every timer so far
 * if (slices.take(timer)) { ... run the slice ... }
 * }</pre>
 */
final class SliceTimers {
  private final InternalTimerService<VoidNamespace> timers;
  private final ValueState<Long> timerAt;
  private final VideoSchedule schedule;
  private final LongSupplier clock;

  /** Set at the end of input: no timer fires any more, none is registered. */
  private boolean draining;

  SliceTimers(
      InternalTimerService<VoidNamespace> timers,
      ValueState<Long> timerAt,
      VideoSchedule schedule,
      LongSupplier clock) {
    this.timers = timers;
    this.timerAt = timerAt;
    this.schedule = schedule;
    this.clock = clock;
  }

  /** Registers the next slice of the current key's video, after every timer registered so far. */
  void schedule() throws Exception {
    if (draining) {
      return;
    }
    long at = schedule.nextSliceTime(clock.getAsLong());
    timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, at);
    timerAt.update(at);
  }

  /** Deletes the current key's pending timer, if it has one. */
  void deletePending() throws Exception {
    Long at = timerAt.value();
    if (at != null) {
      timers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, at);
      timerAt.clear();
    }
  }

  /**
   * Whether {@code timer} is the current key's pending timer, which it then no longer is; false for
   * a stale timer (deleted in state but still registered, as after a restore).
   */
  boolean take(InternalTimer<String, VoidNamespace> timer) throws Exception {
    Long pending = timerAt.value();
    if (pending == null || pending != timer.getTimestamp()) {
      return false;
    }
    timerAt.clear();
    return true;
  }

  /** From now on no timer is registered: every video runs to its end without one. */
  void drain() {
    draining = true;
  }

  boolean draining() {
    return draining;
  }
}
