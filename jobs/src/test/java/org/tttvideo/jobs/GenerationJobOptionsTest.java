package org.tttvideo.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.junit.jupiter.api.Test;
import org.tttvideo.operators.generation.GenerationOperatorOptions;
import org.tttvideo.operators.generation.PresetGeneratorFactory;
import org.tttvideo.storyboard.GenerationSettings;

class GenerationJobOptionsTest {

  @Test
  void everyOptionHasADescriptionAndAllButTheWeightsPathAndCheckpointDirADefault() {
    assertThat(GenerationJobOptions.ALL).hasSize(28);
    for (ConfigOption<?> o : GenerationJobOptions.ALL) {
      assertThat(o.description().toString()).as(o.key()).isNotBlank();
      assertThat(o.hasDefaultValue())
          .as(o.key())
          .isEqualTo(
              o != GenerationJobOptions.MODEL_WEIGHTS_PATH
                  && o != GenerationJobOptions.CHECKPOINT_DIR);
      assertThat(GenerationJobOptions.PREFIXES.stream().anyMatch(o.key()::startsWith))
          .as(o.key())
          .isTrue();
    }
  }

  @Test
  void theDefaultsAreTheDocumentedTopicsAndTheOperatorsDefaults() {
    Configuration c = GenerationJobOptions.fromArgs(new String[0]);
    assertThat(c.get(GenerationJobOptions.TOPIC_STORYBOARDS)).isEqualTo("storyboards");
    assertThat(c.get(GenerationJobOptions.TOPIC_VIDEOS)).isEqualTo("videos");
    assertThat(c.get(GenerationJobOptions.TOPIC_PROGRESS)).isEqualTo("video-progress");
    assertThat(c.get(GenerationJobOptions.TOPIC_REJECTED)).isEqualTo("storyboards.rejected");
    assertThat(GenerationJobOptions.operatorOptions(c))
        .isEqualTo(GenerationOperatorOptions.defaults());
    assertThat(GenerationJobOptions.generatorFactory(c))
        .isEqualTo(new PresetGeneratorFactory("small", null, "vector", 0L));
    // at most the broker's default transaction.max.timeout.ms of 15 minutes, and at least twice
    // a checkpoint interval plus the checkpoint timeout
    assertThat(c.get(GenerationJobOptions.TRANSACTION_TIMEOUT))
        .isLessThanOrEqualTo(Duration.ofMinutes(15))
        .isGreaterThanOrEqualTo(
            c.get(GenerationJobOptions.CHECKPOINT_INTERVAL)
                .plus(c.get(GenerationJobOptions.CHECKPOINT_TIMEOUT))
                .multipliedBy(2));
  }

  @Test
  void argumentsAreReadTypedAndStoryboardKeysGoToStoryboardOptions() {
    Configuration c =
        GenerationJobOptions.fromArgs(
            new String[] {
              "--model.preset", "tiny",
              "--model.weights-path", "/models/tiny.safetensors",
              "--generation.time-slice", "50 ms",
              "--generation.max-active-videos", "3",
              "--generation.finished-retention", "7 d",
              "--generation.max-queued-videos", "10",
              "--generation.queue-full-timeout", "30 s",
              "--generation.max-restores-without-progress", "2",
              "--checkpoint.interval", "2 s",
              "--storyboard.max-segments", "8"
            });
    assertThat(GenerationJobOptions.generatorFactory(c))
        .isEqualTo(new PresetGeneratorFactory("tiny", "/models/tiny.safetensors", "vector", 0L));
    assertThat(GenerationJobOptions.operatorOptions(c))
        .isEqualTo(
            GenerationOperatorOptions.defaults()
                .withTimeSlice(Duration.ofMillis(50))
                .withMaxActiveVideos(3)
                .withFinishedRetention(Duration.ofDays(7))
                .withMaxQueuedVideos(10)
                .withQueueFullTimeout(Duration.ofSeconds(30))
                .withMaxRestoresWithoutProgress(2));
    assertThat(GenerationJobOptions.storyboardOptions(c).maxSegments()).isEqualTo(8);
  }

  @Test
  void storyboardsWithoutStepsAreSampledWithThePresetsStepsUnlessConfigured() {
    Configuration small = GenerationJobOptions.fromArgs(new String[] {"--model.preset", "small"});
    assertThat(GenerationJobOptions.storyboardOptions(small).defaultSettings())
        .isEqualTo(new GenerationSettings(20, 6.0));
    Configuration tiny = GenerationJobOptions.fromArgs(new String[] {"--model.preset", "tiny"});
    assertThat(GenerationJobOptions.storyboardOptions(tiny).defaultDenoisingSteps()).isEqualTo(4);
    Configuration explicit =
        GenerationJobOptions.fromArgs(
            new String[] {"--model.preset", "small", "--storyboard.default-denoising-steps", "50"});
    assertThat(GenerationJobOptions.storyboardOptions(explicit).defaultDenoisingSteps())
        .isEqualTo(50);
  }

