package org.tttvideo.operators.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tttvideo.operators.generation.testutils.GenerationFixtures.TINY;
import static org.tttvideo.operators.generation.testutils.GenerationFixtures.storyboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tttvideo.storyboard.Storyboard;

/**
 * Back pressure in a real task, which the harness cannot show: there processing-time timers are
 * delivered as mails of the operator's priority, and a storyboard that finds the queue full yields
 * to them. Six storyboards arrive at once at a subtask that generates one video and queues one:
 * each waits in its input until a place frees, none is rejected, the queue never holds a second
 * video, and all six are generated. Were the slice timers not run while a storyboard waits, the job
 * would hang (the test's timeout).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GenerationBackPressureITCase {
  private static final int VIDEOS = 6;

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(1)
              .build());

  /** Slows each unit a little, so that a video takes longer than the arrival of the others. */
  record SlowUnits(long millis) implements UnitObserver {
    @Override
    public void afterUnit(String videoId, long unitsDone) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void storyboardsBeyondTheQueueWaitInTheirInputAndAllAreGenerated() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    List<Storyboard> input = new ArrayList<>();
    for (int i = 0; i < VIDEOS; i++) {
      input.add(storyboard("bp-" + i, 2, 2, i));
    }
    GenerationOperatorOptions options =
        new GenerationOperatorOptions(Duration.ofMillis(5), 1, Duration.ZERO, new SlowUnits(2))
            .withMaxQueuedVideos(1)
            .withQueueFullTimeout(Duration.ofMinutes(10));
    SingleOutputStreamOperator<DecodedSegment> generated =
        env.fromData(input)
            .keyBy(Storyboard::videoId, Types.STRING)
            .transform(
                "generate",
                TypeInformation.of(DecodedSegment.class),
                new GenerationOperator(TINY, options));
    DataStream<String> events =
        generated
            .map(s -> "segment " + s.videoId() + " " + s.segmentIndex())
            .union(
                generated
                    .getSideOutput(GenerationOperator.PROGRESS)
                    .map(
                        p ->
                            "progress " + p.videoId() + " " + p.status() + " " + p.queuePosition()),
                generated
                    .getSideOutput(GenerationOperator.REJECTED)
                    .map(r -> "rejected " + r.videoId() + " " + r.code()),
                generated
                    .getSideOutput(GenerationOperator.FAILED)
                    .map(f -> "failed " + f.videoId() + " " + f.code()));
    List<String> out = new ArrayList<>();
    try (CloseableIterator<String> it = events.executeAndCollect("back pressure")) {
      it.forEachRemaining(out::add);
    }

    assertThat(out).noneMatch(e -> e.startsWith("rejected") || e.startsWith("failed"));
    for (int i = 0; i < VIDEOS; i++) {
      String id = "bp-" + i;
      assertThat(out).as(id).contains("segment " + id + " 0", "segment " + id + " 1");
      assertThat(out).as(id).contains("progress " + id + " DONE 0");
    }
    assertThat(out)
        .filteredOn(e -> e.contains(" QUEUED "))
        .as("no video was ever queued behind another")
        .allMatch(e -> e.endsWith(" QUEUED 1"))
        .hasSizeGreaterThanOrEqualTo(VIDEOS - 1);
  }
}
