package org.tttvideo.operators.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.tttvideo.operators.generation.OperatorHarness.failures;
import static org.tttvideo.operators.generation.OperatorHarness.harness;
import static org.tttvideo.operators.generation.OperatorHarness.oneUnitSlices;
import static org.tttvideo.operators.generation.OperatorHarness.progress;
import static org.tttvideo.operators.generation.OperatorHarness.rejections;
import static org.tttvideo.operators.generation.OperatorHarness.runUntilIdle;
import static org.tttvideo.operators.generation.OperatorHarness.segments;
import static org.tttvideo.operators.generation.testutils.GenerationFixtures.TINY;
import static org.tttvideo.operators.generation.testutils.GenerationFixtures.storyboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.tttvideo.operators.generation.testutils.UnitLog;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.RejectionCode;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.video.VideoProgress;

/**
 * The bounded queue: back pressure by yielding to the mailbox, the bounded wait, and the queue
 * positions. The harness delivers processing-time timers directly rather than as mails, so a {@link
 * Clock} mail stands in for the task's timer mails: each run advances processing time by 1 ms (one
 * slice) and posts itself again, and the operator's {@code yield} runs it.
 */
class GenerationOperatorQueueTest {

  /** Advances time one slice per mail while a waiting storyboard yields; records what it saw. */
  private static final class Clock {
    final KeyedOneInputStreamOperatorTestHarness<String, Storyboard, DecodedSegment> h;
    final MailboxExecutor mailbox;
    int ticks;
    long maxVideosInState;
    boolean running;

    Clock(KeyedOneInputStreamOperatorTestHarness<String, Storyboard, DecodedSegment> h) {
      this.h = h;
      GenerationOperator op = (GenerationOperator) h.getOperator();
      this.mailbox =
          op.getContainingTask()
              .getMailboxExecutorFactory()
              .createExecutor(op.getOperatorConfig().getChainIndex());
    }

    /** Makes sure a tick is in the mailbox. */
    void start() {
      if (!running) {
        running = true;
        mailbox.execute(this::tick, "tick");
      }
    }

    private void tick() throws Exception {
      ticks++;
      h.setProcessingTime(h.getProcessingTime() + 1);
      maxVideosInState = Math.max(maxVideosInState, videosInState(h));
      mailbox.execute(this::tick, "tick");
    }
  }

  /** Videos with a meta entry: generating or queued. */
  private static long videosInState(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h)
      throws Exception {
    try (Stream<Object> keys =
        h.getOperator().getKeyedStateBackend().getKeys(VideoStates.META, VoidNamespace.INSTANCE)) {
      return keys.count();
    }
  }