  @Test
  void typosInOurKeysAreRefusedNamingTheKnownKeys() {
    assertThatThrownBy(
            () -> GenerationJobOptions.fromArgs(new String[] {"--output.directory", "/x"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown option 'output.directory'; the options are ")
        .hasMessageContaining("output.dir");
    // keys of Flink and others pass through
    assertThat(GenerationJobOptions.fromArgs(new String[] {"--parallelism.default", "4"}))
        .isNotNull();
  }

  @Test
  void valuesThatTheTypesAllowButTheJobDoesNotAreRefused() {
    assertThatThrownBy(() -> GenerationJobOptions.fromMap(Map.of("model.preset", "huge")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model.preset is 'huge'; allowed are tiny, small, toon, cogvideox-5b-ttt");
    assertThatThrownBy(
            () -> GenerationJobOptions.fromMap(Map.of("model.preset", "cogvideox-5b-ttt")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("model.preset is 'cogvideox-5b-ttt', which cannot run: ")
        .hasMessageEndingWith("Presets that run: tiny, small, toon");
    assertThatThrownBy(() -> GenerationJobOptions.fromMap(Map.of("model.backend", "cuda")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model.backend is 'cuda'; allowed are vector, naive, nd4j");
    assertThatThrownBy(
            () -> GenerationJobOptions.fromMap(Map.of("generation.max-active-videos", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("generation.max-active-videos is 0; it must be at least 1");
    assertThatThrownBy(
            () ->
                GenerationJobOptions.fromMap(
                    Map.of("kafka.transaction-timeout", "1 min", "checkpoint.interval", "2 min")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "checkpoint.interval (PT2M) + checkpoint.timeout (PT5M) must be at most half of"
                + " kafka.transaction-timeout (PT1M): a sink's transaction stays open from one"
                + " checkpoint until the next one completes, and the broker aborts it after the"
                + " transaction timeout, which loses its records");
    // Flink's default checkpoint timeout (10 min) against the old default transaction timeout
    assertThatThrownBy(
            () ->
                GenerationJobOptions.fromMap(
                    Map.of("kafka.transaction-timeout", "10 min", "checkpoint.timeout", "10 min")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "checkpoint.interval (PT10S) + checkpoint.timeout (PT10M) must be at most half of"
                + " kafka.transaction-timeout (PT10M)");
    assertThatThrownBy(
            () ->
                GenerationJobOptions.fromMap(
                    Map.of("restart.delay", "2 min", "restart.max-delay", "1 min")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("restart.max-delay (PT1M) must be at least restart.delay (PT2M)");
    assertThatThrownBy(
            () -> GenerationJobOptions.fromMap(Map.of("checkpoint.tolerable-failures", "-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checkpoint.tolerable-failures is -1; it must be 0 or more");
    assertThatThrownBy(
            () -> GenerationJobOptions.fromMap(Map.of("generation.max-queued-videos", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("generation.max-queued-videos is 0; it must be at least 1");
    assertThatThrownBy(
            () -> GenerationJobOptions.fromMap(Map.of("generation.queue-full-timeout", "15 min")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "generation.queue-full-timeout (PT15M) must be 0 or more and, with checkpoint.interval"
                + " (PT10S), shorter than kafka.transaction-timeout (PT15M): a waiting storyboard"
                + " holds back the checkpoint that commits the transactions");
    assertThatThrownBy(
            () ->
                GenerationJobOptions.fromMap(
                    Map.of("generation.max-restores-without-progress", "-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("generation.max-restores-without-progress is -1; it must be 0 (off) or more");
    // not set: shortened to fit a short transaction timeout
    Configuration shortTransactions =
        GenerationJobOptions.fromMap(
            Map.of(
                "kafka.transaction-timeout",
                "2 min",
                "checkpoint.interval",
                "20 s",
                "checkpoint.timeout",
                "30 s"));
    assertThat(GenerationJobOptions.operatorOptions(shortTransactions).queueFullTimeout())
        .isEqualTo(Duration.ofSeconds(50));
    Configuration negative = new Configuration();
    negative.set(GenerationJobOptions.FINISHED_RETENTION, Duration.ofSeconds(-1));
    assertThatThrownBy(() -> GenerationJobOptions.validate(negative))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("generation.finished-retention is PT-1S; it must be 0 (for ever) or positive");
    assertThatThrownBy(() -> GenerationJobOptions.fromMap(Map.of("restart.attempts", "-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("restart.attempts is -1; it must be 0 or more");
  }

  @Test
  void flinkGetsRetainedExactlyOnceCheckpointsAndAnExponentialDelayRestartStrategy() {
    Configuration f =
        GenerationJobOptions.flinkConfiguration(
            GenerationJobOptions.fromMap(
                Map.of(
                    "checkpoint.interval", "3 s",
                    "checkpoint.dir", "file:///var/ttt/checkpoints",
                    "restart.attempts", "5",
                    "restart.delay", "1 s")));
    assertThat(f.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(3));
    assertThat(f.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT)).isEqualTo(Duration.ofMinutes(5));
    assertThat(f.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)).isEqualTo(5);
    assertThat(f.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
        .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    assertThat(f.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
    assertThat(f.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
        .isEqualTo("file:///var/ttt/checkpoints");
    assertThat(f.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
    assertThat(f.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
        .isEqualTo(5);
    assertThat(f.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(f.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(
            f.get(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD))
        .isEqualTo(Duration.ofMinutes(10));
    // by default the job's life is not capped by a number of failures
    Configuration defaults = GenerationJobOptions.flinkConfiguration(new Configuration());
    assertThat(defaults.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
        .isEqualTo(Integer.MAX_VALUE);
    assertThat(defaults.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEmpty();
    Configuration none =
        GenerationJobOptions.flinkConfiguration(
            GenerationJobOptions.fromMap(Map.of("restart.attempts", "0")));
    assertThat(none.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("none");
  }
}
