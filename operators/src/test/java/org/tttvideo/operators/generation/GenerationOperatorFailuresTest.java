package org.tttvideo.operators.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tttvideo.operators.generation.OperatorHarness.failures;
import static org.tttvideo.operators.generation.OperatorHarness.harness;
import static org.tttvideo.operators.generation.OperatorHarness.oneUnitSlices;
import static org.tttvideo.operators.generation.OperatorHarness.progress;
import static org.tttvideo.operators.generation.OperatorHarness.referenceFrames;
import static org.tttvideo.operators.generation.OperatorHarness.rgb;
import static org.tttvideo.operators.generation.OperatorHarness.runUntilIdle;
import static org.tttvideo.operators.generation.OperatorHarness.segments;
import static org.tttvideo.operators.generation.testutils.GenerationFixtures.storyboard;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.generate.WorkPlan;
import org.tttvideo.operators.generation.testutils.ThrowingDecoderFactory;
import org.tttvideo.operators.generation.testutils.ThrowingDecoderFactory.Kind;
import org.tttvideo.operators.generation.testutils.UnitLog;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.video.VideoFailed;
import org.tttvideo.video.VideoProgress;

/** Errors from the model call: which fail one video, which fail the task. */
class GenerationOperatorFailuresTest {
  private static final int STEPS = 2;

  private static long decodeStart(Storyboard sb) {
    WorkPlan plan = new WorkPlan(ModelConfig.tiny(), sb.segments().size(), STEPS);
    return plan.total() - sb.segments().size();
  }

  private static long totalUnits(Storyboard sb) {
    return new WorkPlan(ModelConfig.tiny(), sb.segments().size(), STEPS).total();
  }

  @Test
  void anOutOfMemoryErrorFailsOnlyThatVideoWithItsOwnCodeAndTheNextOneCompletes() throws Exception {
    Storyboard a = storyboard("a", 2, STEPS, 1);
    Storyboard b = storyboard("b", 2, STEPS, 2);
    try (var h =
        harness(
            new ThrowingDecoderFactory(Kind.HEAP_OUT_OF_MEMORY, 1),
            oneUnitSlices(1, new UnitLog()))) {
      h.open();
      h.processElement(a, 0);
      h.processElement(b, 0);
      runUntilIdle(h);

      List<VideoFailed> failed = failures(h);
      assertThat(failed).hasSize(1);
      VideoFailed f = failed.get(0);
      assertThat(f.videoId()).isEqualTo("a");
      assertThat(f.code()).isEqualTo("GENERATION_OUT_OF_MEMORY");
      assertThat(f.message())
          .startsWith(
              "generation failed at unit "
                  + decodeStart(a)
                  + " of "
                  + totalUnits(a)
                  + " (DECODE segment 0): OutOfMemoryError: Requested array size exceeds VM"
                  + " limit; the model ran out of memory for this video, whose state was dropped");
      assertThat(f.segmentsDone()).isZero();
      assertThat(progress(h, "a"))
          .last()
          .extracting(VideoProgress::status)
          .isEqualTo(VideoProgress.Status.FAILED);
      assertThat(segments(h, "a")).isEmpty();
      assertThat(rgb(segments(h, "b"))).containsExactlyElementsOf(referenceFrames(b));
      assertThat(h.numProcessingTimeTimers()).isZero();
    }
  }

  @Test
  void aStackOverflowFailsOnlyThatVideo() throws Exception {
    Storyboard a = storyboard("a", 1, STEPS, 1);
    Storyboard b = storyboard("b", 1, STEPS, 2);
    try (var h =
        harness(
            new ThrowingDecoderFactory(Kind.STACK_OVERFLOW, 1), oneUnitSlices(2, new UnitLog()))) {
      h.open();
      h.processElement(a, 0);
      h.processElement(b, 0);
      runUntilIdle(h);

      // a and b alternate; a decodes first, so the first decoder call, which overflows, is a's
      assertThat(failures(h))
          .extracting(VideoFailed::videoId, VideoFailed::code)
          .containsExactly(org.assertj.core.api.Assertions.tuple("a", "GENERATION_STACK_OVERFLOW"));
      assertThat(failures(h).get(0).message())
          .contains("(DECODE segment 0): StackOverflowError")
          .endsWith("; the model's call stack overflowed on this video");
      assertThat(rgb(segments(h, "b"))).containsExactlyElementsOf(referenceFrames(b));
    }
  }

