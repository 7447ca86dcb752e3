package org.tttvideo.operators.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tttvideo.operators.assembly.RunLedger.Action;

/** Each rule of the {@link RunLedger}, one step at a time, without Flink. */
class RunLedgerTest {
  private static final VideoRun A = new VideoRun(1_000, 3, 1L, "tiny");
  private static final VideoRun B = new VideoRun(2_000, 3, 2L, "tiny");

  @Test
  void segmentsOfOneRunAreCollectedUntilTheLastAssemblesThem() {
    RunLedger.SegmentStep s0 = RunLedger.EMPTY.onSegment(A, 2, false);
    assertThat(s0.action()).isEqualTo(Action.COLLECT);
    assertThat(s0.ledger()).isEqualTo(new RunLedger(A, 1, 2, null, 0, 0, List.of()));
    RunLedger.SegmentStep again = s0.ledger().onSegment(A, 2, true);
    assertThat(again.ledger()).isEqualTo(s0.ledger()); // a repeated index is not counted twice
    RunLedger.SegmentStep s1 = again.ledger().onSegment(A, 0, false);
    RunLedger.SegmentStep s2 = s1.ledger().onSegment(A, 1, false);
    assertThat(s2.action()).isEqualTo(Action.ASSEMBLE);
    assertThat(s2.discardHeld()).isFalse();
    assertThat(s2.ledger().isEmpty()).isTrue();
    assertThat(s2.anomaly()).isNull();
  }

  @Test
  void aSegmentOfALaterRunDiscardsTheHeldRunAndExpectsItsFailure() {
    RunLedger held = RunLedger.EMPTY.onSegment(A, 0, false).ledger();
    RunLedger.SegmentStep later = held.onSegment(B, 0, false);
    assertThat(later.discardHeld()).isTrue();
    assertThat(later.action()).isEqualTo(Action.COLLECT);
    assertThat(later.ledger()).isEqualTo(new RunLedger(B, 1, 0, null, 0, 1, List.of()));
    assertThat(later.anomaly()).isNull();

    RunLedger.FailureStep itsFailure = later.ledger().onFailure(1);
    assertThat(itsFailure.discardHeld()).isFalse(); // B is kept
    assertThat(itsFailure.ledger()).isEqualTo(new RunLedger(B, 1, 0, null, 0, 0, List.of()));
  }

  @Test
  void aFailureWithNoSegmentDoneLeavesTheHeldRunAlone() {
    RunLedger held = RunLedger.EMPTY.onSegment(B, 0, false).ledger();
    RunLedger.FailureStep step = held.onFailure(0);
    assertThat(step.discardHeld()).isFalse();
    assertThat(step.ledger()).isSameAs(held);
    assertThat(RunLedger.EMPTY.onFailure(0).ledger().isEmpty()).isTrue();
  }

  @Test
  void aFailureAfterAllOfItsSegmentsDiscardsThemAndRemembersNothing() {
    RunLedger held =
        RunLedger.EMPTY.onSegment(A, 0, false).ledger().onSegment(A, 1, false).ledger();
    RunLedger.FailureStep step = held.onFailure(2);
    assertThat(step.discardHeld()).isTrue();
    assertThat(step.ledger().isEmpty()).isTrue();
  }

  @Test
  void aFailureBeforeSomeOfItsSegmentsDropsTheRestAsTheyCome() {
    RunLedger held = RunLedger.EMPTY.onSegment(A, 0, false).ledger();
    RunLedger.FailureStep step = held.onFailure(2);
    assertThat(step.discardHeld()).isTrue();
    assertThat(step.ledger()).isEqualTo(new RunLedger(null, 0, -1, A, 1, 0, List.of()));
    RunLedger.SegmentStep late = step.ledger().onSegment(A, 1, false);
    assertThat(late.action()).isEqualTo(Action.DROP);
    assertThat(late.ledger().isEmpty()).isTrue();
  }

  @Test
  void aFailureBeforeAllOfItsSegmentsDropsTheNextRunsFirstSegments() {
    RunLedger ahead = RunLedger.EMPTY.onFailure(2).ledger().onFailure(1).ledger();
    assertThat(ahead).isEqualTo(new RunLedger(null, 0, -1, null, 0, 0, List.of(2, 1)));
    RunLedger.SegmentStep a0 = ahead.onSegment(A, 0, false);
    assertThat(a0.action()).isEqualTo(Action.DROP);
    assertThat(a0.ledger()).isEqualTo(new RunLedger(null, 0, -1, A, 1, 0, List.of(1)));
    RunLedger.SegmentStep a1 = a0.ledger().onSegment(A, 1, false);
    assertThat(a1.action()).isEqualTo(Action.DROP);
    RunLedger.SegmentStep b0 = a1.ledger().onSegment(B, 0, false);
    assertThat(b0.action()).isEqualTo(Action.DROP);
    assertThat(b0.ledger().isEmpty()).isTrue();
    assertThat(b0.ledger().onSegment(B, 1, false).action())
        .as("a segment of a failed run whose segments all came is another run's")
        .isEqualTo(Action.COLLECT);
  }

  @Test
  void aFailureBelowTheHeldSegmentsIsALaterRunsAndTheHeldRunGoesOn() {
    // the held run has segment 2, so a failure after 1 segment is not its own
    RunLedger held =
        RunLedger.EMPTY.onSegment(A, 0, false).ledger().onSegment(A, 2, false).ledger();
    RunLedger.FailureStep step = held.onFailure(1);
    assertThat(step.discardHeld()).isFalse();
    assertThat(step.ledger()).isEqualTo(new RunLedger(A, 2, 2, null, 0, 0, List.of(1)));
    assertThat(step.ledger().onSegment(A, 1, false).action()).isEqualTo(Action.ASSEMBLE);
  }

  @Test
  void aLaterRunBeforeAllOfAFailedRunsSegmentsIsReported() {
    RunLedger failed = new RunLedger(null, 0, -1, A, 2, 0, List.of());
    RunLedger.SegmentStep step = failed.onSegment(B, 0, false);
    assertThat(step.action()).isEqualTo(Action.COLLECT);
    assertThat(step.ledger()).isEqualTo(new RunLedger(B, 1, 0, null, 0, 0, List.of()));
    assertThat(step.anomaly())
        .isEqualTo(
            "a later run came while 2 segments of the failed run " + A + " were still to come");
  }

  @Test
  void inconsistentLedgersAreRejectedWithTheirValues() {
    assertThatThrownBy(() -> new RunLedger(null, 1, 0, null, 0, 0, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "collected 1 and highestIndex 0 must be 0 and -1 without a collecting run, and"
                + " collected at least 1 with one");
    assertThatThrownBy(() -> new RunLedger(A, 2, 3, null, 0, 0, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("highestIndex 3 must be within 1..2 for 2 segments held of 3");
    assertThatThrownBy(() -> new RunLedger(null, 0, -1, A, 0, 0, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failedToCome must be at least 1 with a failed run and 0 without one, got 0");
    assertThatThrownBy(() -> new RunLedger(null, 0, -1, null, 0, -1, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failuresBehind must be >= 0, got -1");
    assertThatThrownBy(() -> new RunLedger(null, 0, -1, null, 0, 0, List.of(2, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failuresAhead must hold segment counts of at least 1, got [2, 0]");
    assertThatThrownBy(() -> new VideoRun(1, 0, 1, "tiny"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("segmentCount must be at least 1, got 0");
  }
}
