package org.tttvideo.jobs;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.util.ParameterTool;
import org.tttvideo.model.compute.ComputeBackends;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.config.ModelPresets;
import org.tttvideo.operators.generation.GenerationOperatorOptions;
import org.tttvideo.operators.generation.GeneratorFactory;
import org.tttvideo.operators.generation.PresetGeneratorFactory;
import org.tttvideo.storyboard.StoryboardOptions;

/**
 * The options of {@link GenerationJob}: typed Flink {@link ConfigOption}s, each with a default and
 * a description. They are read from the command line ({@code --output.dir s3://bucket/videos}) or
 * from any Flink {@link Configuration}; the storyboard limits ({@code storyboard.*}) are {@link
 * StoryboardOptions}'.
 *
 * <pre>{@code
 * Configuration c = GenerationJobOptions.fromArgs(args);   // unknown keys of ours are refused
 * c.get(GenerationJobOptions.MODEL_PRESET);                // "small"
 * GeneratorFactory models = GenerationJobOptions.generatorFactory(c);
 * }</pre>
 */
public final class GenerationJobOptions {
  private GenerationJobOptions() {}

  // ---------------------------------------------------------------- Kafka

  public static final ConfigOption<String> BOOTSTRAP_SERVERS =
      key("kafka.bootstrap-servers")
          .stringType()
          .defaultValue("localhost:9092")
          .withDescription("Kafka bootstrap servers, host:port[,host:port...].");

  public static final ConfigOption<String> GROUP_ID =
      key("kafka.group-id")
          .stringType()
          .defaultValue("ttt-video-generation")
          .withDescription(
              "Consumer group of the storyboards source. Offsets are committed on checkpoints;"
                  + " a new group starts at the earliest offset.");

  public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
      key("kafka.transactional-id-prefix")
          .stringType()
          .defaultValue("ttt-video-generation")
          .withDescription(
              "Prefix of the transactional ids of the exactly-once sinks ('-videos' and"
                  + " '-rejected' are appended). Unique per job on a Kafka cluster.");

  public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
      key("kafka.transaction-timeout")
          .durationType()
          .defaultValue(Duration.ofMinutes(15))
          .withDescription(
              "transaction.timeout.ms of the exactly-once sinks. Must be at most the broker's"
                  + " transaction.max.timeout.ms (15 min by default), and at least twice"
                  + " checkpoint.interval + checkpoint.timeout (checked at start-up): the"
                  + " transaction of a checkpoint is committed only after the next checkpoint"
                  + " completes, or after a restore. An outage longer than this timeout lets the"
                  + " broker abort the transaction of the last checkpoint before the outage, and"
                  + " its records are lost (the connector logs it); raise both this and the"
                  + " broker's limit to ride out longer outages.");

  public static final ConfigOption<String> TOPIC_STORYBOARDS =
      key("topics.storyboards")
          .stringType()
          .defaultValue("storyboards")
          .withDescription("Topic the storyboards are read from.");

  public static final ConfigOption<String> TOPIC_VIDEOS =
      key("topics.videos")
          .stringType()
          .defaultValue("videos")
          .withDescription(
              "Topic of VideoReady and VideoFailed records, written exactly once (read it with"
                  + " isolation.level=read_committed).");

  public static final ConfigOption<String> TOPIC_PROGRESS =
      key("topics.video-progress")
          .stringType()
          .defaultValue("video-progress")
          .withDescription("Topic of VideoProgress records, written at least once.");

  public static final ConfigOption<String> TOPIC_REJECTED =
      key("topics.storyboards-rejected")
          .stringType()
          .defaultValue("storyboards.rejected")
          .withDescription("Topic of rejected storyboards, written exactly once.");

  // ---------------------------------------------------------------- model and output

  public static final ConfigOption<String> MODEL_PRESET =
      key("model.preset")
          .stringType()
          .defaultValue("small")
          .withDescription(
              "Model preset: "
                  + String.join(", ", ModelPresets.RUNNABLE)
                  + " (cogvideox-5b-ttt is refused: its checkpoint cannot be loaded yet).");

