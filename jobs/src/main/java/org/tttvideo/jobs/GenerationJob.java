package org.tttvideo.jobs;

import java.util.Objects;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.tttvideo.connectors.kafka.ParsedRecord;
import org.tttvideo.connectors.kafka.VideoOutcome;
import org.tttvideo.operators.assembly.VideoAssembler;
import org.tttvideo.operators.generation.DecodedSegment;
import org.tttvideo.operators.generation.GenerationOperator;
import org.tttvideo.operators.generation.GenerationOperatorOptions;
import org.tttvideo.operators.generation.GeneratorFactory;
import org.tttvideo.operators.validation.StoryboardValidationFunction;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.storyboard.StoryboardOptions;
import org.tttvideo.video.VideoFailed;
import org.tttvideo.video.VideoProgress;

/**
 * The generation job: storyboards in, MP4 files and one {@code videos} record per storyboard out.
 *
 * <pre>
 * storyboards (source) -> validate --REJECTED--> storyboards.rejected (sink, exactly once)
 *                            |                    ^
 *                      keyBy(videoId)             |
 *                            |                    |
 *                         generate --REJECTED-----/ (video id in use)
 *                         |      \--PROGRESS--> video-progress (sink, at least once)
 *                         |      \--FAILED----\
 *            decoded segments    (forward, reinterpreted as keyed by videoId: no second shuffle)
 *                         |                   |
 *                         assemble (MP4 -> output.dir) -> videos (sink, exactly once)
 * </pre>
 *
 * <p>The sources and sinks are given to the constructor, so tests and benchmarks run the same graph
 * against in-memory endpoints; {@link #fromOptions} wires the Kafka ones ({@link KafkaEndpoints}).
 * Every operator has a fixed uid, so a savepoint restores into a later version of the job.
 *
 * <pre>{@code
 * new GenerationJob(options, source, rejectedSink, videosSink, progressSink,
 *         GenerationJobOptions.generatorFactory(options),
 *         GenerationJobOptions.operatorOptions(options))
 *     .executeAsync();
 * }</pre>
 */
public final class GenerationJob {
  /** The job's name in Flink. */
  public static final String NAME = "ttt-video-generation";

  /** The operators' uids: stable names of their state across versions of the job. */
  public static final String UID_SOURCE = "storyboards-source";

  public static final String UID_VALIDATE = "validate";
  public static final String UID_REJECTED_SINK = "storyboards-rejected-sink";
  public static final String UID_GENERATE = "generate";
  public static final String UID_PROGRESS_SINK = "video-progress-sink";
  public static final String UID_ASSEMBLE = "assemble";
  public static final String UID_VIDEOS_SINK = "videos-sink";

  private final Configuration options;
  private final Source<ParsedRecord, ?, ?> storyboards;
  private final Sink<Rejection> rejected;
  private final Sink<VideoOutcome> videos;
  private final Sink<VideoProgress> progress;
  private final GeneratorFactory generators;
  private final GenerationOperatorOptions generation;

  /**
   * @param options the job's options ({@link GenerationJobOptions}; the Kafka keys are not read
   *     here)
   * @param storyboards the storyboards, one {@link ParsedRecord} per input record
   * @param rejected where rejections go ({@code storyboards.rejected})
   * @param videos where VideoReady and VideoFailed go ({@code videos})
   * @param progress where progress records go ({@code video-progress})
   * @param generators builds the model in each generation subtask
   * @param generation the generation operator's scheduling (and, in tests, a unit observer)
   */
  public GenerationJob(
      Configuration options,
      Source<ParsedRecord, ?, ?> storyboards,
      Sink<Rejection> rejected,
      Sink<VideoOutcome> videos,
      Sink<VideoProgress> progress,
      GeneratorFactory generators,
      GenerationOperatorOptions generation) {
    this.options = Objects.requireNonNull(options, "options");
    GenerationJobOptions.validate(options);
    this.storyboards = Objects.requireNonNull(storyboards, "storyboards");
    this.rejected = Objects.requireNonNull(rejected, "rejected");
    this.videos = Objects.requireNonNull(videos, "videos");
    this.progress = Objects.requireNonNull(progress, "progress");
    this.generators = Objects.requireNonNull(generators, "generators");
    this.generation = Objects.requireNonNull(generation, "generation");
  }

