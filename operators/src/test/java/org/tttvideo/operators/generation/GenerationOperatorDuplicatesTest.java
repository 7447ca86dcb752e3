package org.tttvideo.operators.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tttvideo.operators.generation.OperatorHarness.harness;
import static org.tttvideo.operators.generation.OperatorHarness.oneUnitSlices;
import static org.tttvideo.operators.generation.OperatorHarness.progress;
import static org.tttvideo.operators.generation.OperatorHarness.rejections;
import static org.tttvideo.operators.generation.OperatorHarness.runUntilIdle;
import static org.tttvideo.operators.generation.OperatorHarness.segments;
import static org.tttvideo.operators.generation.testutils.GenerationFixtures.TINY;
import static org.tttvideo.operators.generation.testutils.GenerationFixtures.storyboard;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackendLoader;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.tttvideo.operators.generation.testutils.FailingDecoderFactory;
import org.tttvideo.operators.generation.testutils.UnitLog;
import org.tttvideo.storyboard.Payload;
import org.tttvideo.storyboard.RecordSource;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.RejectionCode;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.storyboard.StoryboardJson;
import org.tttvideo.storyboard.StoryboardOrigin;
import org.tttvideo.video.VideoProgress;

/**
 * Storyboards whose video id is in use: every one ends in exactly one record (the video's outcome
 * or a rejection), nothing waits for ever, and a finished video is never generated again.
 */
class GenerationOperatorDuplicatesTest {

  private static final String SAME =
      " with the same content; a video is generated once, and its one outcome on the videos topic"
          + " (VideoReady or VideoFailed, under this id) answers this storyboard too";
  private static final String DIFFERENT =
      " with different content; a video id names one video and a finished video is never"
          + " replaced: give this storyboard another videoId, or leave videoId out to have one"
          + " derived from its content";

  /** {@code sb} as the validation operator sends it: read from offset {@code offset}. */
  private static Storyboard traced(Storyboard sb, long offset) {
    byte[] value = StoryboardJson.write(sb);
    return sb.withOrigin(
        new StoryboardOrigin(
            new RecordSource("storyboards", 1, offset), 0, Payload.of(value, 1 << 20)));
  }

  private static Rejection expected(Storyboard sb, RejectionCode code, String message) {
    return new Rejection(
        code, "videoId", message, sb.videoId(), 0, sb.origin().payload(), sb.origin().source());
  }

  /** The same storyboard with another title: same content. */
  private static Storyboard retitled(Storyboard sb) {
    return new Storyboard(
        sb.videoId(),
        "another title",
        sb.format(),
        sb.inputForm(),
        sb.seed(),
        sb.settings(),
        sb.segments(),
        sb.summary(),
        sb.expandedBy());
  }

  private static long markers(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) throws Exception {
    try (Stream<Object> keys =
        h.getOperator().getKeyedStateBackend().getKeys(VideoStates.DONE, VoidNamespace.INSTANCE)) {
      return keys.count();
    }
  }

  @Test
  void theSameContentWhileQueuedOrGeneratingIsADuplicateTracedToItsRecord() throws Exception {
    Storyboard a = traced(storyboard("a", 1, 1, 1), 10);
    Storyboard b = traced(storyboard("b", 1, 1, 2), 11);
    try (var h = harness(TINY, oneUnitSlices(1, new UnitLog()))) {
      h.open();
      h.processElement(a, 0);
      h.processElement(b, 0); // queued behind a
      Storyboard a2 = traced(retitled(storyboard("a", 1, 1, 1)), 12);
      Storyboard b2 = traced(storyboard("b", 1, 1, 2), 13);
      h.processElement(a2, 0);
      h.processElement(b2, 0);

      assertThat(rejections(h))
          .containsExactly(
              expected(
                  a2, RejectionCode.DUPLICATE_VIDEO_ID, "videoId 'a' is already generating" + SAME),
              expected(
                  b2,
                  RejectionCode.DUPLICATE_VIDEO_ID,
                  "videoId 'b' is already queued (position 1)" + SAME));
      runUntilIdle(h);
      assertThat(segments(h, "a")).hasSize(1);
      assertThat(segments(h, "b")).hasSize(1);
      // the repeats changed nothing: b was reported at position 1 once, as before
      assertThat(progress(h, "b"))
          .filteredOn(p -> p.status() == VideoProgress.Status.QUEUED)
          .hasSize(1);
      assertThat(rejections(h)).hasSize(2);
      GenerationOperatorTest.assertNoStateLeft(h);
      assertThat(markers(h)).isEqualTo(2);
    }
  }

  @Test
  void otherContentUnderAnIdInUseIsAConflictAndTheVideoInUseIsUntouched() throws Exception {
    Storyboard a = traced(storyboard("a", 2, 1, 1), 20);
    try (var h = harness(TINY, oneUnitSlices(1, new UnitLog()))) {
      h.open();
      h.processElement(a, 0);
      h.setProcessingTime(1);
      Storyboard otherSeed = traced(storyboard("a", 2, 1, 99), 21);
      Storyboard otherSteps = traced(storyboard("a", 2, 2, 1), 22);
      h.processElement(otherSeed, 0);
      h.processElement(otherSteps, 0);
      assertThat(rejections(h))
          .containsExactly(
              expected(
                  otherSeed,
                  RejectionCode.VIDEO_ID_CONFLICT,
                  "videoId 'a' is already generating" + DIFFERENT),
              expected(
                  otherSteps,
                  RejectionCode.VIDEO_ID_CONFLICT,
                  "videoId 'a' is already generating" + DIFFERENT));
      runUntilIdle(h);
      assertThat(OperatorHarness.rgb(segments(h, "a")))
          .containsExactlyElementsOf(OperatorHarness.referenceFrames(a));
    }
  }

