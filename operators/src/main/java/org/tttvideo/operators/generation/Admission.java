package org.tttvideo.operators.generation;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.runtime.execution.CancelTaskException;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a storyboard that finds the {@link VideoSchedule} full may wait for a place: the bound on
 * the backlog a generation subtask keeps in state, and the back pressure it puts on its input.
 *
 * <h2>Bounded backlog</h2>
 *
 * At most {@link GenerationOperatorOptions#maxQueuedVideos()} videos wait in state per subtask, so
 * the Kafka backlog stays in Kafka instead of in keyed state. A storyboard that would be queued
 * beyond it waits in {@code processElement}: the operator yields to the task's mailbox ({@link
 * MailboxExecutor#yield()} at the operator's priority, as Flink's {@code AsyncWaitOperator} waits
 * for capacity), which runs its slice timers, so generation goes on, videos finish, queued ones
 * start, and the storyboard enters the queue as soon as a place frees. Meanwhile the task reads no
 * input: back pressure reaches the source and Kafka.
 *
 * <p>Why the wait is bounded ({@link GenerationOperatorOptions#queueFullTimeout()}, then {@code
 * QUEUE_FULL}): while a record waits, nothing behind it in the input is processed, and that
 * includes the checkpoint barrier. With aligned checkpoints the barrier waits behind the record;
 * unaligned ones do not help either, because the task handles barriers and checkpoint notifications
 * through mails of a lower priority than the operator's, which {@code yield} does not run (so no
 * snapshot is ever taken in the middle of a {@code processElement}, which would lose the record). A
 * place frees only when a video finishes, which for a large model can take longer than the
 * checkpoint timeout and the Kafka transaction timeout of the exactly-once sinks: an unbounded wait
 * would fail checkpoints and abort transactions. So a record waits at most the timeout (default 2
 * minutes, a checkpoint is delayed by about as much), is then rejected with {@code QUEUE_FULL}, and
 * until the queue moves again ({@link #queueMoved()}) every record that finds it full is rejected
 * at once, so that the records ahead of a barrier do not each add a timeout. Zero rejects at once
 * (no back pressure). The wait ends at once when no video generates (nothing could free a place).
 *
 * <p>End of input: the operator's {@code finish()} comes only after the last record has been
 * processed, so it never meets a waiting record; it drains the queue. Cancellation: the cancelled
 * task's control mail (or its interrupt) ends {@code yield}, and the wait throws {@link
 * CancelTaskException}; a timer at the deadline wakes the mailbox, so the wait never outlives its
 * timeout even without other mails.
 */
final class Admission {
  /** The operator's own logger (AbstractStreamOperator's), so that its lines read as before. */
  private static final Logger LOG = LoggerFactory.getLogger(AbstractStreamOperator.class);

  private final VideoSchedule schedule;
  private final Duration timeout;
  private final MailboxExecutor mailbox;
  private final ProcessingTimeService time;
  private final BooleanSupplier cancelled;
  private final IntSupplier held;

  /**
   * Whether a storyboard that finds the queue full may wait for a place: false from a wait that
   * timed out until the queue moves, so that records queued behind it in the input (and the
   * checkpoint barrier after them) do not each wait the whole timeout.
   */
  private boolean mayWaitForPlace = true;

  /**
   * @param mailbox runs the task's mails of the operator's priority (its slice timers among them)
   *     while a storyboard waits
   * @param cancelled whether the task is cancelled
   * @param held how many generating videos are held after a restore (they free no place)
   */
  Admission(
      VideoSchedule schedule,
      Duration timeout,
      MailboxExecutor mailbox,
      ProcessingTimeService time,
      BooleanSupplier cancelled,
      IntSupplier held) {
    this.schedule = schedule;
    this.timeout = timeout;
    this.mailbox = mailbox;
    this.time = time;
    this.cancelled = cancelled;
    this.held = held;
  }

  /** A queued video started: storyboards that find the queue full may wait again. */
  void queueMoved() {
    mayWaitForPlace = true;
  }

  /**
   * Waits, while the queue is full, for a place, running the task's mails of the operator's
   * priority (its slice timers, which finish videos and start queued ones) instead of the input:
   * back pressure on the storyboards source. Returns whether a place freed. The slices change the
   * current key: the caller restores it.
   *
   * <p>The wait ends at once when it cannot succeed (no video generates: nothing would free a
   * place), after the timeout (a processing-time timer wakes the mailbox at the deadline, so yield
   * never blocks past it), and at cancellation (the cancelled task's control mail or interrupt ends
   * {@code yield}, then {@link CancelTaskException}). After a timeout, records that find the queue
   * full are rejected without waiting until the queue moves again.
   *
   * @param draining whether the input has ended (no timer fires any more)
   */
  boolean awaitPlaceInQueue(boolean draining) throws InterruptedException {
    if (timeout.isZero() || !mayWaitForPlace || draining) {
      return false;
    }
    long deadline = time.getCurrentProcessingTime() + timeout.toMillis();
    ScheduledFuture<?> wakeUp = time.registerTimer(deadline, t -> {});
    try {
      while (schedule.isFull()) {
        if (schedule.activeCount() <= held.getAsInt()
            || time.getCurrentProcessingTime() >= deadline) {
          mayWaitForPlace = false;
          LOG.info(
              "The queue of {} videos stayed full for {}: rejecting storyboards that find it full"
                  + " until it moves",
              schedule.queuedCount(),
              timeout);
          return false;
        }
        mailbox.yield();
        if (cancelled.getAsBoolean()) {
          throw new CancelTaskException("cancelled while a storyboard waited for the queue");
        }
      }
      return true;
    } finally {
      wakeUp.cancel(false);
    }
  }
}