  public static final ConfigOption<String> MODEL_WEIGHTS_PATH =
      key("model.weights-path")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Safetensors file of the preset's weights, on every task manager. Without it the"
                  + " preset's trained weights bundled with the build are used (toon), and for a"
                  + " preset with none they are drawn from model.init-seed and the videos are"
                  + " noise (logged loudly).");

  public static final ConfigOption<Long> MODEL_INIT_SEED =
      key("model.init-seed")
          .longType()
          .defaultValue(0L)
          .withDescription(
              "Seed of the untrained weights when model.weights-path is not set and the preset has"
                  + " no bundled weights.");

  public static final ConfigOption<String> BACKEND =
      key("model.backend")
          .stringType()
          .defaultValue(ComputeBackends.DEFAULT)
          .withDescription("Compute backend: " + String.join(", ", ComputeBackends.names()) + ".");

  public static final ConfigOption<String> OUTPUT_DIR =
      key("output.dir")
          .stringType()
          .defaultValue("file:///tmp/ttt-video/videos")
          .withDescription(
              "Directory URI of the MP4 files, as Flink's FileSystem names it (file:///...,"
                  + " s3://..., hdfs://...). A video is written as <output.dir>/<videoId>.mp4.");

  // ---------------------------------------------------------------- generation

  public static final ConfigOption<Duration> TIME_SLICE =
      key("generation.time-slice")
          .durationType()
          .defaultValue(GenerationOperatorOptions.DEFAULT_TIME_SLICE)
          .withDescription(
              "How long the generation operator runs work units of one video before it yields to"
                  + " checkpoints and other videos.");

  public static final ConfigOption<Integer> MAX_ACTIVE_VIDEOS =
      key("generation.max-active-videos")
          .intType()
          .defaultValue(GenerationOperatorOptions.DEFAULT_MAX_ACTIVE_VIDEOS)
          .withDescription(
              "Videos generated at once per subtask; the others wait in state in arrival order.");

  public static final ConfigOption<Duration> PROGRESS_INTERVAL =
      key("generation.progress-interval")
          .durationType()
          .defaultValue(GenerationOperatorOptions.DEFAULT_PROGRESS_INTERVAL)
          .withDescription("Least time between two progress records of a video.");

  public static final ConfigOption<Integer> MAX_QUEUED_VIDEOS =
      key("generation.max-queued-videos")
          .intType()
          .defaultValue(GenerationOperatorOptions.DEFAULT_MAX_QUEUED_VIDEOS)
          .withDescription(
              "Videos waiting in state per subtask behind the generating ones. A storyboard beyond"
                  + " it waits in its input (back pressure on the source) for a place, for at most"
                  + " generation.queue-full-timeout.");

  public static final ConfigOption<Duration> QUEUE_FULL_TIMEOUT =
      key("generation.queue-full-timeout")
          .durationType()
          .defaultValue(GenerationOperatorOptions.DEFAULT_QUEUE_FULL_TIMEOUT)
          .withDescription(
              "How long a storyboard that finds the queue full waits for a place before it is"
                  + " rejected with QUEUE_FULL (then storyboards that find it full are rejected at"
                  + " once until it moves); 0 rejects at once. Checkpoints wait behind a waiting"
                  + " storyboard, so it must stay well below the checkpoint timeout and, with"
                  + " checkpoint.interval, below kafka.transaction-timeout. Not set, it is 2 min or"
                  + " half of kafka.transaction-timeout minus checkpoint.interval if that is"
                  + " shorter.");

  public static final ConfigOption<Integer> MAX_RESTORES_WITHOUT_PROGRESS =
      key("generation.max-restores-without-progress")
          .intType()
          .defaultValue(GenerationOperatorOptions.DEFAULT_MAX_RESTORES_WITHOUT_PROGRESS)
          .withDescription(
              "A video generating through this many task failures in a row, without a completed"
                  + " checkpoint seeing it progress in between, is failed with POISON_VIDEO"
                  + " instead of resumed, so that the job goes on; 0 turns this off. The restore"
                  + " after the last of these failures fails the video, so the restart strategy"
                  + " must allow this many restarts (restart.attempts). Only task attempts that"
                  + " ran the video and died count: an attempt journal under the checkpoint"
                  + " directory tells them from restarts that failed on a lost TaskManager or were"
                  + " cancelled (without a checkpoint directory, every attempt counts).");

  public static final ConfigOption<Duration> FINISHED_RETENTION =
      key("generation.finished-retention")
          .durationType()
          .defaultValue(GenerationOperatorOptions.DEFAULT_FINISHED_RETENTION)
          .withDescription(
              "How long a finished (or failed) video's id stays taken, so that a storyboard"
                  + " reusing it is rejected (DUPLICATE_VIDEO_ID, VIDEO_ID_CONFLICT). 0 keeps it"
                  + " for ever: an id is never generated twice, at about 100-200 bytes of state"
                  + " per id. After a positive retention the id is free again, and a new video"
                  + " under it replaces the old MP4.");

  // ---------------------------------------------------------------- fault tolerance

  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      key("checkpoint.interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(10))
          .withDescription(
              "Checkpoint interval. Videos and rejections become visible to read_committed"
                  + " readers when the checkpoint after them completes.");

  public static final ConfigOption<Duration> CHECKPOINT_TIMEOUT =
      key("checkpoint.timeout")
          .durationType()
          .defaultValue(Duration.ofMinutes(5))
          .withDescription(
              "A checkpoint that takes longer is aborted (and counts against"
                  + " checkpoint.tolerable-failures). checkpoint.interval + checkpoint.timeout must"
                  + " be at most half of kafka.transaction-timeout.");

  public static final ConfigOption<Integer> CHECKPOINT_TOLERABLE_FAILURES =
      key("checkpoint.tolerable-failures")
          .intType()
          .defaultValue(5)
          .withDescription(
              "Failed or timed-out checkpoints in a row that the job tolerates before it fails"
                  + " over (and restores the last completed checkpoint).");

  public static final ConfigOption<String> CHECKPOINT_DIR =
      key("checkpoint.dir")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Directory URI of the checkpoints (file:///..., s3://..., hdfs://...), kept on"
                  + " cancellation so a later run can resume from them. Without it, the cluster's"
                  + " execution.checkpointing.dir is used; a cluster without one keeps checkpoints"
                  + " in the JobManager's memory, which is limited to 5 MiB: too small for one"
                  + " video of the small preset (about 13 MB at 21 segments).");

  public static final ConfigOption<Integer> RESTART_ATTEMPTS =
      key("restart.attempts")
          .intType()
          .defaultValue(Integer.MAX_VALUE)
          .withDescription(
              "Restarts after task failures before the job fails, counted since the last"
                  + " reset (restart.reset-after without a failure); 0 for none, default"
                  + " unlimited. The delay before each restart grows from restart.delay to"
                  + " restart.max-delay (exponential-delay strategy). A failing video never fails"
                  + " the job: it gets a VideoFailed record.");

  public static final ConfigOption<Duration> RESTART_DELAY =
      key("restart.delay")
          .durationType()
          .defaultValue(Duration.ofSeconds(1))
          .withDescription("Delay before the first restart; it doubles with each failure.");

  public static final ConfigOption<Duration> RESTART_MAX_DELAY =
      key("restart.max-delay")
          .durationType()
          .defaultValue(Duration.ofMinutes(1))
          .withDescription("Longest delay before a restart.");

  public static final ConfigOption<Duration> RESTART_RESET_AFTER =
      key("restart.reset-after")
          .durationType()
          .defaultValue(Duration.ofMinutes(10))
          .withDescription(
              "After this long without a failure, the delay and the attempt count start over.");

  /** Every option, in documentation order. */
  public static final List<ConfigOption<?>> ALL =
      List.of(
          BOOTSTRAP_SERVERS,
          GROUP_ID,
          TRANSACTIONAL_ID_PREFIX,
          TRANSACTION_TIMEOUT,
          TOPIC_STORYBOARDS,
          TOPIC_VIDEOS,
          TOPIC_PROGRESS,
          TOPIC_REJECTED,
          MODEL_PRESET,
          MODEL_WEIGHTS_PATH,
          MODEL_INIT_SEED,
          BACKEND,
          OUTPUT_DIR,
          TIME_SLICE,
          MAX_ACTIVE_VIDEOS,
          PROGRESS_INTERVAL,
          MAX_QUEUED_VIDEOS,
          QUEUE_FULL_TIMEOUT,
          MAX_RESTORES_WITHOUT_PROGRESS,
          FINISHED_RETENTION,
          CHECKPOINT_INTERVAL,
          CHECKPOINT_TIMEOUT,
          CHECKPOINT_TOLERABLE_FAILURES,
          CHECKPOINT_DIR,
          RESTART_ATTEMPTS,
          RESTART_DELAY,
          RESTART_MAX_DELAY,
          RESTART_RESET_AFTER);

  /** Key prefixes that belong to these options: an unknown key under them is a typo. */
  static final List<String> PREFIXES =
      List.of("kafka.", "topics.", "model.", "output.", "generation.", "checkpoint.", "restart.");

  private static final String STORYBOARD_PREFIX = "storyboard.";

  /**
   * The options given as {@code --key value} arguments, checked.
   *
   * @throws IllegalArgumentException for an unknown key under one of our prefixes, naming the known
   *     keys, or a value {@link #validate} refuses
   */
  public static Configuration fromArgs(String[] args) {
    return fromMap(ParameterTool.fromArgs(args).toMap());
  }

  /** The options in a key-value map, checked; see {@link #fromArgs}. */
  public static Configuration fromMap(Map<String, String> values) {
    List<String> known = ALL.stream().map(ConfigOption::key).toList();
    for (String k : values.keySet()) {
      if (PREFIXES.stream().anyMatch(k::startsWith) && !known.contains(k)) {
        throw new IllegalArgumentException(
            "unknown option '" + k + "'; the options are " + String.join(", ", known));
      }
    }
    Configuration c = Configuration.fromMap(values);
    validate(c);
    return c;
  }

  /**
   * Checks values that the types alone do not: the preset and backend exist, sizes and durations
   * are positive, and the transaction timeout exceeds the checkpoint interval.
   *
   * @throws IllegalArgumentException naming the option, the value and what is allowed
   */
  public static void validate(ReadableConfig c) {
    GenerationJobOptionsValidation.validate(c);
  }

  /** The storyboard limits: the {@code storyboard.*} keys, through {@link StoryboardOptions}. */
  public static StoryboardOptions storyboardOptions(Configuration c) {
    Map<String, String> storyboard =
        c.toMap().entrySet().stream()
            .filter(e -> e.getKey().startsWith(STORYBOARD_PREFIX))
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey, Map.Entry::getValue, (a, b) -> b, TreeMap::new));
    // A storyboard that names no steps or guidance is sampled as the preset was sized for (the
    // small preset's minute fits its time budget at its own 20 steps, not at the paper's 50),
    // unless the defaults are configured explicitly.
    ModelConfig model = ModelConfig.preset(c.get(MODEL_PRESET));
    storyboard.putIfAbsent(
        STORYBOARD_PREFIX + "default-denoising-steps", Integer.toString(model.steps()));
    storyboard.putIfAbsent(
        STORYBOARD_PREFIX + "default-guidance-scale", Double.toString(model.guidanceScale()));
    return StoryboardOptions.fromMap(storyboard);
  }

  /** The model of every generation subtask: the preset, its weights or seed, and the backend. */
  public static GeneratorFactory generatorFactory(ReadableConfig c) {
    return new PresetGeneratorFactory(
        c.get(MODEL_PRESET),
        c.getOptional(MODEL_WEIGHTS_PATH).orElse(null),
        c.get(BACKEND),
        c.get(MODEL_INIT_SEED));
  }

  /**
   * The wait for a place in a full queue in effect: {@link #QUEUE_FULL_TIMEOUT} when it is set,
   * else its default, shortened to half of what {@link #TRANSACTION_TIMEOUT} leaves after a {@link
   * #CHECKPOINT_INTERVAL} (a job with short transactions keeps working without setting it).
   */
  static Duration queueFullTimeout(ReadableConfig c) {
    Optional<Duration> set = c.getOptional(QUEUE_FULL_TIMEOUT);
    if (set.isPresent()) {
      return set.get();
    }
    Duration room = c.get(TRANSACTION_TIMEOUT).minus(c.get(CHECKPOINT_INTERVAL)).dividedBy(2);
    Duration fallback = QUEUE_FULL_TIMEOUT.defaultValue();
    return room.isNegative() || room.compareTo(fallback) >= 0 ? fallback : room;
  }

  /** The generation operator's scheduling options (no unit observer). */
  public static GenerationOperatorOptions operatorOptions(ReadableConfig c) {
    return new GenerationOperatorOptions(
        c.get(TIME_SLICE),
        c.get(MAX_ACTIVE_VIDEOS),
        c.get(PROGRESS_INTERVAL),
        c.get(MAX_QUEUED_VIDEOS),
        queueFullTimeout(c),
        c.get(MAX_RESTORES_WITHOUT_PROGRESS),
        c.get(FINISHED_RETENTION),
        null);
  }

  /**
   * Flink's own settings derived from these options, under Flink 2.x's keys: exactly-once
   * checkpoints at {@link #CHECKPOINT_INTERVAL} with {@link #CHECKPOINT_TIMEOUT} and {@link
   * #CHECKPOINT_TOLERABLE_FAILURES}, retained on cancellation in {@link #CHECKPOINT_DIR} when it is
   * set, and the exponential-delay restart strategy of {@link #RESTART_ATTEMPTS}, {@link
   * #RESTART_DELAY}, {@link #RESTART_MAX_DELAY} and {@link #RESTART_RESET_AFTER} (or none when the
   * attempts are 0).
   */
  public static Configuration flinkConfiguration(ReadableConfig c) {
    Configuration f = new Configuration();
    f.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, c.get(CHECKPOINT_INTERVAL));
    f.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    f.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, c.get(CHECKPOINT_TIMEOUT));
    f.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, c.get(CHECKPOINT_TOLERABLE_FAILURES));
    f.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    c.getOptional(CHECKPOINT_DIR)
        .ifPresent(
            dir -> {
              f.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
              f.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
            });
    int attempts = c.get(RESTART_ATTEMPTS);
    if (attempts == 0) {
      f.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    } else {
      f.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
      f.set(
          RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
          c.get(RESTART_DELAY));
      f.set(
          RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
          c.get(RESTART_MAX_DELAY));
      f.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
      f.set(
          RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
          c.get(RESTART_RESET_AFTER));
      f.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
      f.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, attempts);
    }
    return f;
  }
}
