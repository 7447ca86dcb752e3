package org.tttvideo.operators.generation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.execution.CancelTaskException;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.generate.GenerationRequest;
import org.tttvideo.model.generate.GenerationState;
import org.tttvideo.model.generate.Generator;
import org.tttvideo.model.generate.StateSize;
import org.tttvideo.model.generate.WorkPlan;
import org.tttvideo.model.generate.WorkUnit;
import org.tttvideo.model.storyboard.Payload;
import org.tttvideo.model.storyboard.Rejection;
import org.tttvideo.model.storyboard.RejectionCode;
import org.tttvideo.model.storyboard.Storyboard;
import org.tttvideo.model.storyboard.StoryboardJson;
import org.tttvideo.model.storyboard.StoryboardOrigin;
import org.tttvideo.model.video.VideoFailed;
import org.tttvideo.model.video.VideoProgress;

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
 * <h2>Scheduling</h2>
 *
 * A storyboard starts generating at once if fewer than {@link
 * GenerationOperatorOptions#maxActiveVideos()} videos generate on the subtask, else it waits in
 * state in arrival order. Each generating video has one pending processing-time timer; when it
 * fires, the operator runs the video's units until the {@link
 * GenerationOperatorOptions#timeSlice()} is used (at least one unit) and registers the next timer.
 * Timer times strictly increase in the order they are registered, so the videos take slices round
 * robin, and checkpoint barriers, new storyboards and cancellation get in between (a fired timer
 * runs at most one slice per generating video). When a video finishes or fails, the first queued
 * video starts. At end of input ({@link #finish()}, e.g. a bounded source or stop-with-savepoint
 * --drain) every remaining video is generated to the end.
 *
 * <h2>Bounded backlog</h2>
 *
 * At most {@link GenerationOperatorOptions#maxQueuedVideos()} videos wait in state per subtask, so
 * the Kafka backlog stays in Kafka instead of in keyed state. A storyboard that would be queued
 * beyond it waits in {@code processElement}: the operator yields to the task's mailbox ({@link
 * MailboxExecutor#yield()} at this operator's priority, as Flink's {@code AsyncWaitOperator} waits
 * for capacity), which runs its slice timers, so generation goes on, videos finish, queued ones
 * start, and the storyboard enters the queue as soon as a place frees. Meanwhile the task reads no
 * input: back pressure reaches the source and Kafka.
 *
 * <p>Why the wait is bounded ({@link GenerationOperatorOptions#queueFullTimeout()}, then {@code
 * QUEUE_FULL}): while a record waits, nothing behind it in the input is processed, and that
 * includes the checkpoint barrier. With aligned checkpoints the barrier waits behind the record;
 * unaligned ones do not help either, because the task handles barriers and checkpoint notifications
 * through mails of a lower priority than this operator's, which {@code yield} does not run (so no
 * snapshot is ever taken in the middle of a {@code processElement}, which would lose the record). A
 * place frees only when a video finishes, which for a large model can take longer than the
 * checkpoint timeout and the Kafka transaction timeout of the exactly-once sinks: an unbounded wait
 * would fail checkpoints and abort transactions. So a record waits at most the timeout (default 2
 * minutes, a checkpoint is delayed by about as much), is then rejected with {@code QUEUE_FULL}, and
 * until the queue moves again every record that finds it full is rejected at once, so that the
 * records ahead of a barrier do not each add a timeout. Zero rejects at once (no back pressure).
 * The wait ends at once when no video generates (nothing could free a place).
 *
 * <p>End of input: {@link #finish()} comes only after the last record has been processed, so it
 * never meets a waiting record; it drains the queue. Cancellation: the cancelled task's control
 * mail (or its interrupt) ends {@code yield}, and the wait throws {@link CancelTaskException}; a
 * timer at the deadline wakes the mailbox, so the wait never outlives its timeout even without
 * other mails.
 *
 * <p>Queue positions are reported on arrival and then whenever a video reaches or passes a power of
 * two (..., 8, 4, 2, 1), which is O(log n) records per video instead of a record for every queued
 * video each time one starts (O(n<sup>2</sup>) for a backlog of n).
 *
 * <h2>State</h2>
 *
 * Keyed state ({@link VideoStates}) is the source of truth; the operator keeps a mirror of the
 * generating videos' {@link GenerationState}s in memory and writes what each unit changes. After a
 * restore the schedule is rebuilt from the keyed state (statuses and arrival numbers) and the
 * generation continues from the cursor to the same bytes. Tensors are never mutated after they are
 * put in state, and all state of a video is cleared when it finishes or fails, except a small
 * {@link FinishedVideo} marker (outcome, content fingerprint, time: about 50 bytes besides the
 * key).
 *
 * <h2>Poison videos</h2>
 *
 * A video that makes its task fail (a crash of the task manager, an error that is not the video's
 * alone, a hang that gets the task cancelled) would run first again after every restore and fail
 * the job once the restarts are used up. With {@link
 * GenerationOperatorOptions#maxRestoresWithoutProgress()} K &gt; 0, a video that was generating
 * through K task failures in a row, without a completed checkpoint having seen it get past its
 * cursor in between, is failed with {@value #POISON_CODE} instead of resumed, and the job goes on.
 * A long video that lives through unrelated failures is not: each checkpoint that holds it beyond
 * its cursor at the last restore resets its count.
 *
 * <p>Counting in state needs care, because the state written in {@code open()} after a restore is
 * lost when the task fails again before the next checkpoint: the next restore reads the same
 * checkpoint again. So each generating video carries a {@link RestoreMark}: its strikes and cursor
 * at its last restore, whether it may run, and the task attempt that wrote it (the attempt that
 * took the checkpoint). A restore in attempt A of a checkpoint taken in attempt a looks at the
 * attempts a to A - 1 since it, even when no checkpoint completed in between ({@link
 * RestoreStrikes}). Not every one of them is a failure of its videos: one lost task manager costs
 * several attempts (restarts deployed to its slots fail before its heartbeat times out, and the
 * attempts on the live task managers are cancelled by them). The {@link AttemptJournal}, a few
 * files per attempt beside the checkpoints, says which attempts began running videos and which
 * ended in an orderly way; only an attempt that began and died (a crash, a kill, a close in the
 * middle of a slice) is charged. Without a checkpoint directory there is no journal, and each of
 * the A - a attempts is charged.
 *
 * <p>To charge a failure to the right video when several generate, a restore resumes one video, the
 * most suspect (most strikes, then oldest), and holds the others; at each checkpoint after the
 * released ones have progressed, the next held video is marked RUNNING in that checkpoint, and it
 * runs when that checkpoint completes. A checkpoint so says which videos may have run after it: a
 * failure is charged to the RUNNING ones, and in the attempts restored from the same checkpoint
 * only to the resumed one, which is recomputed from that checkpoint alone. A poison video that
 * shares its subtask with healthy ones reaches K alone; the healthy ones keep at most one strike.
 * Holding needs completed checkpoints: without checkpointing (job configuration) nothing is held,
 * and with K = 0 nothing is counted.
 *
 * <p>What it does not catch: a video that fails its task before the first checkpoint that holds it
 * (new videos are not held, so that a backlog never waits on a checkpoint it blocks) is not in the
 * restored state and is started from its Kafka record again; and a restore without a failure (a
 * rescale) counts as one; nor a task that fails outside a slice (in a checkpoint of the video's
 * state, say) yet closes in order. K must not exceed the restarts the job's restart strategy
 * allows: the restore after the K-th failure is the one that fails the video (the job's default
 * strategy allows any number).
 *
 * <h2>Video ids</h2>
 *
 * A video id names one video, generated once: every storyboard in ends in exactly one record of
 * {@code videos} or {@code storyboards.rejected}, and a finished video is never overwritten. The
 * content of a storyboard is its {@link VideoFingerprint} (SHA-256 of what decides the bytes:
 * prompts, negative prompts, seed, steps, guidance; not the title or the input format). A
 * storyboard whose id is
 *
 * <ul>
 *   <li>queued or generating with the same content: {@link RejectionCode#DUPLICATE_VIDEO_ID}. The
 *       first storyboard's one outcome on {@code videos} is the answer for both (publishing the
 *       video twice would break "one record per video id");
 *   <li>finished (generated, or failed here) with the same content: {@link
 *       RejectionCode#DUPLICATE_VIDEO_ID}; its outcome was published. A video is not generated
 *       again, even after a failure: to try again, submit it under another id;
 *   <li>queued, generating or finished with different content: {@link
 *       RejectionCode#VIDEO_ID_CONFLICT}, the video in use is not touched.
 * </ul>
 *
 * The rejection goes to {@link #REJECTED}, traced to the storyboard's record through {@link
 * Storyboard#origin()} (source, position, payload), so a client matching rejections by source finds
 * it. The markers grow with the ids ever seen by the subtask (about 100-200 bytes each in RocksDB
 * with the key: a million videos, some 200 MB); {@link
 * GenerationOperatorOptions#finishedRetention()} bounds them, at the price that an id older than
 * the retention is generated again and its MP4 replaced. Markers are not touched when the schedule
 * is rebuilt, so they do not slow restores.
 *
 * <h2>Outputs</h2>
 *
 * <ul>
 *   <li>main output: each {@link DecodedSegment} as soon as it is decoded;
 *   <li>{@link #PROGRESS}: QUEUED (with the 1-based queue position, again when it reaches a power
 *       of two) or GENERATING on arrival; GENERATING/DECODING at most every {@link
 *       GenerationOperatorOptions#progressInterval()}; DONE or FAILED at the end;
 *   <li>{@link #REJECTED}: storyboards not generated because their id is in use (see "Video ids")
 *       or the queue stayed full ({@code QUEUE_FULL}, see "Bounded backlog");
 *   <li>{@link #FAILED}: one {@link VideoFailed} per video whose model call threw: {@value
 *       #FAILURE_CODE} for a RuntimeException, {@value #OUT_OF_MEMORY_CODE} and {@value
 *       #STACK_OVERFLOW_CODE} for those errors, and {@value #POISON_CODE} for a poison video; only
 *       that video fails, the job keeps running. Cancellation, other Errors (LinkageError,
 *       InternalError, ...; see {@link ModelFailures} for why), exceptions from the {@link
 *       UnitObserver} and from the state backend fail the task.
 * </ul>
 *
 * <h2>Metrics</h2>
 *
 * In the operator's metric group: {@value #METRIC_VIDEOS_ACTIVE}, {@value #METRIC_VIDEOS_QUEUED},
 * {@value #METRIC_OLDEST_ACTIVE_STEP} and {@value #METRIC_OLDEST_ACTIVE_SEGMENT} (gauges; -1 when
 * no video generates), {@value #METRIC_UNITS_PER_SECOND} (meter), {@value #METRIC_SLICE_LATENCY_MS}
 * (histogram of the wall time of each slice, which is how long the slice held the task thread),
 * {@value #METRIC_SECONDS_PER_DENOISING_STEP} (gauge: compute time of the last complete denoising
 * step of any video; NaN before one), {@value #METRIC_SEGMENTS_DECODED}, {@value
 * #METRIC_VIDEOS_FINISHED}, {@value #METRIC_VIDEOS_FAILED} and {@value
 * #METRIC_STORYBOARDS_REJECTED} (counters).
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

  /** Name of the timer service of the slices. */
  static final String TIMER_SERVICE = "generation-slices";

  /** Name of the timer service that forgets finished videos after their retention. */
  static final String RETENTION_TIMER_SERVICE = "generation-retention";

  /**
   * Payload bytes kept in a rejection of a storyboard without an {@link Storyboard#origin()} (its
   * JSON stands in for the record): the default of {@code storyboard.max-rejected-payload-bytes}.
   */
  static final int FALLBACK_PAYLOAD_BYTES = 256 * 1024;

  /** The external resource whose "index" property names the GPU of a subtask. */
  static final String GPU_RESOURCE = "gpu";

  private static final int HISTOGRAM_WINDOW = 1024;

  private final GeneratorFactory factory;
  private final GenerationOperatorOptions options;

  private transient Generator generator;
  private transient ModelConfig config;
  private transient VideoStates states;
  private transient InternalTimerService<VoidNamespace> timers;
  private transient InternalTimerService<VoidNamespace> retentionTimers;

  /** Generating videos, in the order they started. */
  private transient Set<String> active;

  /** Queued videos in arrival order. */
  private transient TreeSet<Queued> queue;

  /** The in-memory mirror of each generating video's state. */
  private transient Map<String, Live> live;

  /** Queue positions changed where records cannot be emitted; report them at the next event. */
  private transient boolean positionsPending;

  /**
   * Whether a storyboard that finds the queue full may wait for a place: false from a wait that
   * timed out until the queue moves, so that records queued behind it in the input (and the
   * checkpoint barrier after them) do not each wait the whole timeout.
   */
  private transient boolean mayWaitForPlace;

  /** Runs the task's mails (this operator's timers among them) while a storyboard waits. */
  private transient MailboxExecutor mailbox;

  /** Task attempt of this operator instance ({@code TaskInfo#getAttemptNumber()}). */
  private transient int attempt;

  /** Test seam: the attempt number to use instead of the task's, or null. */
  transient Integer attemptForTesting;

  /**
   * The attempts of this subtask that ran and how they ended ({@link AttemptJournal}), under the
   * checkpoint directory; null without poison detection or without a checkpoint directory.
   */
  private transient AttemptJournal journal;

  /** Test seam: the journal to use instead of the one under the checkpoint directory, or null. */
  transient AttemptJournal journalForTesting;

  /** Whether this attempt's start is in the journal (so its orderly end goes there too). */
  private transient boolean journalBegan;

  /**
   * The first checkpoint this attempt took, -1 before it; the journal is pruned at its completion.
   */
  private transient long firstCheckpoint;

  /** Whether a slice is under way: a close in the middle of one is not an orderly end. */
  private transient boolean inSlice;

  /** Whether held videos wait for completed checkpoints (poison detection and checkpoints on). */
  private transient boolean probation;

  /** Generating videos held after a restore, in the order they are released. */
  private transient List<String> held;

  /** Released restored videos whose progress no checkpoint has seen, with their restore cursor. */
  private transient Map<String, Long> unproven;

  /** The held video marked RUNNING at {@link #candidateCheckpoint}, released at its completion. */
  private transient String candidate;

  private transient long candidateCheckpoint;

  /** Videos found to be poison videos at the restore, with their strikes, failed at a timer. */
  private transient Map<String, Integer> poisoned;

  /** Set by {@link #finish()}: every video runs to its end, no timer is registered. */
  private transient boolean draining;

  private transient long nextArrival;
  private transient long lastTimerAt;

  private transient Meter unitsPerSecond;
  private transient Histogram sliceLatencyMs;
  private transient Counter segmentsDecoded;
  private transient Counter videosFinished;
  private transient Counter videosFailed;
  private transient Counter storyboardsRejected;
  // Read by the metric reporter thread; written by the task thread after each change.
  private transient volatile int gaugeActive;
  private transient volatile int gaugeQueued;
  private transient volatile int gaugeOldestStep;
  private transient volatile int gaugeOldestSegment;
  private transient volatile double gaugeSecondsPerStep;

  public GenerationOperator(GeneratorFactory factory, GenerationOperatorOptions options) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public void open() throws Exception {
    super.open();
    // ND4J's class-loader pin (STACK.md, pitfall 3) happens where an ND4J backend is built: in
    // compute-nd4j's Nd4jCompute constructor, which the factory below runs in this thread.
    int device = gpuIndex();
    generator = factory.create(device);
    config = generator.config();
    LOG.info(
        "Generation subtask {}: model '{}' built by {} on {}; slices of {}, {} videos at once",
        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
        config.name(),
        factory,
        device < 0 ? "the CPU (no external resource 'gpu')" : "GPU " + device,
        options.timeSlice(),
        options.maxActiveVideos());
    states = new VideoStates(getKeyedStateStore());
    // Mails of this operator's priority: its processing-time timers are delivered as such mails,
    // so yielding to them runs the slices (as AsyncWaitOperator waits for capacity).
    mailbox =
        getContainingTask()
            .getMailboxExecutorFactory()
            .createExecutor(getOperatorConfig().getChainIndex());
    mayWaitForPlace = true;
    timers = getInternalTimerService(TIMER_SERVICE, VoidNamespaceSerializer.INSTANCE, this);
    retentionTimers =
        getInternalTimerService(
            RETENTION_TIMER_SERVICE, VoidNamespaceSerializer.INSTANCE, new Retention());
    active = new LinkedHashSet<>();
    queue = new TreeSet<>(Queued.ORDER);
    live = new HashMap<>();
    held = new ArrayList<>();
    unproven = new HashMap<>();
    poisoned = new LinkedHashMap<>();
    attempt =
        attemptForTesting != null
            ? attemptForTesting
            : getRuntimeContext().getTaskInfo().getAttemptNumber();
    journal = detectsPoison() ? attemptJournal() : null;
    if (journal != null) {
      if (attempt == 0) {
        journal.forgetBefore(Integer.MAX_VALUE); // a new numbering: the records are not of it
      }
      journal.read();
    }
    firstCheckpoint = -1;
    // Held videos are released by completed checkpoints: without checkpointing, none is held.
    probation =
        detectsPoison()
            && CheckpointingOptions.isCheckpointingEnabled(
                getContainingTask().getJobConfiguration());
    gaugeSecondsPerStep = Double.NaN;
    registerMetrics(getMetricGroup());
    rebuildSchedule();
    if (journal != null) {
      journal.began(attempt);
      journalBegan = true;
    }
    updateGauges();
  }

  /**
   * The journal of this subtask under the job's checkpoint directory (the job's configuration, else
   * the task manager's), or null if there is none: checkpoints in the JobManager's memory.
   */
  private AttemptJournal attemptJournal() {
    if (journalForTesting != null) {
      return journalForTesting;
    }
    String dir =
        getContainingTask()
            .getJobConfiguration()
            .getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
            .orElseGet(
                () ->
                    getContainingTask()
                        .getEnvironment()
                        .getTaskManagerInfo()
                        .getConfiguration()
                        .get(CheckpointingOptions.CHECKPOINTS_DIRECTORY));
    if (dir == null) {
      LOG.info(
          "No checkpoint directory: restores count every task attempt since the restored"
              + " checkpoint as a failure of its videos (no attempt journal)");
      return null;
    }
    AttemptJournal j =
        new AttemptJournal(
            AttemptJournal.folder(
                new Path(dir),
                getRuntimeContext().getJobInfo().getJobId().toString(),
                getOperatorID().toString(),
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask()));
    LOG.info("Attempt journal of this subtask: {}", j.dir());
    return j;
  }

  @Override
  public void processElement(StreamRecord<Storyboard> element) throws Exception {
    reportPendingPositions();
    Storyboard sb = element.getValue();
    String id = sb.videoId();
    VideoFingerprint content = VideoFingerprint.of(sb);
    VideoMeta existing = states.meta.value();
    if (existing != null) {
      rejectRepeated(
          sb,
          content.equals(VideoFingerprint.of(existing.request())),
          existing.status() == VideoMeta.Status.QUEUED
              ? "queued (position " + queuePosition(existing.arrival(), id) + ")"
              : "generating");
      return;
    }
    FinishedVideo finished = finishedMarker();
    if (finished != null) {
      rejectRepeated(
          sb,
          content.equals(finished.fingerprint()),
          finished.outcome() == FinishedVideo.Outcome.GENERATED
              ? "generated"
              : "failed (" + finished.code() + ")");
      return;
    }
    if (active.size() >= options.maxActiveVideos()
        && queue.size() >= options.maxQueuedVideos()
        && !awaitPlaceInQueue()) {
      reject(
          sb,
          RejectionCode.QUEUE_FULL,
          Rejection.ROOT,
          "the generation subtask of video '"
              + id
              + "' holds "
              + queue.size()
              + " queued videos, the most it queues (generation.max-queued-videos), and the"
              + " queue stayed full for "
              + options.queueFullTimeout()
              + " (generation.queue-full-timeout); nothing was generated: submit it again later");
      return;
    }
    long now = now();
    GenerationRequest request;
    try {
      request = StoryboardRequests.toRequest(sb, config);
    } catch (RuntimeException e) {
      LOG.warn("Video {}: storyboard cannot be generated", id, e);
      reportFailure(
          id,
          FAILURE_CODE,
          "storyboard cannot be generated by model '" + config.name() + "': " + describe(e),
          0,
          now,
          new WorkPlan(config, sb.segments().size(), config.steps()),
          sb.segments().size(),
          content);
      return;
    }
    VideoMeta meta =
        new VideoMeta(VideoMeta.Status.QUEUED, nextArrival++, now, config.name(), request);
    if (active.size() < options.maxActiveVideos()) {
      activate(id, meta);
    } else {
      states.meta.update(meta);
      queue.add(new Queued(meta.arrival(), id));
      emitProgress(queuedProgress(id, meta, queue.size()));
    }
    updateGauges();
  }

  @Override
  public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
    // Only processing-time timers are registered.
  }

  @Override
  public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
    reportPendingPositions();
    String id = timer.getKey();
    Long pending = states.timerAt.value();
    if (pending == null || pending != timer.getTimestamp()) {
      LOG.debug("Ignoring a stale slice timer of video {} at {}", id, timer.getTimestamp());
      return;
    }
    states.timerAt.clear();
    Integer strikes = poisoned.remove(id);
    if (strikes != null) {
      failPoisoned(id, strikes);
      fillSlots();
    } else if (active.contains(id)) {
      runSlice(id, live.get(id), options.timeSlice().toNanos());
    } else {
      fillSlots(); // a start deferred from open(), registered on the first queued video
    }
    updateGauges();
  }

  /** At end of input, generates every video left, since no timer fires after this. */
  @Override
  public void finish() throws Exception {
    draining = true; // no timer fires any more: register none
    for (String id : List.copyOf(poisoned.keySet())) {
      setCurrentKey(id);
      deletePendingTimer();
      failPoisoned(id, poisoned.remove(id));
    }
    held.clear(); // every video runs to its end
    candidate = null;
    int drained = 0;
    while (!active.isEmpty() || !queue.isEmpty()) {
      if (active.isEmpty()) {
        setCurrentKey(queue.first().videoId());
        deletePendingTimer();
        fillSlots();
        continue;
      }
      String id = active.iterator().next();
      setCurrentKey(id);
      deletePendingTimer();
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
    if (journalBegan && !inSlice) {
      journal.ended(attempt); // not in the middle of a video's work: cancelled, or finished
      journalBegan = false;
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
  // Scheduling

  /** Starts (or resumes) the current key's video; false if starting it failed the video. */
  private boolean activate(String id, VideoMeta queued) throws Exception {
    VideoMeta meta = queued.withStatus(VideoMeta.Status.ACTIVE);
    states.meta.update(meta);
    if (detectsPoison()) {
      RestoreMark m = states.mark.value();
      states.mark.update(m == null ? RestoreMark.started(attempt) : m.running(attempt));
    }
    GenerationState state;
    if (states.started()) {
      state = states.load(meta, id); // queued again after a rescale; continues from its cursor
    } else {
      try {
        state = generator.start(meta.request());
      } catch (RuntimeException | Error e) {
        String code = ModelFailures.videoFailureCode(e);
        if (code == null) {
          throw ModelFailures.rethrow(e);
        }
        LOG.warn("Video {}: starting the generation failed ({})", id, code, e);
        states.clear();
        reportFailure(
            id,
            code,
            "generation failed at its start (text encoding and initial noise): "
                + describe(e)
                + advice(code),
            0,
            meta.startedAtMillis(),
            plan(meta),
            meta.request().segments(),
            VideoFingerprint.of(meta.request()));
        return false;
      }
      states.writeAll(state);
    }
    Live v = new Live(meta, state);
    v.peakStateBytes = StateSize.of(state);
    LOG.info(
        "Video {}: {} segments on '{}'; its keyed state is {} now and about {} at most (while a"
            + " denoising step is in its blocks), written into every checkpoint",
        id,
        meta.request().segments(),
        config.name(),
        megabytes(v.peakStateBytes),
        megabytes(StateSize.peakEstimate(config, meta.request().segments())));
    live.put(id, v);
    active.add(id);
    scheduleSlice();
    emitProgress(progress(id, v));
    v.lastProgressAt = now();
    return true;
  }

  /** Deletes the current key's pending timer, if it has one. */
  private void deletePendingTimer() throws Exception {
    Long at = states.timerAt.value();
    if (at != null) {
      timers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, at);
      states.timerAt.clear();
    }
  }

  /** Registers the next slice of the current key's video, after every timer registered so far. */
  private void scheduleSlice() throws Exception {
    if (draining) {
      return;
    }
    long at = Math.max(now() + 1, lastTimerAt + 1);
    timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, at);
    states.timerAt.update(at);
    lastTimerAt = at;
  }

  /** Starts queued videos while slots are free, then reports the new queue positions. */
  private void fillSlots() throws Exception {
    if (queue.isEmpty() || active.size() >= options.maxActiveVideos()) {
      return;
    }
    Object previousKey = getCurrentKey();
    int moved = 0;
    while (active.size() < options.maxActiveVideos() && !queue.isEmpty()) {
      Queued next = queue.pollFirst();
      moved++;
      mayWaitForPlace = true;
      setCurrentKey(next.videoId());
      VideoMeta meta = states.meta.value();
      if (meta == null) {
        LOG.warn("Queued video {} has no state; skipped", next.videoId());
        continue;
      }
      activate(next.videoId(), meta);
    }
    reportQueuePositions(moved);
    setCurrentKey(previousKey);
  }

  /**
   * QUEUED records for the queued videos after the queue moved up by {@code moved} places (all of
   * them when {@code moved} is negative); changes the current key. A video is reported when it
   * reaches or passes a power of two (1, 2, 4, 8, ...): O(log n) records per move and per video
   * instead of one per queued video per move, and every video hears of positions 4, 2 and 1.
   */
  private void reportQueuePositions(int moved) throws Exception {
    positionsPending = false;
    int position = 0;
    for (Queued q : queue) {
      position++;
      if (moved < 0 || reachesPowerOfTwo(position, position + moved)) {
        setCurrentKey(q.videoId());
        emitProgress(queuedProgress(q.videoId(), states.meta.value(), position));
      }
    }
  }

  /** Whether a power of two lies in {@code [position, previous)}. */
  static boolean reachesPowerOfTwo(int position, int previous) {
    return previous > position && Integer.highestOneBit(previous - 1) >= position;
  }

  /**
   * Waits, while the queue is full, for a place, running the task's mails of this operator's
   * priority (its slice timers, which finish videos and start queued ones) instead of the input:
   * back pressure on the storyboards source. Returns whether a place freed; restores the current
   * key, which the slices change.
   *
   * <p>The wait ends at once when it cannot succeed (no video generates: nothing would free a
   * place), after {@link GenerationOperatorOptions#queueFullTimeout()} (a processing-time timer
   * wakes the mailbox at the deadline, so yield never blocks past it), and at cancellation (the
   * cancelled task's control mail or interrupt ends {@code yield}, then {@link
   * CancelTaskException}). After a timeout, records that find the queue full are rejected without
   * waiting until the queue moves again.
   */
  private boolean awaitPlaceInQueue() throws Exception {
    Duration timeout = options.queueFullTimeout();
    if (timeout.isZero() || !mayWaitForPlace || draining) {
      return false;
    }
    Object key = getCurrentKey();
    long deadline = now() + timeout.toMillis();
    ScheduledFuture<?> wakeUp = getProcessingTimeService().registerTimer(deadline, t -> {});
    try {
      while (active.size() >= options.maxActiveVideos()
          && queue.size() >= options.maxQueuedVideos()) {
        if (active.size() <= held.size() || now() >= deadline) {
          mayWaitForPlace = false;
          LOG.info(
              "The queue of {} videos stayed full for {}: rejecting storyboards that find it full"
                  + " until it moves",
              queue.size(),
              timeout);
          return false;
        }
        mailbox.yield();
        if (getContainingTask().isCanceled()) {
          throw new CancelTaskException("cancelled while a storyboard waited for the queue");
        }
      }
      return true;
    } finally {
      wakeUp.cancel(false);
      setCurrentKey(key);
    }
  }

  /** Reports positions that changed in {@code open()}, where no record is emitted. */
  private void reportPendingPositions() throws Exception {
    if (positionsPending) {
      Object previousKey = getCurrentKey();
      reportQueuePositions(-1);
      setCurrentKey(previousKey);
    }
  }

  /**
   * Rebuilds the in-memory schedule from keyed state after a restore: generating videos (up to the
   * bound, oldest first) keep generating, the rest queue in arrival order. After a rescale, a
   * subtask may receive more generating videos than its bound: the youngest are queued again with
   * their progress kept.
   */
  private void rebuildSchedule() throws Exception {
    List<String> keys;
    KeyedStateBackend<String> backend = getKeyedStateBackend();
    try (Stream<String> s = backend.getKeys(VideoStates.META, VoidNamespace.INSTANCE)) {
      keys = s.collect(Collectors.toList());
    }
    if (keys.isEmpty()) {
      return;
    }
    List<Restored> found = new ArrayList<>();
    for (String id : keys) {
      setCurrentKey(id);
      VideoMeta meta = states.meta.value();
      if (meta != null) {
        Long at = states.timerAt.value();
        Long cursor = states.cursor.value();
        found.add(new Restored(id, meta, at, states.mark.value(), cursor == null ? -1 : cursor));
        nextArrival = Math.max(nextArrival, meta.arrival() + 1);
        lastTimerAt = Math.max(lastTimerAt, at == null ? 0 : at);
      }
    }
    found.sort(Restored.ORDER);
    List<Restored> suspects =
        found.stream().filter(r -> r.meta().status() == VideoMeta.Status.ACTIVE).toList();
    Map<String, Integer> strikes =
        detectsPoison()
            ? RestoreStrikes.charge(
                suspects,
                attempt,
                a -> journal == null ? AttemptJournal.Outcome.UNKNOWN : journal.outcome(a),
                options)
            : Map.of();
    List<Restored> resumed = new ArrayList<>();
    for (Restored r : found) {
      setCurrentKey(r.videoId());
      int k = strikes.getOrDefault(r.videoId(), 0);
      if (r.meta().status() == VideoMeta.Status.ACTIVE
          && detectsPoison()
          && k >= options.maxRestoresWithoutProgress()) {
        deletePendingTimer();
        poisoned.put(r.videoId(), k);
        scheduleSlice(); // reported from the first timer: open() emits nothing
      } else if (r.meta().status() == VideoMeta.Status.ACTIVE
          && resumed.size() < options.maxActiveVideos()) {
        resumed.add(r);
      } else {
        if (r.meta().status() == VideoMeta.Status.ACTIVE) {
          states.meta.update(r.meta().withStatus(VideoMeta.Status.QUEUED));
          if (detectsPoison()) {
            states.mark.update(new RestoreMark(RestoreMark.Stage.RUNNING, k, r.cursor(), attempt));
          }
        }
        deletePendingTimer();
        queue.add(new Queued(r.meta().arrival(), r.videoId()));
      }
    }
    // With poison detection and checkpoints, one restored video resumes (the most suspect); the
    // others are held and released one at a time, each once a completed checkpoint holds the
    // previous one's progress, so that the next failure is charged to the right video.
    String probe =
        resumed.stream()
            .min(RestoreStrikes.probeOrder(strikes))
            .map(Restored::videoId)
            .orElse(null);
    for (Restored r : resumed) {
      setCurrentKey(r.videoId());
      boolean hold = probation && !r.videoId().equals(probe);
      if (detectsPoison()) {
        states.mark.update(
            new RestoreMark(
                hold ? RestoreMark.Stage.HELD : RestoreMark.Stage.RUNNING,
                strikes.getOrDefault(r.videoId(), 0),
                r.cursor(),
                attempt));
      }
      active.add(r.videoId());
      live.put(r.videoId(), new Live(r.meta(), states.load(r.meta(), r.videoId())));
      if (hold) {
        deletePendingTimer();
        held.add(r.videoId());
      } else {
        unproven.put(r.videoId(), r.cursor());
        if (r.timerAt() == null) {
          scheduleSlice();
        }
      }
    }
    held.sort(heldOrder(strikes));
    if (!queue.isEmpty() && active.size() < options.maxActiveVideos()) {
      // Starting a video emits records, which open() does not: a timer on the first queued video
      // starts the queue at once instead.
      setCurrentKey(queue.first().videoId());
      scheduleSlice();
    }
    positionsPending = !queue.isEmpty();
    LOG.info(
        "Restored {} videos in attempt {}: {} generating ({} held until a checkpoint), {} queued,"
            + " {} failed as poison videos; strikes {}",
        found.size(),
        attempt,
        active.size(),
        held.size(),
        queue.size(),
        poisoned.size(),
        strikes);
  }

  /** The order in which held videos are released: as {@link RestoreStrikes#probeOrder}. */
  private Comparator<String> heldOrder(Map<String, Integer> strikes) {
    Map<String, Long> arrivals = new HashMap<>();
    for (String id : held) {
      arrivals.put(id, live.get(id).meta.arrival());
    }
    return Comparator.comparing((String id) -> -strikes.getOrDefault(id, 0))
        .thenComparing(arrivals::get)
        .thenComparing(id -> id);
  }

  /** Whether restores are counted against videos (poison detection is on). */
  private boolean detectsPoison() {
    return options.maxRestoresWithoutProgress() > 0;
  }

  /**
   * At a checkpoint, with videos held after a restore: once every released restored video has
   * progressed (this checkpoint holds it past its restore cursor), marks the next held video
   * RUNNING in this checkpoint; it is released when this checkpoint (or a later one) completes.
   */
  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    if (firstCheckpoint < 0) {
      firstCheckpoint = context.getCheckpointId();
    }
    if (probation && candidate == null && !held.isEmpty()) {
      unproven
          .entrySet()
          .removeIf(
              e -> !live.containsKey(e.getKey()) || live.get(e.getKey()).unit() > e.getValue());
      if (unproven.isEmpty()) {
        Object previousKey = getCurrentKey();
        String next = held.get(0);
        setCurrentKey(next);
        RestoreMark m = states.mark.value();
        states.mark.update(
            m == null ? RestoreMark.started(attempt) : m.running(attempt)); // in this checkpoint
        candidate = next;
        candidateCheckpoint = context.getCheckpointId();
        if (previousKey != null) {
          setCurrentKey(previousKey);
        }
      }
    }
    super.snapshotState(context);
  }

  /** Releases the candidate once a checkpoint holding it as RUNNING has completed. */
  @Override
  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    super.notifyCheckpointComplete(checkpointId);
    if (journal != null && firstCheckpoint >= 0 && checkpointId >= firstCheckpoint) {
      journal.forgetBefore(attempt); // restores now read a checkpoint of this attempt or later
      firstCheckpoint = Long.MAX_VALUE;
    }
    if (candidate != null && checkpointId >= candidateCheckpoint) {
      String id = candidate;
      candidate = null;
      if (held.remove(id) && active.contains(id)) {
        Object previousKey = getCurrentKey();
        setCurrentKey(id);
        unproven.put(id, live.get(id).unit());
        scheduleSlice();
        LOG.info("Video {} released after checkpoint {}", id, checkpointId);
        if (previousKey != null) {
          setCurrentKey(previousKey);
        }
      }
    }
  }

  /** Fails the current key's video, found to be a poison video when the schedule was rebuilt. */
  private void failPoisoned(String id, int strikes) throws Exception {
    VideoMeta meta = states.meta.value();
    Long cursor = states.cursor.value();
    long unit = cursor == null ? 0 : cursor;
    states.clear();
    WorkPlan plan = plan(meta);
    int segments = meta.request().segments();
    String message =
        "video '"
            + id
            + "' was generating when its task failed "
            + strikes
            + " times in a row without a checkpoint seeing it get past unit "
            + unit
            + " of "
            + plan.total()
            + " ("
            + plan.unit(unit)
            + "), the most generation.max-restores-without-progress allows ("
            + options.maxRestoresWithoutProgress()
            + "); it is given up so that the other videos and the job go on (a task manager"
            + " that runs out of memory or crashes while generating it is the usual cause)";
    LOG.warn("Video {}: {}", id, message);
    reportFailure(
        id,
        POISON_CODE,
        message,
        (int) Math.max(0, unit - (plan.total() - segments)),
        meta.startedAtMillis(),
        plan,
        segments,
        VideoFingerprint.of(meta.request()));
  }

  // ---------------------------------------------------------------------------------------------
  // Work

  /**
   * Runs units of the current key's video until {@code budgetNanos} are used (at least one unit),
   * then schedules its next slice; or until it finishes or fails, then starts queued videos.
   */
  private void runSlice(String id, Live v, long budgetNanos) throws Exception {
    inSlice = true; // left true when the slice throws: the task dies in the middle of it
    runUnits(id, v, budgetNanos);
    inSlice = false;
  }

  /** {@link #runSlice}'s work. */
  private void runUnits(String id, Live v, long budgetNanos) throws Exception {
    long sliceStart = System.nanoTime();
    while (true) {
      GenerationState before = v.state;
      WorkUnit unit = generator.next(before);
      long unitIndex = before.unit();
      long t0 = System.nanoTime();
      GenerationState after = null;
      DecodedSegment decoded = null;
      Throwable failure = null;
      try {
        after = generator.step(before);
        if (after.decodedFrames() != null) {
          decoded =
              new DecodedSegment(
                  id,
                  after.decodedSegment(),
                  before.request().segments(),
                  before.request().seed(),
                  v.meta.modelPreset(),
                  v.meta.startedAtMillis(),
                  FrameConversion.toFrames(after.decodedFrames(), config.fps()));
        }
      } catch (RuntimeException | Error e) {
        failure = e;
      }
      if (failure != null) {
        // Drop every reference to the unit's tensors before anything else (an out-of-memory
        // error: the memory is needed back for the message and the other videos).
        before = null;
        after = null;
        decoded = null;
        String code = ModelFailures.videoFailureCode(failure);
        if (code == null) {
          throw ModelFailures.rethrow(failure);
        }
        recordSlice(sliceStart);
        fail(id, v, unitIndex, unit, code, failure);
        fillSlots();
        return;
      }
      long elapsed = System.nanoTime() - t0;
      states.writeChanges(before, after);
      v.state = after;
      v.account(unit, elapsed);
      v.peakStateBytes = Math.max(v.peakStateBytes, StateSize.of(after));
      unitsPerSecond.markEvent();
      if (decoded != null) {
        output.collect(new StreamRecord<>(decoded));
        segmentsDecoded.inc();
      }
      if (options.observer() != null) {
        options.observer().afterUnit(id, after.unit());
      }
      if (generator.isDone(after)) {
        recordSlice(sliceStart);
        finishVideo(id, v);
        fillSlots();
        return;
      }
      if (System.nanoTime() - sliceStart >= budgetNanos) {
        break;
      }
    }
    recordSlice(sliceStart);
    long now = now();
    if (now - v.lastProgressAt >= options.progressInterval().toMillis()) {
      emitProgress(progress(id, v));
      v.lastProgressAt = now;
    }
    scheduleSlice();
  }

  private void finishVideo(String id, Live v) throws Exception {
    emitProgress(progress(id, v));
    states.clear();
    markFinished(FinishedVideo.Outcome.GENERATED, "", VideoFingerprint.of(v.meta.request()));
    active.remove(id);
    live.remove(id);
    unproven.remove(id);
    videosFinished.inc();
    LOG.info(
        "Video {} done: {} units, {} segments, {} ms since arrival; its keyed state peaked at {}"
            + " (measured in this attempt)",
        id,
        v.state.unit(),
        v.meta.request().segments(),
        now() - v.meta.startedAtMillis(),
        megabytes(v.peakStateBytes));
  }

  /** {@code bytes} as megabytes (10^6) with one decimal, for the log. */
  static String megabytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  /**
   * Fails the current key's video after its model call threw at unit {@code unitIndex}: drops its
   * state (in memory first, then in Flink state), then reports it.
   */
  private void fail(String id, Live v, long unitIndex, WorkUnit unit, String code, Throwable e)
      throws Exception {
    v.state = null;
    live.remove(id);
    active.remove(id);
    unproven.remove(id);
    states.clear();
    WorkPlan plan = plan(v.meta);
    int segments = v.meta.request().segments();
    String where = "unit " + unitIndex + " of " + plan.total() + " (" + unit + "): " + describe(e);
    LOG.warn("Video {}: generation failed ({}) at {}", id, code, where, e);
    long decodeStart = plan.total() - segments;
    int segmentsDone = (int) Math.max(0, unitIndex - decodeStart);
    reportFailure(
        id,
        code,
        "generation failed at " + where + advice(code),
        segmentsDone,
        v.meta.startedAtMillis(),
        plan,
        segments,
        VideoFingerprint.of(v.meta.request()));
  }

  /** What a user can do about a failure of {@code code}. */
  private static String advice(String code) {
    return switch (code) {
      case OUT_OF_MEMORY_CODE ->
          "; the model ran out of memory for this video, whose state was dropped (a video with"
              + " fewer segments, or task managers with more memory or fewer"
              + " generation.max-active-videos, may fit)";
      case STACK_OVERFLOW_CODE -> "; the model's call stack overflowed on this video";
      default -> "";
    };
  }

  private void reportFailure(
      String id,
      String code,
      String message,
      int segmentsDone,
      long startedAt,
      WorkPlan plan,
      int segments,
      VideoFingerprint content)
      throws Exception {
    long now = now();
    markFinished(FinishedVideo.Outcome.FAILED, code, content);
    output.collect(
        FAILED,
        new StreamRecord<>(new VideoFailed(id, code, message, segmentsDone, now - startedAt)));
    emitProgress(
        new VideoProgress(
            id, VideoProgress.Status.FAILED, 0, 0, 0, 0, segments, 0, plan.total(), -1, now));
    videosFailed.inc();
  }

  // ---------------------------------------------------------------------------------------------
  // Video ids

  /** Remembers that the current key's video ended (see {@link FinishedVideo}). */
  private void markFinished(FinishedVideo.Outcome outcome, String code, VideoFingerprint content)
      throws Exception {
    long now = now();
    states.done.update(new FinishedVideo(outcome, code, content, now));
    Duration retention = options.finishedRetention();
    if (!retention.isZero()) {
      retentionTimers.registerProcessingTimeTimer(
          VoidNamespace.INSTANCE, now + retention.toMillis());
    }
  }

  /** The current key's finished-video marker, or null (also when its retention has passed). */
  private FinishedVideo finishedMarker() throws Exception {
    FinishedVideo f = states.done.value();
    if (f != null && expired(f, now())) {
      states.done.clear(); // its timer may not have fired yet
      return null;
    }
    return f;
  }

  private boolean expired(FinishedVideo f, long now) {
    Duration retention = options.finishedRetention();
    return !retention.isZero() && now - f.finishedAtMillis() >= retention.toMillis();
  }

  /** The 1-based position of a queued video. */
  private int queuePosition(long arrival, String id) {
    return queue.headSet(new Queued(arrival, id)).size() + 1;
  }

  /**
   * Rejects a storyboard whose id is already in use: {@link RejectionCode#DUPLICATE_VIDEO_ID} for
   * the same content, {@link RejectionCode#VIDEO_ID_CONFLICT} for another one. The video in use is
   * not touched.
   */
  private void rejectRepeated(Storyboard sb, boolean sameContent, String state) {
    String id = sb.videoId();
    String message =
        sameContent
            ? "videoId '"
                + id
                + "' is already "
                + state
                + " with the same content; a video is generated once, and its one outcome on"
                + " the videos topic (VideoReady or VideoFailed, under this id) answers this"
                + " storyboard too"
            : "videoId '"
                + id
                + "' is already "
                + state
                + " with different content; a video id names one video and a finished video is"
                + " never replaced: give this storyboard another videoId, or leave videoId out to"
                + " have one derived from its content";
    reject(
        sb,
        sameContent ? RejectionCode.DUPLICATE_VIDEO_ID : RejectionCode.VIDEO_ID_CONFLICT,
        "videoId",
        message);
  }

  /** Emits a rejection of {@code sb}, traced to its record like a validation rejection. */
  private void reject(Storyboard sb, RejectionCode code, String field, String message) {
    StoryboardOrigin origin = sb.origin();
    Rejection r =
        new Rejection(
            code,
            field,
            message,
            sb.videoId(),
            origin == null ? 0 : origin.videoIndex(),
            origin == null
                ? Payload.of(StoryboardJson.write(sb), FALLBACK_PAYLOAD_BYTES)
                : origin.payload(),
            origin == null ? null : origin.source());
    LOG.info("Rejected storyboard from {}: {}", r.source(), r.summary());
    output.collect(REJECTED, new StreamRecord<>(r));
    storyboardsRejected.inc();
  }

  /** Forgets finished videos when their retention has passed. */
  private final class Retention implements Triggerable<String, VoidNamespace> {
    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
      // Only processing-time timers are registered.
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
      FinishedVideo f = states.done.value();
      if (f == null) {
        return;
      }
      if (expired(f, timer.getTimestamp())) {
        states.done.clear();
      } else if (!options.finishedRetention().isZero()) {
        // finished again since, or the retention was made longer after a restore
        retentionTimers.registerProcessingTimeTimer(
            VoidNamespace.INSTANCE, f.finishedAtMillis() + options.finishedRetention().toMillis());
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Progress and metrics

  private VideoProgress progress(String id, Live v) {
    GenerationState s = v.state;
    WorkPlan plan = generator.plan(s);
    WorkUnit u = plan.unit(s.unit());
    int segments = s.request().segments();
    VideoProgress.Status status =
        switch (u.kind()) {
          case DONE -> VideoProgress.Status.DONE;
          case DECODE -> VideoProgress.Status.DECODING;
          default -> VideoProgress.Status.GENERATING;
        };
    long remaining = plan.total() - s.unit();
    double eta =
        u.kind() == WorkUnit.Kind.DONE
            ? 0
            : v.units == 0 ? -1 : remaining * (v.nanos / (double) v.units) / 1e9;
    return new VideoProgress(
        id,
        status,
        0,
        u.step(),
        s.request().steps(),
        u.kind() == WorkUnit.Kind.DONE ? segments - 1 : u.segment(),
        segments,
        s.unit(),
        plan.total(),
        eta,
        now());
  }

  private VideoProgress queuedProgress(String id, VideoMeta meta, int position) {
    return new VideoProgress(
        id,
        VideoProgress.Status.QUEUED,
        position,
        0,
        meta.request().steps(),
        0,
        meta.request().segments(),
        0,
        plan(meta).total(),
        -1,
        now());
  }

  private WorkPlan plan(VideoMeta meta) {
    return new WorkPlan(config, meta.request().segments(), meta.request().steps());
  }

  private void emitProgress(VideoProgress p) {
    output.collect(PROGRESS, new StreamRecord<>(p));
  }

  private void recordSlice(long sliceStartNanos) {
    sliceLatencyMs.update((System.nanoTime() - sliceStartNanos) / 1_000_000);
  }

  private void registerMetrics(MetricGroup g) {
    g.gauge(METRIC_VIDEOS_ACTIVE, (Gauge<Integer>) () -> gaugeActive);
    g.gauge(METRIC_VIDEOS_QUEUED, (Gauge<Integer>) () -> gaugeQueued);
    g.gauge(METRIC_OLDEST_ACTIVE_STEP, (Gauge<Integer>) () -> gaugeOldestStep);
    g.gauge(METRIC_OLDEST_ACTIVE_SEGMENT, (Gauge<Integer>) () -> gaugeOldestSegment);
    g.gauge(METRIC_SECONDS_PER_DENOISING_STEP, (Gauge<Double>) () -> gaugeSecondsPerStep);
    unitsPerSecond = g.meter(METRIC_UNITS_PER_SECOND, new MeterView(60));
    sliceLatencyMs =
        g.histogram(METRIC_SLICE_LATENCY_MS, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    segmentsDecoded = g.counter(METRIC_SEGMENTS_DECODED);
    videosFinished = g.counter(METRIC_VIDEOS_FINISHED);
    videosFailed = g.counter(METRIC_VIDEOS_FAILED);
    storyboardsRejected = g.counter(METRIC_STORYBOARDS_REJECTED);
  }

  private void updateGauges() {
    gaugeActive = active.size();
    gaugeQueued = queue.size();
    Live oldest = null;
    for (String id : active) {
      Live v = live.get(id);
      if (oldest == null || v.meta.arrival() < oldest.meta.arrival()) {
        oldest = v;
      }
    }
    if (oldest == null) {
      gaugeOldestStep = -1;
      gaugeOldestSegment = -1;
    } else {
      WorkUnit u = generator.next(oldest.state);
      gaugeOldestStep = u.step();
      gaugeOldestSegment = u.segment();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private long now() {
    return getProcessingTimeService().getCurrentProcessingTime();
  }

  /**
   * The GPU of this subtask from Flink's external resource {@value #GPU_RESOURCE} (its "index"
   * property); with several, subtasks sharing a task manager spread over them. -1 without one.
   */
  private int gpuIndex() {
    Set<ExternalResourceInfo> infos = getRuntimeContext().getExternalResourceInfos(GPU_RESOURCE);
    List<Integer> indices =
        infos.stream()
            .map(i -> i.getProperty("index"))
            .flatMap(Optional::stream)
            .map(String::trim)
            .map(Integer::parseInt)
            .sorted()
            .collect(Collectors.toList());
    if (indices.isEmpty()) {
      return -1;
    }
    int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    int gpu = indices.get(subtask % indices.size());
    LOG.info("Subtask {} uses GPU {} of {} declared as '{}'", subtask, gpu, indices, GPU_RESOURCE);
    return gpu;
  }

  private static String describe(Throwable e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /** A queued video: ordered by arrival, then id. */
  private record Queued(long arrival, String videoId) {
    static final Comparator<Queued> ORDER =
        Comparator.comparingLong(Queued::arrival).thenComparing(Queued::videoId);
  }

  /**
   * A video found in state on restore, with its restore mark (null before poison detection) and
   * cursor (-1 without one): generating ones first, then by arrival.
   */
  record Restored(String videoId, VideoMeta meta, Long timerAt, RestoreMark mark, long cursor) {
    static final Comparator<Restored> ORDER =
        Comparator.comparing((Restored r) -> r.meta().status() != VideoMeta.Status.ACTIVE)
            .thenComparingLong(r -> r.meta().arrival())
            .thenComparing(Restored::videoId);
  }

  /** A generating video in memory: its state mirror and what this subtask measured of it. */
  private final class Live {
    final VideoMeta meta;
    GenerationState state;
    long units;
    long nanos;
    long lastProgressAt;
    long stepNanos;
    boolean stepFromItsStart;
    long peakStateBytes;

    Live(VideoMeta meta, GenerationState state) {
      this.meta = meta;
      this.state = state;
      this.lastProgressAt = Long.MIN_VALUE / 2;
    }

    /** The video's cursor. */
    long unit() {
      return state.unit();
    }

    void account(WorkUnit unit, long elapsedNanos) {
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
        gaugeSecondsPerStep = stepNanos / 1e9;
        stepFromItsStart = false;
      }
    }
  }
}
