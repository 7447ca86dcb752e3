package org.tttvideo.operators.generation;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link GenerationOperator} schedules its work.
 *
 * <pre>{@code
 * GenerationOperatorOptions o = GenerationOperatorOptions.defaults();     // 200 ms, 2, 1 s, 64, ...
 * GenerationOperatorOptions t = new GenerationOperatorOptions(
 *     Duration.ofMillis(50), 1, Duration.ZERO, (id, units) -> {});         // a test's options
 * }</pre>
 *
 * @param timeSlice how long one timer callback runs work units of one video before it yields (at
 *     least one unit runs per slice), positive
 * @param maxActiveVideos videos generating at once per subtask, at least 1; the rest are queued
 * @param progressInterval least time between two GENERATING progress records of a video; zero
 *     reports after every slice
 * @param maxQueuedVideos videos waiting in state per subtask, at least 1; beyond it a storyboard
 *     waits in its input (back pressure) for at most {@code queueFullTimeout}
 * @param queueFullTimeout how long a storyboard that finds the queue full may wait for a place
 *     before it is rejected ({@code QUEUE_FULL}); zero rejects at once. It delays checkpoints by as
 *     much (see {@link Admission}, "Bounded backlog")
 * @param maxRestoresWithoutProgress K: a generating video restored for the K-th time in a row
 *     without a checkpoint having seen it progress is failed ({@code POISON_VIDEO}) instead of
 *     resumed; 0 turns poison detection off (see {@link PoisonDetection}, "Poison videos")
 * @param finishedRetention how long a finished video's id stays taken ({@link FinishedVideo}
 *     marker); zero keeps it for ever, so that an id is never generated twice
 * @param observer test hook called after every unit; null in production
 */