  @Test
  void aBacklogWaitsInItsInputNotInStateAndEveryVideoFinishes() throws Exception {
    var options =
        oneUnitSlices(1, new UnitLog())
            .withMaxQueuedVideos(2)
            .withQueueFullTimeout(Duration.ofHours(1));
    try (var h = harness(TINY, options)) {
      h.open();
      Clock clock = new Clock(h);
      clock.start();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String id = "v" + i;
        ids.add(id);
        long before = clock.ticks;
        h.processElement(storyboard(id, 1, 1, i), 0);
        long waited = clock.ticks - before;
        assertThat(videosInState(h)).as("videos in state after %s", id).isLessThanOrEqualTo(3);
        if (i < 3) {
          assertThat(waited).as("%s found a place", id).isZero();
        } else {
          assertThat(waited).as("%s waited for a place", id).isPositive();
        }
      }
      assertThat(clock.maxVideosInState).as("while storyboards waited").isLessThanOrEqualTo(3);
      runUntilIdle(h);

      assertThat(rejections(h)).isEmpty();
      assertThat(failures(h)).isEmpty();
      for (String id : ids) {
        assertThat(segments(h, id)).as(id).hasSize(1);
        assertThat(progress(h, id))
            .last()
            .extracting(VideoProgress::status)
            .isEqualTo(VideoProgress.Status.DONE);
        assertThat(progress(h, id))
            .filteredOn(p -> p.status() == VideoProgress.Status.QUEUED)
            .extracting(VideoProgress::queuePosition)
            .allSatisfy(p -> assertThat(p).isBetween(1, 2));
      }
      assertThat(h.extractOutputValues())
          .extracting(DecodedSegment::videoId)
          .containsExactlyElementsOf(ids);
      GenerationOperatorTest.assertNoStateLeft(h);
    }
  }

  @Test
  void aFullQueueRejectsAfterTheTimeoutThenAtOnceUntilItMoves() throws Exception {
    var options =
        oneUnitSlices(1, new UnitLog())
            .withMaxQueuedVideos(1)
            .withQueueFullTimeout(Duration.ofMillis(5));
    try (var h = harness(TINY, options)) {
      h.open();
      Clock clock = new Clock(h);
      h.processElement(storyboard("long", 3, 3, 1), 0); // generates: far more than 5 slices
      h.processElement(storyboard("queued", 1, 1, 2), 0);
      clock.start();
      long t0 = h.getProcessingTime();
      h.processElement(storyboard("waits", 1, 1, 3), 0);
      assertThat(h.getProcessingTime() - t0).as("waited the timeout").isEqualTo(5);
      long t1 = h.getProcessingTime();
      h.processElement(storyboard("at-once", 1, 1, 4), 0);
      assertThat(h.getProcessingTime()).as("rejected without waiting").isEqualTo(t1);

      String message =
          " holds 1 queued videos, the most it queues (generation.max-queued-videos), and the"
              + " queue stayed full for PT0.005S (generation.queue-full-timeout); nothing was"
              + " generated: submit it again later";
      assertThat(rejections(h))
          .extracting(Rejection::code, Rejection::field, Rejection::videoId, Rejection::message)
          .containsExactly(
              tuple(
                  RejectionCode.QUEUE_FULL,
                  "$",
                  "waits",
                  "the generation subtask of video 'waits'" + message),
              tuple(
                  RejectionCode.QUEUE_FULL,
                  "$",
                  "at-once",
                  "the generation subtask of video 'at-once'" + message));

      while (segments(h, "long").size() < 3) {
        h.setProcessingTime(h.getProcessingTime() + 1); // the queue moves when 'long' is done
      }
      long t2 = h.getProcessingTime();
      h.processElement(storyboard("after", 1, 1, 5), 0);
      assertThat(h.getProcessingTime()).as("a place was free").isEqualTo(t2);
      runUntilIdle(h);
      assertThat(h.extractOutputValues())
          .extracting(DecodedSegment::videoId)
          .containsExactly("long", "long", "long", "queued", "after");
      assertThat(rejections(h)).hasSize(2);
      // the rejected ids are free: nothing of them is in state
      GenerationOperatorTest.assertNoStateLeft(h);
      assertThat(h.numKeyedStateEntries()).as("markers of the three generated videos").isEqualTo(3);
    }
  }

  @Test
  void aZeroTimeoutRejectsAtOnce() throws Exception {
    var options =
        oneUnitSlices(1, new UnitLog()).withMaxQueuedVideos(1).withQueueFullTimeout(Duration.ZERO);
    try (var h = harness(TINY, options)) {
      h.open();
      h.processElement(storyboard("a", 1, 1, 1), 0);
      h.processElement(storyboard("b", 1, 1, 2), 0);
      h.processElement(storyboard("c", 1, 1, 3), 0);
      assertThat(rejections(h))
          .extracting(Rejection::code, Rejection::videoId)
          .containsExactly(tuple(RejectionCode.QUEUE_FULL, "c"));
      runUntilIdle(h);
      assertThat(h.extractOutputValues())
          .extracting(DecodedSegment::videoId)
          .containsExactly("a", "b");
    }
  }

  /** Positions reported: on arrival, then each power of two reached; not all of them each time. */
  @Test
  void queuePositionsAreReportedAtPowersOfTwo() throws Exception {
    int n = 40;
    var options = oneUnitSlices(1, new UnitLog()).withMaxQueuedVideos(n);
    try (var h = harness(TINY, options)) {
      h.open();
      for (int i = 0; i <= n; i++) {
        h.processElement(storyboard("v" + i, 1, 1, i), 0);
      }
      runUntilIdle(h);
      long queuedRecords = 0;
      for (int i = 1; i <= n; i++) {
        List<Integer> expected = new ArrayList<>();
        expected.add(i); // on arrival behind v0 and the i - 1 others
        for (int p = Integer.highestOneBit(i); p >= 1; p /= 2) {
          if (p < i) {
            expected.add(p);
          }
        }
        List<Integer> reported =
            progress(h, "v" + i).stream()
                .filter(p -> p.status() == VideoProgress.Status.QUEUED)
                .map(VideoProgress::queuePosition)
                .toList();
        assertThat(reported).as("v%d", i).isEqualTo(expected);
        queuedRecords += reported.size();
      }
      // one record per position of every video would be n (n + 1) / 2 = 820
      assertThat(queuedRecords).isEqualTo(217);
    }
  }

  @Test
  void powersOfTwoReached() {
    assertThat(GenerationOperator.reachesPowerOfTwo(1, 2)).isTrue();
    assertThat(GenerationOperator.reachesPowerOfTwo(2, 3)).isTrue();
    assertThat(GenerationOperator.reachesPowerOfTwo(3, 4)).isFalse();
    assertThat(GenerationOperator.reachesPowerOfTwo(4, 5)).isTrue();
    assertThat(GenerationOperator.reachesPowerOfTwo(7, 9)).as("passes 8").isTrue();
    assertThat(GenerationOperator.reachesPowerOfTwo(9, 10)).isFalse();
    assertThat(GenerationOperator.reachesPowerOfTwo(5, 5)).as("did not move").isFalse();
  }
}
