package org.tttvideo.operators.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.tttvideo.operators.generation.OperatorHarness.failures;
import static org.tttvideo.operators.generation.OperatorHarness.progress;
import static org.tttvideo.operators.generation.OperatorHarness.referenceFrames;
import static org.tttvideo.operators.generation.OperatorHarness.rgb;
import static org.tttvideo.operators.generation.OperatorHarness.runUntilIdle;
import static org.tttvideo.operators.generation.OperatorHarness.segments;
import static org.tttvideo.operators.generation.testutils.GenerationFixtures.TINY;
import static org.tttvideo.operators.generation.testutils.GenerationFixtures.storyboard;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.generate.WorkPlan;
import org.tttvideo.operators.generation.testutils.UnitLog;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.video.VideoFailed;
import org.tttvideo.video.VideoProgress;

/**
 * Poison videos: a video that makes its task fail again and again is failed at the K-th restore
 * without progress (K = 3 here); a long video that progresses between failures, and a healthy video
 * generating beside a poison one, are not. A task failure is an exception out of the harness (the
 * observer throws after a given unit) or a harness that is dropped; the next "attempt" is a new
 * harness restored from a snapshot, with the task attempt number it would have.
 */
class GenerationOperatorPoisonTest {
  private static final int SEGMENTS = 2;
  private static final int STEPS = 2;

  private static GenerationOperatorOptions options(int maxActive, UnitLog log) {
    return OperatorHarness.oneUnitSlices(maxActive, log);
  }

  /** A harness of task attempt {@code attempt}, with checkpointing on in its job configuration. */
  private static KeyedOneInputStreamOperatorTestHarness<String, Storyboard, DecodedSegment> attempt(
      int attempt, GenerationOperatorOptions options, boolean checkpointing) throws Exception {
    return attempt(attempt, options, checkpointing, null);
  }