  /** Errors that say nothing about the video, and cancellation, fail the task: no VideoFailed. */
  @ParameterizedTest
  @EnumSource(
      value = Kind.class,
      names = {"METASPACE_OUT_OF_MEMORY", "LINKAGE_ERROR", "INTERRUPTED"})
  void errorsThatAreNotTheVideosFaultFailTheTask(Kind kind) throws Exception {
    var h = harness(new ThrowingDecoderFactory(kind, 1), oneUnitSlices(1, new UnitLog()));
    try {
      h.open();
      h.processElement(storyboard("a", 1, 1, 1), 0);
      Class<? extends Throwable> expected =
          switch (kind) {
            case METASPACE_OUT_OF_MEMORY -> OutOfMemoryError.class;
            case LINKAGE_ERROR -> UnsatisfiedLinkError.class;
            default -> IllegalStateException.class;
          };
      assertThatThrownBy(() -> runUntilIdle(h)).isInstanceOf(expected);
      assertThat(failures(h)).isEmpty();
      assertThat(progress(h, "a"))
          .extracting(VideoProgress::status)
          .doesNotContain(VideoProgress.Status.FAILED);
    } finally {
      h.getOperator().close(); // a failed task is closed, not finished
    }
  }

  @Test
  void failureCodesOfModelThrowables() {
    assertThat(ModelFailures.videoFailureCode(new IllegalArgumentException("bad")))
        .isEqualTo("GENERATION_FAILED");
    assertThat(ModelFailures.videoFailureCode(new OutOfMemoryError("Java heap space")))
        .isEqualTo("GENERATION_OUT_OF_MEMORY");
    assertThat(ModelFailures.videoFailureCode(new OutOfMemoryError("Direct buffer memory")))
        .isEqualTo("GENERATION_OUT_OF_MEMORY");
    assertThat(
            ModelFailures.videoFailureCode(
                new IllegalStateException("worker", new OutOfMemoryError("Java heap space"))))
        .as("an OutOfMemoryError wrapped by a backend")
        .isEqualTo("GENERATION_OUT_OF_MEMORY");
    assertThat(ModelFailures.videoFailureCode(new StackOverflowError()))
        .isEqualTo("GENERATION_STACK_OVERFLOW");
    assertThat(ModelFailures.videoFailureCode(new OutOfMemoryError("Metaspace"))).isNull();
    assertThat(ModelFailures.videoFailureCode(new OutOfMemoryError("Compressed class space")))
        .isNull();
    assertThat(
            ModelFailures.videoFailureCode(
                new OutOfMemoryError("unable to create native thread: possibly out of memory")))
        .isNull();
    assertThat(ModelFailures.videoFailureCode(new NoClassDefFoundError("x"))).isNull();
    assertThat(ModelFailures.videoFailureCode(new ExceptionInInitializerError("x"))).isNull();
    assertThat(ModelFailures.videoFailureCode(new InternalError("x"))).isNull();
    assertThat(ModelFailures.videoFailureCode(new AssertionError("x"))).isNull();
    assertThat(
            ModelFailures.videoFailureCode(
                new IllegalStateException("wrapped", new NoClassDefFoundError("x"))))
        .isNull();
    assertThat(
            ModelFailures.videoFailureCode(
                new RuntimeException(new java.io.InterruptedIOException("cancelled"))))
        .isNull();
    Thread.currentThread().interrupt();
    try {
      assertThat(ModelFailures.videoFailureCode(new IllegalStateException("while cancelling")))
          .isNull();
    } finally {
      assertThat(Thread.interrupted()).isTrue(); // clears the flag again
    }
  }
}
