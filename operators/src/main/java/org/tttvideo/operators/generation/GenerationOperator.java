package org.tttvideo.operators.generation;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.generate.GenerationRequest;
import org.tttvideo.model.generate.GenerationState;
import org.tttvideo.model.generate.Generator;
import org.tttvideo.model.generate.StateSize;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.RejectionCode;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.video.VideoFailed;
import org.tttvideo.video.VideoProgress;

/**
 * Generates videos, keyed by video id, in bounded work units driven by processing-time timers.
 * Thin: Flink state, timers and metrics; the math is the model's incremental API ({@link
 * Generator#step}).
 *
 * <pre>{@code
 * SingleOutputStreamOperator<DecodedSegment> segments =
 *     storyboards
 *         .keyBy(Storyboard::videoId)
 *         .transform(
 *             "generation",
 *             TypeInformation.of(DecodedSegment.class),
 *             new GenerationOperator(
 *                 new PresetGeneratorFactory("small", weights, "vector", 0L),
 *                 GenerationOperatorOptions.defaults()));
 * DataStream<VideoProgress> progress = segments.getSideOutput(GenerationOperator.PROGRESS);
 * DataStream<VideoFailed> failed = segments.getSideOutput(GenerationOperator.FAILED);
 * }</pre>
 *
 * <h2>Parts</h2>
 *
 * The operator keeps the timers, the keyed state and the outputs, and asks its parts: {@link
 * VideoSchedule} (which videos generate, which wait, round robin, queue positions), {@link
 * Admission} (the queue bound and the back pressure of a full queue: "Bounded backlog"), {@link
 * PoisonDetection} (restores: held videos and poison videos) with {@link RestoredVideos} (the
 * rebuild it decides), {@link SliceTimers} (one pending slice timer per video), {@link UnitRunner}
 * (one work unit of the model), {@link FailureReports} (the end of a failed video), {@link
 * SubtaskEnvironment} (GPU, attempt, journal), {@link GenerationMetrics} (the metrics) and {@link
 * GenerationRecords} (the records and messages it emits).
 *
 * <h2>State</h2>
 *
 * Keyed state ({@link VideoStates}) is the source of truth; the operator keeps a mirror of the
 * generating videos' {@link GenerationState}s in memory and writes what each unit changes. After a
 * restore the schedule is rebuilt from the keyed state (statuses and arrival numbers) and the
 * generation continues from the cursor to the same bytes. Tensors are never mutated after they are
 * put in state, and all state of a video is cleared when it finishes or fails, except a small
 * {@link FinishedVideo} marker (outcome, content fingerprint, time: about 50 bytes besides the
 * key). A video id names one video, generated once; a storyboard whose id is in use is rejected
 * ({@link VideoIdLedger}, "Video ids", says when and how, and how long a finished id stays taken).
 *
 * <h2>Outputs</h2>
 *
 * <ul>
 *   <li>main output: each {@link DecodedSegment} as soon as it is decoded;
 *   <li>{@link #PROGRESS}: QUEUED (with the 1-based queue position, again when it reaches a power
 *       of two) or GENERATING on arrival; GENERATING/DECODING at most every {@link
 *       GenerationOperatorOptions#progressInterval()}; DONE or FAILED at the end;
 *   <li>{@link #REJECTED}: storyboards not generated because their id is in use (see {@link
 *       VideoIdLedger}) or the queue stayed full ({@code QUEUE_FULL}, see {@link Admission},
 *       "Bounded backlog");
 *   <li>{@link #FAILED}: one {@link VideoFailed} per video whose model call threw: {@value
 *       #FAILURE_CODE} for a RuntimeException, {@value #OUT_OF_MEMORY_CODE} and {@value
 *       #STACK_OVERFLOW_CODE} for those errors, and {@value #POISON_CODE} for a poison video; only
 *       that video fails, the job keeps running. Cancellation, other Errors (LinkageError,
 *       InternalError, ...; see {@link ModelFailures} for why), exceptions from the {@link
 *       UnitObserver} and from the state backend fail the task.
 * </ul>
 *
 * <p>Metrics: the {@code METRIC_*} names of {@link GenerationMetrics}, described there.
 */