public record GenerationOperatorOptions(
    Duration timeSlice,
    int maxActiveVideos,
    Duration progressInterval,
    int maxQueuedVideos,
    Duration queueFullTimeout,
    int maxRestoresWithoutProgress,
    Duration finishedRetention,
    UnitObserver observer)
    implements Serializable {

  /** Default time slice: long enough to amortise the state writes, short for checkpoints. */
  public static final Duration DEFAULT_TIME_SLICE = Duration.ofMillis(200);

  /** Default videos generating at once per subtask. */
  public static final int DEFAULT_MAX_ACTIVE_VIDEOS = 2;

  /** Default least time between progress records of a video. */
  public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(1);

  /**
   * Default videos queued per subtask: hours of work for the small preset, a few MB of requests.
   */
  public static final int DEFAULT_MAX_QUEUED_VIDEOS = 64;

  /**
   * Default wait for a place in a full queue: longer than a place takes to free with the small
   * preset (about a minute per video, two at once), well below the 10-minute checkpoint and Kafka
   * transaction timeouts that a waiting storyboard holds checkpoints against.
   */
  public static final Duration DEFAULT_QUEUE_FULL_TIMEOUT = Duration.ofMinutes(2);

  /**
   * Default restores in a row without progress after which a generating video is failed as a poison
   * video: the default restart.attempts of the job is 3 too, so the third failure caused by one
   * video still leaves the job running.
   */
  public static final int DEFAULT_MAX_RESTORES_WITHOUT_PROGRESS = 3;

  /** Default retention of finished video ids: for ever. */
  public static final Duration DEFAULT_FINISHED_RETENTION = Duration.ZERO;

  /** These scheduling options, with the defaults for everything else. */
  public GenerationOperatorOptions(
      Duration timeSlice, int maxActiveVideos, Duration progressInterval, UnitObserver observer) {
    this(
        timeSlice,
        maxActiveVideos,
        progressInterval,
        DEFAULT_MAX_QUEUED_VIDEOS,
        DEFAULT_QUEUE_FULL_TIMEOUT,
        DEFAULT_MAX_RESTORES_WITHOUT_PROGRESS,
        DEFAULT_FINISHED_RETENTION,
        observer);
  }

  public GenerationOperatorOptions {
    Objects.requireNonNull(timeSlice, "timeSlice");
    Objects.requireNonNull(progressInterval, "progressInterval");
    Objects.requireNonNull(queueFullTimeout, "queueFullTimeout");
    Objects.requireNonNull(finishedRetention, "finishedRetention");
    if (timeSlice.isNegative() || timeSlice.isZero()) {
      throw new IllegalArgumentException("timeSlice must be positive, got " + timeSlice);
    }
    if (maxActiveVideos < 1) {
      throw new IllegalArgumentException("maxActiveVideos must be >= 1, got " + maxActiveVideos);
    }
    if (progressInterval.isNegative()) {
      throw new IllegalArgumentException(
          "progressInterval must be zero or positive, got " + progressInterval);
    }
    if (maxQueuedVideos < 1) {
      throw new IllegalArgumentException("maxQueuedVideos must be >= 1, got " + maxQueuedVideos);
    }
    if (queueFullTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "queueFullTimeout must be zero (reject at once) or positive, got " + queueFullTimeout);
    }
    if (maxRestoresWithoutProgress < 0) {
      throw new IllegalArgumentException(
          "maxRestoresWithoutProgress must be >= 0 (0: off), got " + maxRestoresWithoutProgress);
    }
    if (finishedRetention.isNegative()) {
      throw new IllegalArgumentException(
          "finishedRetention must be zero (for ever) or positive, got " + finishedRetention);
    }
  }

  /**
   * 200 ms slices, 2 videos per subtask, progress at most every second, 64 queued, 2 minutes of
   * waiting for a place, poison videos after 3 restores, finished ids kept for ever, no observer.
   */
  public static GenerationOperatorOptions defaults() {
    return new GenerationOperatorOptions(
        DEFAULT_TIME_SLICE, DEFAULT_MAX_ACTIVE_VIDEOS, DEFAULT_PROGRESS_INTERVAL, null);
  }

  /** These options with another time slice. */
  public GenerationOperatorOptions withTimeSlice(Duration value) {
    return new GenerationOperatorOptions(
        value,
        maxActiveVideos,
        progressInterval,
        maxQueuedVideos,
        queueFullTimeout,
        maxRestoresWithoutProgress,
        finishedRetention,
        observer);
  }

  /** These options with another bound on active videos. */
  public GenerationOperatorOptions withMaxActiveVideos(int value) {
    return new GenerationOperatorOptions(
        timeSlice,
        value,
        progressInterval,
        maxQueuedVideos,
        queueFullTimeout,
        maxRestoresWithoutProgress,
        finishedRetention,
        observer);
  }

  /** These options with another progress interval. */
  public GenerationOperatorOptions withProgressInterval(Duration value) {
    return new GenerationOperatorOptions(
        timeSlice,
        maxActiveVideos,
        value,
        maxQueuedVideos,
        queueFullTimeout,
        maxRestoresWithoutProgress,
        finishedRetention,
        observer);
  }

  /** These options with another bound on queued videos. */
  public GenerationOperatorOptions withMaxQueuedVideos(int value) {
    return new GenerationOperatorOptions(
        timeSlice,
        maxActiveVideos,
        progressInterval,
        value,
        queueFullTimeout,
        maxRestoresWithoutProgress,
        finishedRetention,
        observer);
  }

  /** These options with another wait for a place in a full queue (zero: reject at once). */
  public GenerationOperatorOptions withQueueFullTimeout(Duration value) {
    return new GenerationOperatorOptions(
        timeSlice,
        maxActiveVideos,
        progressInterval,
        maxQueuedVideos,
        value,
        maxRestoresWithoutProgress,
        finishedRetention,
        observer);
  }

  /** These options with another poison threshold (0: off). */
  public GenerationOperatorOptions withMaxRestoresWithoutProgress(int value) {
    return new GenerationOperatorOptions(
        timeSlice,
        maxActiveVideos,
        progressInterval,
        maxQueuedVideos,
        queueFullTimeout,
        value,
        finishedRetention,
        observer);
  }

  /** These options with another retention of finished video ids (zero: for ever). */
  public GenerationOperatorOptions withFinishedRetention(Duration value) {
    return new GenerationOperatorOptions(
        timeSlice,
        maxActiveVideos,
        progressInterval,
        maxQueuedVideos,
        queueFullTimeout,
        maxRestoresWithoutProgress,
        value,
        observer);
  }

  /** These options with a unit observer (tests). */
  public GenerationOperatorOptions withObserver(UnitObserver value) {
    return new GenerationOperatorOptions(
        timeSlice,
        maxActiveVideos,
        progressInterval,
        maxQueuedVideos,
        queueFullTimeout,
        maxRestoresWithoutProgress,
        finishedRetention,
        value);
  }
}
