package org.tttvideo.operators.generation;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.tttvideo.model.generate.WorkUnit;

/**
 * The generation operator's metrics, registered in its metric group when the operator opens (as the
 * Kafka source reader keeps its own in {@code KafkaSourceReaderMetrics}), so that the operator says
 * what happened ({@link #unitDone()}, {@link #videoFinished()}, ...) and this class decides how it
 * is measured:
 *
 * <ul>
 *   <li>gauges {@value #METRIC_VIDEOS_ACTIVE}, {@value #METRIC_VIDEOS_QUEUED}, {@value
 *       #METRIC_OLDEST_ACTIVE_STEP} and {@value #METRIC_OLDEST_ACTIVE_SEGMENT} (-1 when no video
 *       generates);
 *   <li>meter {@value #METRIC_UNITS_PER_SECOND} (over a minute);
 *   <li>histogram {@value #METRIC_SLICE_LATENCY_MS}: the wall time of each slice, which is how long
 *       the slice held the task thread;
 *   <li>gauge {@value #METRIC_SECONDS_PER_DENOISING_STEP}: compute time of the last complete
 *       denoising step of any video; NaN before one;
 *   <li>counters {@value #METRIC_SEGMENTS_DECODED}, {@value #METRIC_VIDEOS_FINISHED}, {@value
 *       #METRIC_VIDEOS_FAILED} and {@value #METRIC_STORYBOARDS_REJECTED}.
 * </ul>
 *
 * The gauges are read by the metric reporter's thread and written by the task thread, hence
 * volatile; the task thread writes them after each change of the schedule ({@link #schedule}).
 * Public for the metric names only: the operator alone builds and updates it.
 */
public final class GenerationMetrics {
  public static final String METRIC_VIDEOS_ACTIVE = "videosActive";
  public static final String METRIC_VIDEOS_QUEUED = "videosQueued";
  public static final String METRIC_OLDEST_ACTIVE_STEP = "oldestActiveStep";
  public static final String METRIC_OLDEST_ACTIVE_SEGMENT = "oldestActiveSegment";
  public static final String METRIC_UNITS_PER_SECOND = "unitsPerSecond";
  public static final String METRIC_SLICE_LATENCY_MS = "sliceLatencyMs";
  public static final String METRIC_SECONDS_PER_DENOISING_STEP = "secondsPerDenoisingStep";
  public static final String METRIC_SEGMENTS_DECODED = "segmentsDecoded";
  public static final String METRIC_VIDEOS_FINISHED = "videosFinished";
  public static final String METRIC_VIDEOS_FAILED = "videosFailed";
  public static final String METRIC_STORYBOARDS_REJECTED = "storyboardsRejected";

  /** Slices kept by the latency histogram. */
  private static final int HISTOGRAM_WINDOW = 1024;

  private final Meter unitsPerSecond;
  private final Histogram sliceLatencyMs;
  private final Counter segmentsDecoded;
  private final Counter videosFinished;
  private final Counter videosFailed;
  private final Counter storyboardsRejected;
  private volatile int active;
  private volatile int queued;
  private volatile int oldestStep;
  private volatile int oldestSegment;
  private volatile double secondsPerStep = Double.NaN;

  /** Registers every metric in {@code group}. */
  GenerationMetrics(MetricGroup group) {
    group.gauge(METRIC_VIDEOS_ACTIVE, (Gauge<Integer>) () -> active);
    group.gauge(METRIC_VIDEOS_QUEUED, (Gauge<Integer>) () -> queued);
    group.gauge(METRIC_OLDEST_ACTIVE_STEP, (Gauge<Integer>) () -> oldestStep);
    group.gauge(METRIC_OLDEST_ACTIVE_SEGMENT, (Gauge<Integer>) () -> oldestSegment);
    group.gauge(METRIC_SECONDS_PER_DENOISING_STEP, (Gauge<Double>) () -> secondsPerStep);
    unitsPerSecond = group.meter(METRIC_UNITS_PER_SECOND, new MeterView(60));
    sliceLatencyMs =
        group.histogram(
            METRIC_SLICE_LATENCY_MS, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    segmentsDecoded = group.counter(METRIC_SEGMENTS_DECODED);
    videosFinished = group.counter(METRIC_VIDEOS_FINISHED);
    videosFailed = group.counter(METRIC_VIDEOS_FAILED);
    storyboardsRejected = group.counter(METRIC_STORYBOARDS_REJECTED);
  }

  /** A work unit of any video completed. */
  void unitDone() {
    unitsPerSecond.markEvent();
  }

  /** A slice that began at {@code sliceStartNanos} ({@link System#nanoTime()}) ended now. */
  void sliceEnded(long sliceStartNanos) {
    sliceLatencyMs.update((System.nanoTime() - sliceStartNanos) / 1_000_000);
  }

  /** A denoising step of some video, measured from its first unit, took {@code nanos}. */
  void denoisingStep(long nanos) {
    secondsPerStep = nanos / 1e9;
  }

  void segmentDecoded() {
    segmentsDecoded.inc();
  }

  void videoFinished() {
    videosFinished.inc();
  }

  void videoFailed() {
    videosFailed.inc();
  }

  void storyboardRejected() {
    storyboardsRejected.inc();
  }

  /**
   * The schedule's gauges: {@code active} generating and {@code queued} waiting videos, and the
   * next unit of the oldest generating one (null when none generates: -1 for step and segment).
   */
  void schedule(int active, int queued, WorkUnit oldestNext) {
    this.active = active;
    this.queued = queued;
    this.oldestStep = oldestNext == null ? -1 : oldestNext.step();
    this.oldestSegment = oldestNext == null ? -1 : oldestNext.segment();
  }
}
