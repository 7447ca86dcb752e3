package org.tttvideo.operators.assembly;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tttvideo.connectors.kafka.VideoOutcome;
import org.tttvideo.connectors.video.Frames;
import org.tttvideo.connectors.video.Mp4Encoder;
import org.tttvideo.connectors.video.Mp4EncoderOptions;
import org.tttvideo.connectors.video.StoredVideo;
import org.tttvideo.connectors.video.VideoStore;
import org.tttvideo.operators.generation.DecodedSegment;
import org.tttvideo.operators.generation.GenerationOperator;
import org.tttvideo.video.VideoFailed;
import org.tttvideo.video.VideoReady;

/**
 * Collects the decoded segments of each video, and when all of them are there encodes the MP4,
 * stores it through {@link VideoStore} as {@code <outputDir>/<videoId>.mp4} (temporary file, then
 * an atomic rename) and emits a {@link VideoReady}. Keyed by video id, fed by the generation
 * operator without a second shuffle:
 *
 * <pre>{@code
 * SingleOutputStreamOperator<DecodedSegment> decoded = storyboards.keyBy(...).transform(...);
 * KeyedStream<DecodedSegment, String> segments =
 *     DataStreamUtils.reinterpretAsKeyedStream(decoded, DecodedSegment::videoId, Types.STRING);
 * KeyedStream<VideoFailed, String> failed = DataStreamUtils.reinterpretAsKeyedStream(
 *     decoded.getSideOutput(GenerationOperator.FAILED), VideoFailed::videoId, Types.STRING);
 * DataStream<VideoOutcome> outcomes =
 *     segments.connect(failed).process(new VideoAssembler("file:///data/videos"));
 * }</pre>
 *
 * <p><b>Inputs.</b> The first input is the decoded segments, in any order. The second is the
 * generation operator's {@link GenerationOperator#FAILED} records: a video can fail after some of
 * its segments were decoded, and those segments would otherwise stay in state for ever. Every such
 * record is forwarded unchanged, once, as it comes, so every record for {@code videos} leaves
 * through this operator.
 *
 * <p><b>Order between the inputs.</b> The two inputs have no order between them: a failure can come
 * before the segments decoded ahead of it, and the segments of a resubmitted video before the
 * failure of its previous run. A {@link RunLedger} per video id matches each failure to its run
 * ({@link VideoRun}, from the segments) with the failure's {@link VideoFailed#segmentsDone()}: the
 * held segments of a failed run are discarded and its late ones dropped as they come, the segments
 * of a later run are never mixed with those of an earlier one, and a failed run never gives a
 * {@link VideoReady}. The ledger's Javadoc gives the reasoning and the one case it cannot tell.
 *
 * <p><b>State.</b> {@code MapState<Integer, Frames>} {@value #SEGMENTS} by segment index, the
 * segments of the run being collected, with Flink's POJO serializer for {@link Frames} (a record of
 * ints and a {@code byte[]}; never Kryo); and {@code ValueState<RunLedger>} {@value #RUNS} ({@link
 * RunLedgerSerializer}). Both are cleared when the video is stored or has failed and all of its
 * segments have come, so an idle assembler holds no state; it registers no timers. State of a build
 * before the ledger (segments without a ledger) is taken as the segments of the next segment's run,
 * as that build did, or cleared by a failure.
 *
 * <p><b>Failures.</b> When encoding or storing fails (an odd frame size, a full disk, an
 * unreachable object store), the video gets a {@link VideoFailed} with code {@value
 * #ENCODING_FAILED} and its state is cleared; the job keeps running.
 *
 * <p><b>Exactly once.</b> The output goes to a transactional Kafka sink. After a restore, the
 * generation operator decodes again the segments that followed the checkpoint, this operator stores
 * the same bytes under the same name again (the encoder is bit-exact) and the {@link VideoReady} of
 * the aborted transaction is never seen by {@code read_committed} readers.
 */
