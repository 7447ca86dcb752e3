package org.tttvideo.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tttvideo.connectors.kafka.VideoOutcome;
import org.tttvideo.jobs.testutils.EmbeddedKafkaExtension;
import org.tttvideo.jobs.testutils.JobRuns;
import org.tttvideo.jobs.testutils.JobTopics;
import org.tttvideo.jobs.testutils.SmallestVideoModel;
import org.tttvideo.jobs.testutils.TestStoryboards;
import org.tttvideo.model.generate.WorkPlan;
import org.tttvideo.operators.generation.UnitObserver;

/**
 * A task failure in the middle of generation: the same storyboards run once without a failure and
 * once with a {@link UnitObserver} that throws once, after a checkpoint holding generation state
 * has completed. The job restarts from that checkpoint, and for a {@code read_committed} reader
 * there is still exactly one {@code VideoReady} per video, whose MP4 has the same SHA-256 as the
 * run without the failure.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class GenerationJobFailureITCase {
  private static final int PARTITIONS = 2;
  private static final Duration WAIT = Duration.ofSeconds(180);
  private static final int VIDEOS = 3;
  private static final int SEGMENTS = 3;
  private static final int STEPS = 3;

  /** Whether the observer may fail the task (set once a checkpoint with generation completed). */
  static final AtomicBoolean ARMED = new AtomicBoolean();

  /** Whether it has (once per test JVM run of a job). */
  static final AtomicBoolean FIRED = new AtomicBoolean();

  /** Wall-clock time of the first unit of the run. */
  static final AtomicLong FIRST_UNIT_MILLIS = new AtomicLong();

  /** What the observer failed on. */
  static final AtomicReference<String> FAILED_AT = new AtomicReference<>();

  /**
   * Slows each unit down so that checkpoints fall inside the generation, and once armed throws
   * once, after {@code afterUnits} units of a video: a task failure, not a video failure.
   */
  record FailOnce(long afterUnits, long sleepMillis) implements UnitObserver {
    @Override
    public void afterUnit(String videoId, long unitsDone) {
      FIRST_UNIT_MILLIS.compareAndSet(0, System.currentTimeMillis());
      try {
        Thread.sleep(sleepMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (ARMED.get() && unitsDone >= afterUnits && FIRED.compareAndSet(false, true)) {
        FAILED_AT.set(videoId + " after unit " + unitsDone);
        throw new IllegalStateException(
            "injected task failure after unit " + unitsDone + " of " + videoId);
      }
    }
  }

  @RegisterExtension static final MiniClusterExtension FLINK = JobRuns.miniCluster();

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @TempDir Path dir;

  private static List<byte[]> storyboards() {
    List<byte[]> values = new ArrayList<>();
    for (int v = 0; v < VIDEOS; v++) {
      values.add(TestStoryboards.storyboard("restart-" + v, 100 + v, SEGMENTS, STEPS));
    }
    return values;
  }

  @Test
  void aTaskFailureMidGenerationRestartsFromTheCheckpointToTheSameBytesOnce(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    long units = new WorkPlan(SmallestVideoModel.config(), SEGMENTS, STEPS).total();
    FailOnce observer = new FailOnce(units / 3, 10);

    // 1. the reference run, without a failure
    Map<String, String> reference = run("reference", observer, null);
    assertThat(reference).hasSize(VIDEOS);
    assertThat(FIRED).isFalse();

    // 2. the same storyboards with one task failure after a checkpoint inside the generation
    Map<String, String> restarted = run("failure", observer, cluster);
    assertThat(FIRED).as("the observer failed the task").isTrue();
    assertThat(restarted).isEqualTo(reference);
  }

  /**
   * Runs the job on fresh topics and returns the SHA-256 of each video's MP4, after checking that
   * each video has exactly one VideoReady and that the record's hash is the file's. With a cluster,
   * arms the failure once a checkpoint taken after the first unit has completed, and checks that
   * the job restored a checkpoint.
   */
  private Map<String, String> run(String name, FailOnce observer, MiniCluster cluster)
      throws Exception {
    ARMED.set(false);
    FIRED.set(false);
    FIRST_UNIT_MILLIS.set(0);
    JobTopics t = JobTopics.create(KAFKA.broker(), name, PARTITIONS);
    JobRuns.publish(KAFKA.broker(), t.storyboards(), storyboards());
    Path out = dir.resolve(name);
    JobClient job =
        JobRuns.job(
                t.options(
                    KAFKA.broker(),
                    out.toUri().toString(),
                    Map.of("checkpoint.interval", "300 ms")),
                observer)
            .executeAsync();
    try {
      if (cluster != null) {
        JobID id = job.getJobID();
        JobRuns.await(
            "a completed checkpoint triggered after the first unit",
            WAIT,
            () -> {
              long first = FIRST_UNIT_MILLIS.get();
              CompletedCheckpointStats latest =
                  stats(cluster, id).getHistory().getLatestCompletedCheckpoint();
              return first > 0 && latest != null && latest.getTriggerTimestamp() > first;
            });
        ARMED.set(true);
        JobRuns.await("the injected failure", WAIT, FIRED::get);
      }

      // exactly one VideoReady per video for a read_committed reader; the settle time would
      // catch a second one
      List<ConsumerRecord<byte[], byte[]>> records =
          KAFKA.broker().readAll(t.partitions(t.videos()), VIDEOS, WAIT, Duration.ofSeconds(3));
      List<VideoOutcome> outcomes = JobRuns.outcomes(records, t.videos());
      assertThat(outcomes).as(name).hasSize(VIDEOS).allMatch(VideoOutcome::isReady);
      Map<String, String> sha = new TreeMap<>();
      for (VideoOutcome o : outcomes) {
        assertThat(JobRuns.sha256(JobRuns.file(o.ready().uri()))).isEqualTo(o.ready().sha256());
        assertThat(sha.put(o.videoId(), o.ready().sha256()))
            .as("one record for " + o.videoId())
            .isNull();
      }

      if (cluster != null) {
        CheckpointStatsSnapshot s = stats(cluster, job.getJobID());
        assertThat(s.getCounts().getNumberOfRestoredCheckpoints())
            .as("restored from a checkpoint after the failure at %s", FAILED_AT.get())
            .isGreaterThanOrEqualTo(1);
        assertThat(s.getLatestRestoredCheckpoint().getRestoreTimestamp())
            .isGreaterThan(FIRST_UNIT_MILLIS.get());
        assertThat(s.getLatestRestoredCheckpoint().getStateSize())
            .as("the restored checkpoint holds generation state")
            .isPositive();
      }
      return sha;
    } finally {
      job.cancel().get(60, TimeUnit.SECONDS);
    }
  }

  private static CheckpointStatsSnapshot stats(MiniCluster cluster, JobID id) {
    try {
      return cluster.getExecutionGraph(id).get(30, TimeUnit.SECONDS).getCheckpointStatsSnapshot();
    } catch (Exception e) {
      throw new IllegalStateException("no execution graph of job " + id, e);
    }
  }
}
