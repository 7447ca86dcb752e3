package org.tttvideo.operators.generation;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link GenerationOperator} schedules its work.
 *
 * <pre>{@code
 * GenerationOperatorOptions o = GenerationOperatorOptions.defaults();     // 200 ms, 2, 1 s
 * GenerationOperatorOptions t = new GenerationOperatorOptions(
 *     Duration.ofMillis(50), 1, Duration.ZERO, (id, units) -> {});         // a test's options
 * }</pre>
 *
 * @param timeSlice how long one timer callback runs work units of one video before it yields (at
 *     least one unit runs per slice), positive
 * @param maxActiveVideos videos generating at once per subtask, at least 1; the rest are queued
 * @param progressInterval least time between two GENERATING progress records of a video; zero
 *     reports after every slice
 * @param observer test hook called after every unit; null in production
 */
public record GenerationOperatorOptions(
    Duration timeSlice, int maxActiveVideos, Duration progressInterval, UnitObserver observer)
    implements Serializable {

  /** Default time slice: long enough to amortise the state writes, short for checkpoints. */
  public static final Duration DEFAULT_TIME_SLICE = Duration.ofMillis(200);

  /** Default videos generating at once per subtask. */
  public static final int DEFAULT_MAX_ACTIVE_VIDEOS = 2;

  /** Default least time between progress records of a video. */
  public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(1);

  public GenerationOperatorOptions {
    Objects.requireNonNull(timeSlice, "timeSlice");
    Objects.requireNonNull(progressInterval, "progressInterval");
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
  }

  /** 200 ms slices, 2 videos per subtask, progress at most every second, no observer. */
  public static GenerationOperatorOptions defaults() {
    return new GenerationOperatorOptions(
        DEFAULT_TIME_SLICE, DEFAULT_MAX_ACTIVE_VIDEOS, DEFAULT_PROGRESS_INTERVAL, null);
  }

  /** These options with another time slice. */
  public GenerationOperatorOptions withTimeSlice(Duration value) {
    return new GenerationOperatorOptions(value, maxActiveVideos, progressInterval, observer);
  }

  /** These options with another bound on active videos. */
  public GenerationOperatorOptions withMaxActiveVideos(int value) {
    return new GenerationOperatorOptions(timeSlice, value, progressInterval, observer);
  }

  /** These options with another progress interval. */
  public GenerationOperatorOptions withProgressInterval(Duration value) {
    return new GenerationOperatorOptions(timeSlice, maxActiveVideos, value, observer);
  }

  /** These options with a unit observer (tests). */
  public GenerationOperatorOptions withObserver(UnitObserver value) {
    return new GenerationOperatorOptions(timeSlice, maxActiveVideos, progressInterval, value);
  }
}