public class VideoAssembler
    extends KeyedCoProcessFunction<String, DecodedSegment, VideoFailed, VideoOutcome> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(VideoAssembler.class);

  /** {@link VideoFailed#code()} of a video whose MP4 could not be encoded or stored. */
  public static final String ENCODING_FAILED = "ENCODING_FAILED";

  /** The type of the frames in state: a POJO (Flink's {@code PojoSerializer}), never Kryo. */
  static final TypeInformation<Frames> FRAMES = TypeInformation.of(Frames.class);

  /** Name of the state of the held segments, by segment index. */
  static final String SEGMENTS = "segments";

  /** Name of the state of the {@link RunLedger}. */
  static final String RUNS = "runs";

  private final String outputDirUri;
  private final Mp4EncoderOptions encoderOptions;

  private transient MapState<Integer, Frames> segments;
  private transient ValueState<RunLedger> runs;
  private transient VideoStore store;
  private transient Counter segmentsCollected;
  private transient Counter segmentsDropped;
  private transient Counter videosReady;
  private transient Counter videosFailed;
  private transient Counter generationFailuresForwarded;
  private transient volatile long lastStoreMillis;

  /** Stores under {@code outputDirUri} with the default encoder (H.264, libopenh264). */
  public VideoAssembler(String outputDirUri) {
    this(outputDirUri, Mp4EncoderOptions.DEFAULTS);
  }

  /**
   * @param outputDirUri the directory of the videos, as Flink's FileSystem names it ({@code
   *     file:///data/videos}, {@code s3://bucket/videos}); created when missing
   * @param encoderOptions the encoder's settings
   */
  public VideoAssembler(String outputDirUri, Mp4EncoderOptions encoderOptions) {
    Objects.requireNonNull(outputDirUri, "outputDirUri");
    this.encoderOptions = Objects.requireNonNull(encoderOptions, "encoderOptions");
    // fails at graph construction, not on the task manager, for a malformed or blank URI
    new VideoStore(outputDirUri, new Mp4Encoder(encoderOptions), null);
    this.outputDirUri = outputDirUri;
  }

  @Override
  public void open(OpenContext openContext) {
    // The state of a video: the decoded segments of the run being collected, by index, and what
    // is known of its runs.
    segments =
        getRuntimeContext().getMapState(new MapStateDescriptor<>(SEGMENTS, Types.INT, FRAMES));
    runs =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>(RUNS, RunLedgerSerializer.INSTANCE));
    store = new VideoStore(outputDirUri, new Mp4Encoder(encoderOptions), localTempDir());
    var metrics = getRuntimeContext().getMetricGroup();
    segmentsCollected = metrics.counter("segmentsCollected");
    segmentsDropped = metrics.counter("segmentsDropped");
    videosReady = metrics.counter("videosReady");
    videosFailed = metrics.counter("videosEncodingFailed");
    generationFailuresForwarded = metrics.counter("videosGenerationFailed");
    metrics.gauge("lastStoreMillis", () -> lastStoreMillis);
  }

  /** One of Flink's {@code io.tmp.dirs} for the encoder's local file, spread over subtasks. */
  private Path localTempDir() {
    if (getRuntimeContext() instanceof StreamingRuntimeContext context) {
      String[] dirs = context.getTaskManagerRuntimeInfo().getTmpDirectories();
      if (dirs != null && dirs.length > 0) {
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        return Path.of(dirs[subtask % dirs.length]);
      }
    }
    return null; // java.io.tmpdir
  }

  @Override
  public void processElement1(DecodedSegment segment, Context ctx, Collector<VideoOutcome> out)
      throws Exception {
    String videoId = segment.videoId();
    VideoRun run = VideoRun.of(segment);
    int index = segment.segmentIndex();
    RunLedger ledger = runs.value();
    if (ledger == null) {
      Held held = heldWithoutLedger();
      ledger = held == null ? RunLedger.EMPTY : adopt(videoId, run, held);
    }
    RunLedger.SegmentStep step = ledger.onSegment(run, index, segments.contains(index));
    if (step.anomaly() != null) {
      LOG.warn("video {}: out of the generation operator's order: {}", videoId, step.anomaly());
    }
    if (step.discardHeld()) {
      LOG.info(
          "video {}: a later run {} came before the run being collected completed; that run"
              + " failed, its segments are discarded",
          videoId,
          run);
      segments.clear();
    }
    switch (step.action()) {
      case DROP -> {
        segmentsDropped.inc();
        LOG.debug("video {}: segment {} of the failed run {} dropped", videoId, index, run);
      }
      case COLLECT -> {
        segments.put(index, segment.frames());
        segmentsCollected.inc();
      }
      case ASSEMBLE -> {
        segmentsCollected.inc();
        List<Frames> ordered = new ArrayList<>(run.segmentCount());
        for (int i = 0; i < run.segmentCount(); i++) {
          Frames f = i == index ? segment.frames() : segments.get(i);
          if (f == null) {
            throw new IllegalStateException(
                "video " + videoId + ": segment " + i + " of " + run + " counted but not held");
          }
          ordered.add(f);
        }
        out.collect(assemble(segment, ordered, ctx.timerService().currentProcessingTime()));
        segments.clear();
      }
      default -> throw new AssertionError(step.action());
    }
    store(step.ledger());
  }

  @Override
  public void processElement2(VideoFailed failed, Context ctx, Collector<VideoOutcome> out)
      throws Exception {
    int done = failed.segmentsDone();
    RunLedger ledger = runs.value();
    if (ledger == null) {
      ledger = RunLedger.EMPTY;
      Held held = heldWithoutLedger();
      if (held != null) {
        // As the build before the ledger did, the failure clears the held segments. Those of them
        // that are the failed run's have come; the rest of that run's will come as a next run.
        LOG.warn(
            "video {}: {} segments held without a run ledger (state of an older build) cleared"
                + " by its failure",
            failed.videoId(),
            held.count());
        segments.clear();
        done -= held.highest() < done ? held.count() : 0;
      }
    }
    RunLedger.FailureStep step = ledger.onFailure(done);
    if (step.discardHeld()) {
      segments.clear();
    }
    store(step.ledger());
    generationFailuresForwarded.inc();
    out.collect(VideoOutcome.of(failed));
  }

  /** Segments held without a ledger: their count and highest index. */
  private record Held(int count, int highest) {}

  /**
   * The segments held for the current key, which has no ledger: state of a build before the ledger,
   * which held the segments of one run. Null if none are held.
   */
  private Held heldWithoutLedger() throws Exception {
    if (segments.isEmpty()) {
      return null;
    }
    int count = 0;
    int highest = -1;
    for (int i : segments.keys()) {
      count++;
      highest = Math.max(highest, i);
    }
    return new Held(count, highest);
  }

  /**
   * The ledger of segments held without one: they are taken as segments of {@code next}'s run if
   * they fit it, as the build before the ledger did, else cleared.
   */
  private RunLedger adopt(String videoId, VideoRun next, Held held) throws Exception {
    if (held.highest() < next.segmentCount()) {
      LOG.warn(
          "video {}: {} segments held without a run ledger (state of an older build), taken as"
              + " segments of {}",
          videoId,
          held.count(),
          next);
      return new RunLedger(next, held.count(), held.highest(), null, 0, 0, List.of());
    }
    LOG.warn(
        "video {}: {} segments held without a run ledger (state of an older build) do not fit {};"
            + " cleared",
        videoId,
        held.count(),
        next);
    segments.clear();
    return RunLedger.EMPTY;
  }

  private void store(RunLedger ledger) throws Exception {
    if (ledger.isEmpty()) {
      runs.clear();
    } else {
      runs.update(ledger);
    }
  }

  /** Encodes and stores the video; a failure becomes a {@link VideoFailed}. */
  private VideoOutcome assemble(DecodedSegment last, List<Frames> ordered, long now) {
    String videoId = last.videoId();
    long wallTime = Math.max(0, now - last.startedAtMillis());
    long t0 = System.nanoTime();
    try {
      StoredVideo stored = store.store(videoId, ordered);
      lastStoreMillis = (System.nanoTime() - t0) / 1_000_000;
      Frames first = ordered.get(0);
      int frameCount = ordered.stream().mapToInt(Frames::frameCount).sum();
      VideoReady ready =
          new VideoReady(
              videoId,
              stored.uri(),
              stored.sha256(),
              stored.bytes(),
              frameCount / (double) first.fps(),
              first.fps(),
              first.width(),
              first.height(),
              ordered.size(),
              last.seed(),
              last.modelPreset(),
              wallTime);
      videosReady.inc();
      LOG.info(
          "video {} ready: {} segments, {} frames, {} bytes in {} ms, at {}",
          videoId,
          ordered.size(),
          frameCount,
          stored.bytes(),
          lastStoreMillis,
          stored.uri());
      return VideoOutcome.of(ready);
    } catch (IOException | RuntimeException e) {
      videosFailed.inc();
      LOG.error("video {}: encoding or storing the MP4 failed", videoId, e);
      return VideoOutcome.of(
          new VideoFailed(
              videoId,
              ENCODING_FAILED,
              "encoding or storing the MP4 failed: "
                  + (e.getMessage() == null ? e.toString() : e.getMessage()),
              ordered.size(),
              wallTime));
    }
  }
}