  /** The job reading and writing the Kafka topics named in {@code options}. */
  public static GenerationJob fromOptions(Configuration options) {
    GenerationJobOptions.validate(options);
    return onKafka(
        options,
        GenerationJobOptions.generatorFactory(options),
        GenerationJobOptions.operatorOptions(options));
  }

  /**
   * The job on the Kafka topics named in {@code options}, with another model or operator options
   * than the ones {@code options} name (tests, benchmarks); {@code options} are not validated.
   */
  public static GenerationJob onKafka(
      Configuration options, GeneratorFactory generators, GenerationOperatorOptions generation) {
    StoryboardOptions limits = GenerationJobOptions.storyboardOptions(options);
    return new GenerationJob(
        options,
        KafkaEndpoints.storyboards(options, limits),
        KafkaEndpoints.rejected(options, limits),
        KafkaEndpoints.videos(options),
        KafkaEndpoints.progress(options),
        generators,
        generation);
  }

  /** Adds the job's graph, checkpointing and restart strategy to {@code env}. */
  public void build(StreamExecutionEnvironment env) {
    env.configure(
        GenerationJobOptions.flinkConfiguration(options), GenerationJob.class.getClassLoader());
    env.enableCheckpointing(
        options.get(GenerationJobOptions.CHECKPOINT_INTERVAL).toMillis(),
        CheckpointingMode.EXACTLY_ONCE);

    SingleOutputStreamOperator<Storyboard> valid =
        env.fromSource(storyboards, WatermarkStrategy.noWatermarks(), "storyboards")
            .uid(UID_SOURCE)
            .process(
                new StoryboardValidationFunction(
                    GenerationJobOptions.storyboardOptions(options), null))
            .name("validate")
            .uid(UID_VALIDATE);
    SingleOutputStreamOperator<DecodedSegment> decoded =
        valid
            .keyBy(Storyboard::videoId, Types.STRING)
            .transform(
                "generate",
                TypeInformation.of(DecodedSegment.class),
                new GenerationOperator(generators, generation))
            .uid(UID_GENERATE);
    // Validation rejects what is wrong with one record; generation what clashes with the videos
    // it holds (a video id in use). Both are rejections of storyboards records, in one topic.
    valid
        .getSideOutput(StoryboardValidationFunction.REJECTED)
        .union(decoded.getSideOutput(GenerationOperator.REJECTED))
        .sinkTo(rejected)
        .name("storyboards.rejected")
        .uid(UID_REJECTED_SINK);
    decoded
        .getSideOutput(GenerationOperator.PROGRESS)
        .sinkTo(progress)
        .name("video-progress")
        .uid(UID_PROGRESS_SINK);

    // The generation operator emits a video's records from that video's key context, so its
    // outputs are partitioned exactly as keyBy(videoId) would: no second shuffle of the frames.
    KeyedStream<DecodedSegment, String> segments =
        DataStreamUtils.reinterpretAsKeyedStream(decoded, DecodedSegment::videoId, Types.STRING);
    KeyedStream<VideoFailed, String> failed =
        DataStreamUtils.reinterpretAsKeyedStream(
            decoded.getSideOutput(GenerationOperator.FAILED), VideoFailed::videoId, Types.STRING);
    segments
        .connect(failed)
        .process(
            new VideoAssembler(options.get(GenerationJobOptions.OUTPUT_DIR)),
            TypeInformation.of(VideoOutcome.class))
        .name("assemble")
        .uid(UID_ASSEMBLE)
        .sinkTo(videos)
        .name("videos")
        .uid(UID_VIDEOS_SINK);
  }

  /** Builds the graph in the context's environment and submits it without waiting. */
  public JobClient executeAsync() throws Exception {
    return built().executeAsync(NAME);
  }

  /** Builds the graph in the context's environment and runs it until it ends. */
  public JobExecutionResult execute() throws Exception {
    return built().execute(NAME);
  }

  /** The context's environment with the job's Flink configuration and graph. */
  private StreamExecutionEnvironment built() {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            GenerationJobOptions.flinkConfiguration(options));
    build(env);
    return env;
  }

  /**
   * Runs the job against Kafka; options as {@code --key value} ({@link GenerationJobOptions}), for
   * example {@code --kafka.bootstrap-servers kafka:9092 --output.dir s3://bucket/videos}.
   */
  public static void main(String[] args) throws Exception {
    GenerationJob job = fromOptions(GenerationJobOptions.fromArgs(args));
    job.execute();
  }
}
