package org.tttvideo.operators.generation;

import java.io.Serializable;

/**
 * Test hook called after every unit; an exception thrown here is a TASK failure (propagates, job
 * restarts), unlike exceptions from the model, which fail only that video.
 *
 * <p>The failure ITCase injects a task failure after N units with it; production passes null.
 */
@FunctionalInterface
public interface UnitObserver extends Serializable {
  /**
   * Called after each work unit of {@code videoId} has run and its state has been written.
   *
   * @param unitsDone units of the video done so far (its cursor)
   */
  void afterUnit(String videoId, long unitsDone);
}
