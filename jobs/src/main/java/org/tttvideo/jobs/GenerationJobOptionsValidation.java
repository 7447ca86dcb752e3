package org.tttvideo.jobs;

import static org.tttvideo.jobs.GenerationJobOptions.BACKEND;
import static org.tttvideo.jobs.GenerationJobOptions.CHECKPOINT_INTERVAL;
import static org.tttvideo.jobs.GenerationJobOptions.CHECKPOINT_TIMEOUT;
import static org.tttvideo.jobs.GenerationJobOptions.CHECKPOINT_TOLERABLE_FAILURES;
import static org.tttvideo.jobs.GenerationJobOptions.FINISHED_RETENTION;
import static org.tttvideo.jobs.GenerationJobOptions.MAX_ACTIVE_VIDEOS;
import static org.tttvideo.jobs.GenerationJobOptions.MAX_QUEUED_VIDEOS;
import static org.tttvideo.jobs.GenerationJobOptions.MAX_RESTORES_WITHOUT_PROGRESS;
import static org.tttvideo.jobs.GenerationJobOptions.MODEL_PRESET;
import static org.tttvideo.jobs.GenerationJobOptions.QUEUE_FULL_TIMEOUT;
import static org.tttvideo.jobs.GenerationJobOptions.RESTART_ATTEMPTS;
import static org.tttvideo.jobs.GenerationJobOptions.RESTART_DELAY;
import static org.tttvideo.jobs.GenerationJobOptions.RESTART_MAX_DELAY;
import static org.tttvideo.jobs.GenerationJobOptions.RESTART_RESET_AFTER;
import static org.tttvideo.jobs.GenerationJobOptions.TIME_SLICE;
import static org.tttvideo.jobs.GenerationJobOptions.TRANSACTION_TIMEOUT;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.tttvideo.model.compute.ComputeBackends;
import org.tttvideo.model.config.ModelPresets;

/**
 * The checks of {@link GenerationJobOptions#validate}: what the option types alone do not say. Each
 * message names the option, the value and what is allowed.
 */
final class GenerationJobOptionsValidation {
  private GenerationJobOptionsValidation() {}

  static void validate(ReadableConfig c) {
    String preset = c.get(MODEL_PRESET);
    ModelPresets.requireRunnable(MODEL_PRESET.key(), preset);
    String backend = c.get(BACKEND);
    ComputeBackends.check(BACKEND.key(), backend);
    positive(c, TIME_SLICE);
    positive(c, CHECKPOINT_INTERVAL);
    positive(c, TRANSACTION_TIMEOUT);
    atLeast(c, MAX_ACTIVE_VIDEOS, 1, "at least 1");
    atLeast(c, MAX_QUEUED_VIDEOS, 1, "at least 1");
    atLeast(c, MAX_RESTORES_WITHOUT_PROGRESS, 0, "0 (off) or more");
    if (c.get(FINISHED_RETENTION).isNegative()) {
      throw new IllegalArgumentException(
          FINISHED_RETENTION.key()
              + " is "
              + c.get(FINISHED_RETENTION)
              + "; it must be 0 (for ever) or positive");
    }
    atLeast(c, RESTART_ATTEMPTS, 0, "0 or more");
    positive(c, CHECKPOINT_TIMEOUT);
    positive(c, RESTART_DELAY);
    positive(c, RESTART_MAX_DELAY);
    positive(c, RESTART_RESET_AFTER);
    atLeast(c, CHECKPOINT_TOLERABLE_FAILURES, 0, "0 or more");
    if (c.get(RESTART_MAX_DELAY).compareTo(c.get(RESTART_DELAY)) < 0) {
      throw new IllegalArgumentException(
          RESTART_MAX_DELAY.key()
              + " ("
              + c.get(RESTART_MAX_DELAY)
              + ") must be at least "
              + RESTART_DELAY.key()
              + " ("
              + c.get(RESTART_DELAY)
              + ")");
    }
    Duration open = c.get(CHECKPOINT_INTERVAL).plus(c.get(CHECKPOINT_TIMEOUT));
    if (open.multipliedBy(2).compareTo(c.get(TRANSACTION_TIMEOUT)) > 0) {
      throw new IllegalArgumentException(
          CHECKPOINT_INTERVAL.key()
              + " ("
              + c.get(CHECKPOINT_INTERVAL)
              + ") + "
              + CHECKPOINT_TIMEOUT.key()
              + " ("
              + c.get(CHECKPOINT_TIMEOUT)
              + ") must be at most half of "
              + TRANSACTION_TIMEOUT.key()
              + " ("
              + c.get(TRANSACTION_TIMEOUT)
              + "): a sink's transaction stays open from one checkpoint until the next one"
              + " completes, and the broker aborts it after the transaction timeout, which loses"
              + " its records");
    }
    Duration wait = GenerationJobOptions.queueFullTimeout(c);
    if (wait.isNegative()
        || wait.plus(c.get(CHECKPOINT_INTERVAL)).compareTo(c.get(TRANSACTION_TIMEOUT)) >= 0) {
      throw new IllegalArgumentException(
          QUEUE_FULL_TIMEOUT.key()
              + " ("
              + wait
              + ") must be 0 or more and, with "
              + CHECKPOINT_INTERVAL.key()
              + " ("
              + c.get(CHECKPOINT_INTERVAL)
              + "), shorter than "
              + TRANSACTION_TIMEOUT.key()
              + " ("
              + c.get(TRANSACTION_TIMEOUT)
              + "): a waiting storyboard holds back the checkpoint that commits the"
              + " transactions");
    }
  }

  private static void atLeast(
      ReadableConfig c, ConfigOption<Integer> option, int min, String allowed) {
    if (c.get(option) < min) {
      throw new IllegalArgumentException(
          option.key() + " is " + c.get(option) + "; it must be " + allowed);
    }
  }

  private static void positive(ReadableConfig c, ConfigOption<Duration> option) {
    Duration d = c.get(option);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(option.key() + " is " + d + "; it must be positive");
    }
  }
}