public final class GenerationOperator extends AbstractStreamOperator<DecodedSegment>
    implements OneInputStreamOperator<Storyboard, DecodedSegment>,
        Triggerable<String, VoidNamespace> {

  private static final long serialVersionUID = 1L;

  /** Progress records of every video ("video-progress"). */
  public static final OutputTag<VideoProgress> PROGRESS =
      new OutputTag<>("video-progress", TypeInformation.of(VideoProgress.class));

  /**
   * Storyboards this operator does not generate, for {@code storyboards.rejected}
   * ("generation-rejected"): a video id already queued, generating or finished ({@link
   * RejectionCode#DUPLICATE_VIDEO_ID}, {@link RejectionCode#VIDEO_ID_CONFLICT}).
   */
  public static final OutputTag<Rejection> REJECTED =
      new OutputTag<>("generation-rejected", TypeInformation.of(Rejection.class));

  /** One record per video whose generation failed ("video-failed"). */
  public static final OutputTag<VideoFailed> FAILED =
      new OutputTag<>("video-failed", TypeInformation.of(VideoFailed.class));

  /** The {@link VideoFailed#code()} of a video whose model call threw a RuntimeException. */
  public static final String FAILURE_CODE = "GENERATION_FAILED";

  /**
   * The {@link VideoFailed#code()} of a video whose model call ran out of memory (Java heap, direct
   * or native buffers); see {@link ModelFailures}.
   */
  public static final String OUT_OF_MEMORY_CODE = "GENERATION_OUT_OF_MEMORY";

  /**
   * The {@link VideoFailed#code()} of a video that was generating through {@link
   * GenerationOperatorOptions#maxRestoresWithoutProgress()} task failures in a row without progress
   * (see "Poison videos").
   */
  public static final String POISON_CODE = "POISON_VIDEO";

  /** The {@link VideoFailed#code()} of a video whose model call overflowed the stack. */
  public static final String STACK_OVERFLOW_CODE = "GENERATION_STACK_OVERFLOW";

  /** Name of the timer service of the slices. */
  static final String TIMER_SERVICE = "generation-slices";

  /** Name of the timer service that forgets finished videos after their retention. */
  static final String RETENTION_TIMER_SERVICE = "generation-retention";

  /**
   * Payload bytes kept in a rejection of a storyboard without an {@link Storyboard#origin()} (its
   * JSON stands in for the record): the default of {@code storyboard.max-rejected-payload-bytes}.
   */
  static final int FALLBACK_PAYLOAD_BYTES = 256 * 1024;

  private final GeneratorFactory factory;
  private final GenerationOperatorOptions options;

  private transient Generator generator;
  private transient ModelConfig config;
  private transient VideoStates states;
  private transient SliceTimers slices;
  private transient VideoIdLedger ids;
  private transient VideoSchedule schedule;
  private transient PoisonDetection poison;
  private transient GenerationMetrics metrics;
  private transient UnitRunner units;
  private transient FailureReports failures;
  private transient RestoredVideos restored;
  private transient VideoStarts starts;

  /** The in-memory mirror of each generating video's state. */
  private transient Map<String, LiveVideo> live;

  /** Test seam: the attempt number to use instead of the task's, or null. */
  transient Integer attemptForTesting;

  /** Test seam: the journal to use instead of the one under the checkpoint directory, or null. */
  transient AttemptJournal journalForTesting;

  /** Whether a slice is under way: a close in the middle of one is not an orderly end. */
  private transient boolean inSlice;

  public GenerationOperator(GeneratorFactory factory, GenerationOperatorOptions options) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public void open() throws Exception {
    super.open();
    // ND4J's class-loader pin (STACK.md, pitfall 3) happens where an ND4J backend is built: in
    // compute-nd4j's Nd4jCompute constructor, which the factory below runs in this thread.
    SubtaskEnvironment env =
        new SubtaskEnvironment(getContainingTask(), getRuntimeContext(), getOperatorID());
    int device = env.gpuIndex();
    generator = factory.create(device);
    config = generator.config();
    LOG.info(
        "Generation subtask {}: model '{}' built by {} on {}; slices of {}, {} videos at once",
        env.subtask(),
        config.name(),
        factory,
        device < 0 ? "the CPU (no external resource 'gpu')" : "GPU " + device,
        options.timeSlice(),
        options.maxActiveVideos());
    states = new VideoStates(getKeyedStateStore());
    schedule = new VideoSchedule(options);
    slices =
        new SliceTimers(
            getInternalTimerService(TIMER_SERVICE, VoidNamespaceSerializer.INSTANCE, this),
            states.timerAt,
            schedule,
            this::now);
    ids = new VideoIdLedger(states.done, options.finishedRetention());
    ids.timers(
        getInternalTimerService(RETENTION_TIMER_SERVICE, VoidNamespaceSerializer.INSTANCE, ids));
    live = new HashMap<>();
    AttemptJournal journal = null;
    if (PoisonDetection.detects(options)) {
      journal = journalForTesting != null ? journalForTesting : env.attemptJournal();
    }
    poison =
        new PoisonDetection(
            options,
            attemptForTesting != null ? attemptForTesting : env.attempt(),
            journal,
            env.checkpointing());
    // Mails of this operator's priority: its processing-time timers are delivered as such mails,
    // so yielding to them runs the slices (as AsyncWaitOperator waits for capacity).
    Admission admission =
        new Admission(
            schedule,
            options.queueFullTimeout(),
            getContainingTask()
                .getMailboxExecutorFactory()
                .createExecutor(getOperatorConfig().getChainIndex()),
            getProcessingTimeService(),
            getContainingTask()::isCanceled,
            poison::heldCount);
    metrics = new GenerationMetrics(getMetricGroup());
    units = new UnitRunner(generator, config);
    failures = new FailureReports(output, ids, metrics, config, options, this::now);
    restored =
        new RestoredVideos(
            this,
            getKeyedStateBackend(),
            states,
            schedule,
            poison,
            live,
            slices,
            failures,
            options.maxActiveVideos());
    restored.rebuild();
    starts =
        new VideoStarts(
            this, generator, states, schedule, admission, poison, live, slices, failures, output,
            this::now);
    poison.began();
    updateGauges();
  }

  @Override
  public void processElement(StreamRecord<Storyboard> element) throws Exception {
    starts.reportPendingPositions();
    Storyboard sb = element.getValue();
    String id = sb.videoId();
    VideoFingerprint content = VideoFingerprint.of(sb);
    VideoMeta existing = states.meta.value();
    Rejection taken =
        ids.rejectionIfTaken(
            sb, content, existing, () -> schedule.position(existing.arrival(), id), now());
    if (taken != null) {
      reject(taken);
      return;
    }
    if (schedule.isFull() && !starts.awaitPlaceInQueue()) {
      reject(GenerationRecords.queueFull(sb, schedule.queuedCount(), options.queueFullTimeout()));
      return;
    }
    long now = now();
    GenerationRequest request;
    try {
      request = StoryboardRequests.toRequest(sb, config);
    } catch (RuntimeException e) {
      failures.unusableStoryboard(sb, content, now, e);
      return;
    }
    VideoMeta meta =
        new VideoMeta(VideoMeta.Status.QUEUED, schedule.nextArrival(), now, config.name(), request);
    starts.arrive(id, meta);
    updateGauges();
  }

  @Override
  public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
    // Only processing-time timers are registered.
  }

  @Override
  public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
    starts.reportPendingPositions();
    String id = timer.getKey();
    if (!slices.take(timer)) {
      LOG.debug("Ignoring a stale slice timer of video {} at {}", id, timer.getTimestamp());
      return;
    }
    if (restored.failIfPoisoned(id)) {
      starts.fillSlots();
    } else if (schedule.isActive(id)) {
      runSlice(id, live.get(id), options.timeSlice().toNanos());
    } else {
      starts.fillSlots(); // a start deferred from open(), registered on the first queued video
    }
    updateGauges();
  }

  /** At end of input, generates every video left, since no timer fires after this. */
  @Override
  public void finish() throws Exception {
    slices.drain(); // no timer fires any more: register none
    restored.endOfInput();
    int drained = 0;
    while (!schedule.isEmpty()) {
      String id = schedule.firstActive();
      if (id == null) {
        setCurrentKey(schedule.firstQueued());
        slices.deletePending();
        starts.fillSlots();
        continue;
      }
      setCurrentKey(id);
      slices.deletePending();
      runSlice(id, live.get(id), Long.MAX_VALUE);
      drained++;
    }
    if (drained > 0) {
      LOG.info("End of input: generated the {} remaining videos to the end", drained);
    }
    updateGauges();
    super.finish();
  }

  /**
   * Closes the generator, and with it the compute backend it owns (its threads); Flink calls this
   * at the end of the operator's life, after a failure or cancellation too.
   */
  @Override
  public void close() throws Exception {
    if (poison != null) {
      poison.closed(inSlice);
    }
    try {
      if (generator != null) {
        generator.close();
        generator = null;
      }
    } finally {
      super.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Scheduling (the policy is VideoSchedule's; here its timers and state)

  /** Whether a power of two lies in {@code [position, previous)} (see {@link VideoSchedule}). */
  static boolean reachesPowerOfTwo(int position, int previous) {
    return VideoSchedule.reachesPowerOfTwo(position, previous);
  }

  // ---------------------------------------------------------------------------------------------
  // Restores (the decisions are PoisonDetection's, the rebuild RestoredVideos')

  /** Marks the next held video RUNNING in this checkpoint ({@link RestoredVideos#checkpoint}). */
  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    restored.checkpoint(context.getCheckpointId());
    super.snapshotState(context);
  }

  /** Releases a held video ({@link RestoredVideos#checkpointCompleted}). */
  @Override
  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    super.notifyCheckpointComplete(checkpointId);
    restored.checkpointCompleted(checkpointId);
  }

  // ---------------------------------------------------------------------------------------------
  // Work

  /**
   * Runs units of the current key's video until {@code budgetNanos} are used (at least one unit),
   * then schedules its next slice; or until it finishes or fails, then starts queued videos.
   */
  private void runSlice(String id, LiveVideo v, long budgetNanos) throws Exception {
    inSlice = true; // left true when the slice throws: the task dies in the middle of it
    runUnits(id, v, budgetNanos);
    inSlice = false;
  }

  /** {@link #runSlice}'s work. */
  private void runUnits(String id, LiveVideo v, long budgetNanos) throws Exception {
    long sliceStart = System.nanoTime();
    while (true) {
      UnitRunner.Outcome u = units.run(id, v);
      if (u.failed()) {
        metrics.sliceEnded(sliceStart);
        fail(id, v, u);
        starts.fillSlots();
        return;
      }
      GenerationState after = u.after();
      states.writeChanges(v.state, after);
      v.state = after;
      v.account(u.unit(), u.nanos(), metrics);
      v.peakStateBytes = Math.max(v.peakStateBytes, StateSize.of(after));
      metrics.unitDone();
      if (u.decoded() != null) {
        output.collect(new StreamRecord<>(u.decoded()));
        metrics.segmentDecoded();
      }
      if (options.observer() != null) {
        options.observer().afterUnit(id, after.unit());
      }
      if (generator.isDone(after)) {
        metrics.sliceEnded(sliceStart);
        finishVideo(id, v);
        starts.fillSlots();
        return;
      }
      if (System.nanoTime() - sliceStart >= budgetNanos) {
        break;
      }
    }
    metrics.sliceEnded(sliceStart);
    long now = now();
    if (now - v.lastProgressAt >= options.progressInterval().toMillis()) {
      emitProgress(starts.progress(id, v));
      v.lastProgressAt = now;
    }
    slices.schedule();
  }

  private void finishVideo(String id, LiveVideo v) throws Exception {
    emitProgress(starts.progress(id, v));
    states.clear();
    ids.finished(FinishedVideo.Outcome.GENERATED, "", VideoFingerprint.of(v.meta.request()), now());
    ended(id);
    metrics.videoFinished();
    LOG.info(
        "Video {} done: {} units, {} segments, {} ms since arrival; its keyed state peaked at {}"
            + " (measured in this attempt)",
        id,
        v.state.unit(),
        v.meta.request().segments(),
        now() - v.meta.startedAtMillis(),
        GenerationRecords.megabytes(v.peakStateBytes));
  }

  /**
   * Fails the current key's video after its model call threw: drops its state (in memory first,
   * then in Flink state), then reports it.
   */
  private void fail(String id, LiveVideo v, UnitRunner.Outcome u) throws Exception {
    v.state = null;
    ended(id);
    states.clear();
    failures.unitFailed(id, v.meta, u.index(), u.unit(), u.failureCode(), u.failure());
  }

  /** Forgets the ended video {@code id} in memory: its place in the schedule and its mirror. */
  private void ended(String id) {
    live.remove(id);
    schedule.ended(id);
    poison.ended(id);
  }

  // ---------------------------------------------------------------------------------------------
  // Video ids

  /**
   * Emits a rejection of a storyboard ({@link GenerationRecords}), traced to its record like a
   * validation rejection; the video in use, if any, is not touched.
   */
  private void reject(Rejection r) {
    LOG.info("Rejected storyboard from {}: {}", r.source(), r.summary());
    output.collect(REJECTED, new StreamRecord<>(r));
    metrics.storyboardRejected();
  }

  // ---------------------------------------------------------------------------------------------
  // Progress and metrics

  private void emitProgress(VideoProgress p) {
    output.collect(PROGRESS, new StreamRecord<>(p));
  }

  /** The schedule's gauges, after each change: the oldest generating video's next unit. */
  private void updateGauges() {
    LiveVideo oldest = LiveVideo.oldest(schedule.active(), live);
    metrics.schedule(
        schedule.activeCount(),
        schedule.queuedCount(),
        oldest == null ? null : generator.next(oldest.state));
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private long now() {
    return getProcessingTimeService().getCurrentProcessingTime();
  }
}