  @Test
  void aFinishedVideoIsNeverGeneratedAgain() throws Exception {
    Storyboard a = traced(storyboard("a", 1, 1, 1), 30);
    try (var h = harness(TINY, oneUnitSlices(1, new UnitLog()))) {
      h.open();
      h.processElement(a, 0);
      runUntilIdle(h);
      assertThat(segments(h, "a")).hasSize(1);

      Storyboard again = traced(retitled(a), 31);
      Storyboard other = traced(storyboard("a", 3, 1, 1), 32);
      h.processElement(again, 0);
      h.processElement(other, 0);
      assertThat(rejections(h))
          .containsExactly(
              expected(
                  again,
                  RejectionCode.DUPLICATE_VIDEO_ID,
                  "videoId 'a' is already generated" + SAME),
              expected(
                  other,
                  RejectionCode.VIDEO_ID_CONFLICT,
                  "videoId 'a' is already generated" + DIFFERENT));
      assertThat(h.numProcessingTimeTimers()).isZero();
      assertThat(segments(h, "a")).hasSize(1);
      assertThat(h.numKeyedStateEntries()).as("only the marker").isEqualTo(1);
    }
  }

  @Test
  void aVideoThatFailedKeepsItsIdTooAndTheRejectionNamesTheFailure() throws Exception {
    Storyboard a = traced(storyboard("a", 1, 1, 1), 40);
    try (var h = harness(new FailingDecoderFactory(1), oneUnitSlices(1, new UnitLog()))) {
      h.open();
      h.processElement(a, 0);
      runUntilIdle(h);
      assertThat(OperatorHarness.failures(h)).hasSize(1);
      Storyboard again = traced(a, 41);
      h.processElement(again, 0);
      assertThat(rejections(h))
          .containsExactly(
              expected(
                  again,
                  RejectionCode.DUPLICATE_VIDEO_ID,
                  "videoId 'a' is already failed (GENERATION_FAILED)" + SAME));
      assertThat(OperatorHarness.failures(h)).hasSize(1);
      assertThat(h.numProcessingTimeTimers()).isZero();
    }
  }

  /** The markers are in the checkpoint (RocksDB: through their serializer). */
  @Test
  void markersSurviveARestore() throws Exception {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    Storyboard a = traced(storyboard("a", 1, 1, 1), 50);
    OperatorSubtaskState snapshot;
    try (var h = harness(TINY, oneUnitSlices(1, new UnitLog()))) {
      h.setStateBackend(
          StateBackendLoader.loadStateBackendFromConfig(conf, getClass().getClassLoader(), null));
      h.open();
      h.processElement(a, 0);
      runUntilIdle(h);
      snapshot = h.snapshot(1, h.getProcessingTime());
    }
    try (var h = harness(TINY, oneUnitSlices(1, new UnitLog()))) {
      h.setStateBackend(
          StateBackendLoader.loadStateBackendFromConfig(conf, getClass().getClassLoader(), null));
      h.initializeState(snapshot);
      h.open();
      Storyboard other = traced(storyboard("a", 1, 1, 2), 51);
      h.processElement(other, 0);
      assertThat(rejections(h))
          .containsExactly(
              expected(
                  other,
                  RejectionCode.VIDEO_ID_CONFLICT,
                  "videoId 'a' is already generated" + DIFFERENT));
      assertThat(h.numProcessingTimeTimers()).isZero();
      assertThat(h.extractOutputValues()).isEmpty();
    }
  }

  @Test
  void withARetentionTheIdIsForgottenAfterItAndGeneratedAgain() throws Exception {
    Storyboard a = traced(storyboard("a", 1, 1, 1), 60);
    var options = oneUnitSlices(1, new UnitLog()).withFinishedRetention(Duration.ofMillis(50));
    try (var h = harness(TINY, options)) {
      h.open();
      h.processElement(a, 0);
      while (segments(h, "a").isEmpty()) {
        h.setProcessingTime(h.getProcessingTime() + 1);
      }
      long finishedAt = h.getProcessingTime();
      assertThat(h.numProcessingTimeTimers()).as("the marker's retention timer").isEqualTo(1);
      h.setProcessingTime(finishedAt + 49);
      Storyboard within = traced(a, 61);
      h.processElement(within, 0);
      assertThat(rejections(h))
          .extracting(Rejection::code)
          .containsExactly(RejectionCode.DUPLICATE_VIDEO_ID);

      h.setProcessingTime(finishedAt + 50);
      assertThat(h.numKeyedStateEntries()).as("the marker is gone").isZero();
      assertThat(h.numProcessingTimeTimers()).isZero();
      h.processElement(traced(a, 62), 0);
      runUntilIdle(h);
      h.setProcessingTime(h.getProcessingTime() + 50);
      assertThat(segments(h, "a")).as("generated again after the retention").hasSize(2);
      assertThat(rejections(h)).hasSize(1);
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }

  @Test
  void aStoryboardWithoutAnOriginIsRejectedWithItsJsonAndNoSource() throws Exception {
    Storyboard a = storyboard("a", 1, 1, 1);
    try (var h = harness(TINY, oneUnitSlices(1, new UnitLog()))) {
      h.open();
      h.processElement(a, 0);
      h.processElement(a, 0);
      List<Rejection> r = rejections(h);
      assertThat(r).hasSize(1);
      assertThat(r.get(0).source()).isNull();
      assertThat(r.get(0).videoIndex()).isZero();
      assertThat(r.get(0).payload().value())
          .isEqualTo(new String(StoryboardJson.write(a), StandardCharsets.UTF_8));
      runUntilIdle(h);
    }
  }
}