  /** The same, with the attempt journal in {@code journal} (null: none, as without a directory). */
  private static KeyedOneInputStreamOperatorTestHarness<String, Storyboard, DecodedSegment> attempt(
      int attempt,
      GenerationOperatorOptions options,
      boolean checkpointing,
      java.nio.file.Path journal)
      throws Exception {
    GenerationOperator op = new GenerationOperator(TINY, options);
    op.attemptForTesting = attempt;
    if (journal != null) {
      op.journalForTesting = new AttemptJournal(new Path(journal.toUri()));
    }
    var h = new KeyedOneInputStreamOperatorTestHarness<>(op, Storyboard::videoId, Types.STRING);
    if (checkpointing) {
      h.getEnvironment()
          .getJobConfiguration()
          .set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(10));
    }
    return h;
  }

  /** A restored attempt, opened. */
  /** Attempt 0 after its first unit of {@code video} and checkpoint 1 (not yet completed). */
  private record FirstCheckpoint(
      KeyedOneInputStreamOperatorTestHarness<String, Storyboard, DecodedSegment> harness,
      long time,
      OperatorSubtaskState state) {}

  private static FirstCheckpoint firstCheckpoint(
      Storyboard video, GenerationOperatorOptions options, java.nio.file.Path journalDir)
      throws Exception {
    var h0 = attempt(0, options, true, journalDir);
    h0.open();
    h0.processElement(video, 0);
    h0.setProcessingTime(1);
    long time = h0.getProcessingTime();
    return new FirstCheckpoint(h0, time, h0.snapshot(1, time));
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, Storyboard, DecodedSegment> restore(
      int attempt, GenerationOperatorOptions options, OperatorSubtaskState from, long time)
      throws Exception {
    return restore(attempt, options, from, time, null);
  }

  /** A restored attempt with the attempt journal in {@code journal}, opened. */
  private static KeyedOneInputStreamOperatorTestHarness<String, Storyboard, DecodedSegment> restore(
      int attempt,
      GenerationOperatorOptions options,
      OperatorSubtaskState from,
      long time,
      java.nio.file.Path journal)
      throws Exception {
    var h = attempt(attempt, options, true, journal);
    h.setProcessingTime(time);
    h.initializeState(from);
    h.open();
    return h;
  }

  /**
   * The task failed: the operator is closed, nothing is finished (closed in the middle of a slice
   * after {@link #stepUntilFailure}, in an orderly way otherwise, as a cancelled task is).
   */
  private static void crash(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) throws Exception {
    h.getOperator().close();
  }

  private static void stepUntilFailure(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) {
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 1000; i++) {
                h.setProcessingTime(h.getProcessingTime() + 1);
              }
            })
        .hasStackTraceContaining("injected task failure after unit 2");
  }

  /** The names of the attempt journal's records, sorted. */
  private static List<String> journal(java.nio.file.Path dir) throws IOException {
    try (Stream<java.nio.file.Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  /** Advances time until the operator has reported a failure (the poison report's timer). */
  private static void untilFailed(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h)
      throws Exception {
    for (int i = 0; i < 10 && failures(h).isEmpty(); i++) {
      h.setProcessingTime(h.getProcessingTime() + 1);
    }
  }

  private static long totalUnits() {
    return new WorkPlan(ModelConfig.tiny(), SEGMENTS, STEPS).total();
  }

  private static String poisonMessage(String id, int strikes, long unit) {
    return "video '"
        + id
        + "' was generating when its task failed "
        + strikes
        + " times in a row without a checkpoint seeing it get past unit "
        + unit
        + " of "
        + totalUnits()
        + " (";
  }

  /**
   * The video fails its task at unit 2 every time, so fast that no checkpoint completes after the
   * first: every restore reads the same checkpoint, and only the attempt numbers count.
   */
  @Test
  void aVideoThatFailsItsTaskEveryTimeIsFailedAtTheThirdRestoreOfTheSameCheckpoint()
      throws Exception {
    Storyboard p = storyboard("p", SEGMENTS, STEPS, 1);
    OperatorSubtaskState s0;
    long time;
    var h0 = attempt(0, options(1, UnitLog.failingAfter("p", 2)), true);
    h0.open();
    h0.processElement(p, 0);
    h0.setProcessingTime(1); // unit 1
    time = h0.getProcessingTime();
    s0 = h0.snapshot(1, time);
    h0.notifyOfCompletedCheckpoint(1);
    stepUntilFailure(h0);
    crash(h0);

    for (int attempt = 1; attempt <= 2; attempt++) {
      var h = restore(attempt, options(1, UnitLog.failingAfter("p", 2)), s0, time);
      assertThat(h.numProcessingTimeTimers()).as("attempt %d resumes it", attempt).isEqualTo(1);
      stepUntilFailure(h);
      assertThat(failures(h)).isEmpty();
      crash(h);
    }

    try (var h = restore(3, options(1, UnitLog.failingAfter("p", 2)), s0, time)) {
      assertThat(h.numProcessingTimeTimers()).as("the poison report's timer").isEqualTo(1);
      assertThat(h.extractOutputValues()).isEmpty();
      untilFailed(h);
      assertThat(failures(h))
          .extracting(VideoFailed::videoId, VideoFailed::code)
          .containsExactly(tuple("p", "POISON_VIDEO"));
      VideoFailed f = failures(h).get(0);
      assertThat(f.message())
          .startsWith(poisonMessage("p", 3, 1))
          .endsWith(
              "), the most generation.max-restores-without-progress allows (3); it is given up so"
                  + " that the other videos and the job go on (a task manager that runs out of"
                  + " memory or crashes while generating it is the usual cause)");
      assertThat(f.segmentsDone()).isZero();
      assertThat(progress(h, "p"))
          .extracting(VideoProgress::status)
          .containsExactly(VideoProgress.Status.FAILED);
      GenerationOperatorTest.assertNoStateLeft(h);

      // the job goes on, and the id is taken
      Storyboard q = storyboard("q", 1, 1, 2);
      h.processElement(q, 0);
      h.processElement(p, 0);
      runUntilIdle(h);
      assertThat(rgb(segments(h, "q"))).containsExactlyElementsOf(referenceFrames(q));
      assertThat(OperatorHarness.rejections(h))
          .extracting(r -> r.code().name())
          .containsExactly("DUPLICATE_VIDEO_ID");
    }
  }

  /**
   * The same with a checkpoint completed after every restore (and attempt numbers that start again
   * at 0, as after a JobManager failover): the strikes come through the checkpoints.
   */
  @Test
  void strikesAlsoAccumulateThroughCheckpointsTakenAfterEachRestore() throws Exception {
    Storyboard p = storyboard("p", SEGMENTS, STEPS, 1);
    FirstCheckpoint c = firstCheckpoint(p, options(1, UnitLog.failingAfter("p", 2)), null);
    var h0 = c.harness();
    long time = c.time();
    OperatorSubtaskState last = c.state();
    stepUntilFailure(h0);
    crash(h0);
    for (int restore = 1; restore <= 2; restore++) {
      var h = restore(0, options(1, UnitLog.failingAfter("p", 2)), last, time);
      last = h.snapshot(restore + 1, time); // before the video runs again: no progress in it
      h.notifyOfCompletedCheckpoint(restore + 1);
      stepUntilFailure(h);
      crash(h);
    }
    try (var h = restore(0, options(1, UnitLog.failingAfter("p", 2)), last, time)) {
      untilFailed(h);
      assertThat(failures(h))
          .extracting(VideoFailed::videoId, VideoFailed::code)
          .containsExactly(tuple("p", "POISON_VIDEO"));
    }
  }

  /** A long video through five failures, with a checkpoint holding its progress before each. */
  @Test
  void aLongVideoThatProgressesBetweenFailuresIsNeverFailed() throws Exception {
    Storyboard l = storyboard("long", SEGMENTS, STEPS, 3);
    FirstCheckpoint c = firstCheckpoint(l, options(1, new UnitLog()), null);
    var h0 = c.harness();
    long time = c.time();
    OperatorSubtaskState last = c.state();
    crash(h0);
    for (int attempt = 1; attempt <= 5; attempt++) {
      UnitLog log = new UnitLog();
      var h = restore(attempt, options(1, log), last, time);
      while (log.entries().size() < 2) { // two units: progress
        h.setProcessingTime(h.getProcessingTime() + 1);
      }
      time = h.getProcessingTime();
      assertThat(failures(h)).isEmpty();
      last = h.snapshot(attempt + 1, time);
      crash(h); // the task manager is killed: the checkpoint may or may not have completed
    }
    try (var h = restore(6, options(1, new UnitLog()), last, time)) {
      runUntilIdle(h);
      assertThat(failures(h)).isEmpty();
      assertThat(rgb(segments(h, "long"))).containsExactlyElementsOf(referenceFrames(l));
    }
  }

  /**
   * A healthy video generates beside a poison one. After each restore one video runs alone (the
   * more suspect one) and the other waits for a checkpoint with the first one's progress, so the
   * failures are charged to the poison video only; the healthy one finishes.
   */
  @Test
  void aHealthyVideoBesideAPoisonOneIsNotCharged() throws Exception {
    Storyboard healthy = storyboard("healthy", SEGMENTS, STEPS, 4);
    Storyboard p = storyboard("p", SEGMENTS, STEPS, 5);
    var h0 = attempt(0, options(2, UnitLog.failingAfter("p", 2)), true);
    h0.open();
    h0.processElement(healthy, 0); // older: it is tried first after the restore
    h0.processElement(p, 0);
    h0.setProcessingTime(1); // healthy unit 1
    h0.setProcessingTime(2); // p unit 1
    long time = h0.getProcessingTime();
    OperatorSubtaskState s0 = h0.snapshot(1, time);
    h0.notifyOfCompletedCheckpoint(1);
    stepUntilFailure(h0); // healthy unit 2, then p unit 2 fails the task
    crash(h0);

    // attempt 1: one strike each; the healthy one (older) runs alone, p is held
    UnitLog log1 = UnitLog.failingAfter("p", 2);
    var h1 = restore(1, options(2, log1), s0, time);
    assertThat(h1.numProcessingTimeTimers()).as("only one video runs").isEqualTo(1);
    while (log1.entries().size() < 3) {
      h1.setProcessingTime(h1.getProcessingTime() + 1);
    }
    assertThat(log1.videos()).containsOnly("healthy").hasSize(3);
    time = h1.getProcessingTime();
    OperatorSubtaskState s1 = h1.snapshot(2, time); // holds healthy's progress; p is next
    assertThat(h1.numProcessingTimeTimers()).isEqualTo(1);
    h1.notifyOfCompletedCheckpoint(2);
    assertThat(h1.numProcessingTimeTimers()).as("p released").isEqualTo(2);
    stepUntilFailure(h1);
    crash(h1);

    // attempt 2 from s1: p has two strikes and runs alone, failing the task at once
    UnitLog log2 = UnitLog.failingAfter("p", 2);
    var h2 = restore(2, options(2, log2), s1, time);
    stepUntilFailure(h2);
    assertThat(log2.videos()).containsExactly("p");
    crash(h2);

    // attempt 3 from s1 again: p has three, the healthy video one
    UnitLog log3 = UnitLog.failingAfter("p", 2);
    try (var h = restore(3, options(2, log3), s1, time)) {
      runUntilIdle(h);
      assertThat(failures(h))
          .extracting(VideoFailed::videoId, VideoFailed::code)
          .containsExactly(tuple("p", "POISON_VIDEO"));
      assertThat(failures(h).get(0).message()).startsWith(poisonMessage("p", 3, 1));
      assertThat(rgb(segments(h, "healthy"))).containsExactlyElementsOf(referenceFrames(healthy));
      assertThat(log3.videos()).containsOnly("healthy");
      GenerationOperatorTest.assertNoStateLeft(h);
    }
  }

  /**
   * The first attempt took a checkpoint and was killed with its task manager (never closed); the
   * next four restarts were deployed to the dead task manager's slots and never ran. With the
   * journal, that is one failure of the video, which resumes; counted from the attempt numbers
   * alone (no journal) it would be five (counted up to K = 3), and the healthy video a poison
   * video.
   */
  @Test
  void aLostTaskManagerCostsOneStrikeHoweverManyRestartsFailedOnIt(@TempDir java.nio.file.Path dir)
      throws Exception {
    Storyboard v = storyboard("v", SEGMENTS, STEPS, 8);
    FirstCheckpoint c = firstCheckpoint(v, options(1, new UnitLog()), dir);
    var h0 = c.harness();
    long time = c.time();
    OperatorSubtaskState s0 = c.state();
    h0.notifyOfCompletedCheckpoint(1);
    h0.setProcessingTime(2); // unit 2, then the task manager is killed: no close
    assertThat(journal(dir)).containsExactly("attempt-0.began");

    try (var h = restore(5, options(1, new UnitLog()), s0, time, dir)) {
      assertThat(h.numProcessingTimeTimers()).as("it resumes").isEqualTo(1);
      runUntilIdle(h);
      assertThat(failures(h)).isEmpty();
      assertThat(rgb(segments(h, "v"))).containsExactlyElementsOf(referenceFrames(v));
    }

    try (var h = restore(5, options(1, new UnitLog()), s0, time)) {
      untilFailed(h);
      assertThat(failures(h))
          .as("without a journal")
          .extracting(VideoFailed::videoId, VideoFailed::code)
          .containsExactly(tuple("v", "POISON_VIDEO"));
      assertThat(failures(h).get(0).message()).startsWith(poisonMessage("v", 3, 1));
    }
  }

  /**
   * After the kill, three restarts restored the checkpoint and were cancelled because a task
   * elsewhere failed (closed in order, between slices): none is charged.
   */
  @Test
  void restoresCancelledBecauseAnotherTaskFailedAreNotCharged(@TempDir java.nio.file.Path dir)
      throws Exception {
    Storyboard v = storyboard("v", SEGMENTS, STEPS, 9);
    FirstCheckpoint c = firstCheckpoint(v, options(1, new UnitLog()), dir);
    var h0 = c.harness();
    long time = c.time();
    OperatorSubtaskState s0 = c.state();
    h0.notifyOfCompletedCheckpoint(1); // then killed
    for (int attempt = 1; attempt <= 3; attempt++) {
      var h = restore(attempt, options(1, new UnitLog()), s0, time, dir);
      h.setProcessingTime(h.getProcessingTime() + 1);
      crash(h); // cancelled
    }
    assertThat(journal(dir))
        .containsExactlyInAnyOrder(
            "attempt-0.began",
            "attempt-1.began",
            "attempt-1.ended",
            "attempt-2.began",
            "attempt-2.ended",
            "attempt-3.began",
            "attempt-3.ended");
    try (var h = restore(4, options(1, new UnitLog()), s0, time, dir)) {
      runUntilIdle(h);
      assertThat(failures(h)).isEmpty();
      assertThat(rgb(segments(h, "v"))).containsExactlyElementsOf(referenceFrames(v));
      h.snapshot(2, h.getProcessingTime());
      h.notifyOfCompletedCheckpoint(2);
      assertThat(journal(dir))
          .as("the records before this attempt's first completed checkpoint are deleted")
          .containsExactly("attempt-4.began");
    }
  }

  /**
   * With the journal, a video that fails its task in the middle of its slice every time is still
   * failed at the third restore of the same checkpoint: a close in the middle of a slice is not an
   * orderly end.
   */
  @Test
  void withAJournalAVideoThatFailsInItsSlicesIsStillFailedAtTheThirdRestore(
      @TempDir java.nio.file.Path dir) throws Exception {
    Storyboard p = storyboard("p", SEGMENTS, STEPS, 1);
    FirstCheckpoint c = firstCheckpoint(p, options(1, UnitLog.failingAfter("p", 2)), dir);
    var h0 = c.harness();
    long time = c.time();
    OperatorSubtaskState s0 = c.state();
    h0.notifyOfCompletedCheckpoint(1);
    stepUntilFailure(h0);
    crash(h0);
    for (int attempt = 1; attempt <= 2; attempt++) {
      var h = restore(attempt, options(1, UnitLog.failingAfter("p", 2)), s0, time, dir);
      assertThat(h.numProcessingTimeTimers()).as("attempt %d resumes it", attempt).isEqualTo(1);
      stepUntilFailure(h);
      crash(h);
    }
    assertThat(journal(dir))
        .containsExactlyInAnyOrder("attempt-0.began", "attempt-1.began", "attempt-2.began");
    try (var h = restore(3, options(1, UnitLog.failingAfter("p", 2)), s0, time, dir)) {
      untilFailed(h);
      assertThat(failures(h))
          .extracting(VideoFailed::videoId, VideoFailed::code)
          .containsExactly(tuple("p", "POISON_VIDEO"));
      assertThat(failures(h).get(0).message()).startsWith(poisonMessage("p", 3, 1));
    }
  }

  /**
   * Attempt 0 is a new numbering (a new job graph after a JobManager failover): it starts afresh.
   */
  @Test
  void attemptZeroDeletesTheRecordsOfAnEarlierNumbering(@TempDir java.nio.file.Path dir)
      throws Exception {
    Files.writeString(dir.resolve("attempt-0.began"), "began 1\n");
    Files.writeString(dir.resolve("attempt-0.ended"), "ended 2\n");
    Files.writeString(dir.resolve("attempt-7.began"), "began 3\n");
    var h = attempt(0, options(1, new UnitLog()), true, dir);
    h.open();
    assertThat(journal(dir)).containsExactly("attempt-0.began");
    h.close();
    assertThat(journal(dir)).containsExactlyInAnyOrder("attempt-0.began", "attempt-0.ended");
  }

  @Test
  void withoutCheckpointingNoVideoIsHeldAndWithKZeroNothingIsCounted() throws Exception {
    Storyboard a = storyboard("a", SEGMENTS, STEPS, 6);
    Storyboard b = storyboard("b", SEGMENTS, STEPS, 7);
    OperatorSubtaskState s0;
    var h0 = attempt(0, options(2, new UnitLog()), false);
    h0.open();
    h0.processElement(a, 0);
    h0.processElement(b, 0);
    h0.setProcessingTime(1);
    s0 = h0.snapshot(1, 1);
    crash(h0);
    var plain = attempt(1, options(2, new UnitLog()), false);
    plain.setProcessingTime(1);
    plain.initializeState(s0);
    plain.open();
    assertThat(plain.numProcessingTimeTimers()).as("both resume").isEqualTo(2);
    crash(plain);

    // K = 0: the fourth restore of the same checkpoint resumes the video
    var off = options(1, UnitLog.failingAfter("p", 2)).withMaxRestoresWithoutProgress(0);
    var h = attempt(0, off, true);
    h.open();
    h.processElement(storyboard("p", SEGMENTS, STEPS, 1), 0);
    h.setProcessingTime(1);
    OperatorSubtaskState p0 = h.snapshot(1, 1);
    crash(h);
    try (var h4 = restore(4, off, p0, 1)) {
      assertThat(h4.numProcessingTimeTimers()).isEqualTo(1);
      stepUntilFailure(h4);
      assertThat(failures(h4)).isEmpty();
    }
  }
}
