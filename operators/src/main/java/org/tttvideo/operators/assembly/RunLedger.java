package org.tttvideo.operators.assembly;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the {@link VideoAssembler} knows about the runs of one video id: the run whose segments it
 * collects, the failed run whose late segments it drops, and the generation failures it has not
 * matched to a run yet. Immutable; {@link #onSegment} and {@link #onFailure} return the next ledger
 * with what to do, and the assembler keeps the ledger in keyed state beside the segments.
 *
 * <h2>Why a ledger</h2>
 *
 * The segments and the {@link org.tttvideo.video.VideoFailed} records reach the assembler on two
 * inputs with no order between them: a failure can overtake the segments decoded before it, and the
 * segments of a resubmitted video can overtake the failure of its previous run. Each input alone
 * keeps the generation operator's order for a video id (one upstream subtask, forward edges), and
 * the generation operator, per video id:
 *
 * <ul>
 *   <li>generates one run at a time: a later run starts only after the previous one is done or has
 *       failed, and its segments carry another {@link VideoRun};
 *   <li>emits segments {@code 0..k-1} of a run, then either the rest of them or one failure whose
 *       {@code segmentsDone} is {@code k} (at most the segment count less one).
 * </ul>
 *
 * From these, without a run tag on the failure:
 *
 * <ol>
 *   <li>A segment of a run other than the one being collected ends that run: it did not complete,
 *       so it failed and its failure is still on its way. Its segments are discarded and the
 *       failure is expected ({@link #failuresBehind}).
 *   <li>A failure with {@code segmentsDone} 0 belongs to a run that sent no segment (a storyboard
 *       the model cannot generate, a failure at the start): there is nothing to clean.
 *   <li>Any other failure belongs to the oldest failed run not matched yet: a run given up in (1)
 *       if there is one; else the run being collected, if all of its segments are below {@code
 *       segmentsDone}; else a run none of whose segments has come yet ({@link #failuresAhead}),
 *       which is the next new run: its segments are dropped as they come.
 *   <li>A failed run's segments still to come are dropped ({@link #failed}) until all {@code
 *       segmentsDone} of them have come, or a segment of a later run comes (no segment of the
 *       failed run can follow that). No timer: the count ends it exactly, and a timer would have to
 *       guess how far one input lags the other, letting stale segments back in when it guessed
 *       short.
 * </ol>
 *
 * A failed run is never assembled: its segments are discarded or dropped, never completed. The one
 * case (3) cannot tell: a failure of a later run overtaking the last segments of an earlier run
 * that completed (a video resubmitted right after it was done, whose new run then failed while the
 * earlier run's last segments were still in flight). If the earlier run's segments so far are all
 * below the failure's {@code segmentsDone}, it is taken as the failed run; a run tag on the failure
 * record would remove this case.
 *
 * <pre>{@code
 * RunLedger.SegmentStep step = ledger.onSegment(VideoRun.of(segment), segment.segmentIndex(), held);
 * if (step.discardHeld()) segments.clear();
 * switch (step.action()) { case DROP -> ...; case COLLECT -> ...; case ASSEMBLE -> ...; }
 * ledger = step.ledger();
 * }</pre>
 *
 * @param collecting the run whose segments are held, or null
 * @param collected distinct segments of {@code collecting} held (0 without one)
 * @param highestIndex the highest segment index held (-1 without one)
 * @param failed the failed run whose segments are still dropped, or null
 * @param failedToCome segments of {@code failed} still to come (at least 1 with one, else 0)
 * @param failuresBehind runs given up for a later run whose failure has not come yet
 * @param failuresAhead the {@code segmentsDone} (each at least 1) of failures that came before any
 *     segment of their run, oldest first
 */
public record RunLedger(
    VideoRun collecting,
    int collected,
    int highestIndex,
    VideoRun failed,
    int failedToCome,
    int failuresBehind,
    List<Integer> failuresAhead) {

  /** Nothing known: the ledger of a video id without state. */
  public static final RunLedger EMPTY = new RunLedger(null, 0, -1, null, 0, 0, List.of());

  /** What to do with a segment. */
  public enum Action {
    /** The segment belongs to a failed run: drop it. */
    DROP,
    /** Keep the segment; its run is not complete yet. */
    COLLECT,
    /** The segment completes its run: encode the held segments and this one, then clear them. */
    ASSEMBLE
  }

  /**
   * The result of a segment.
   *
   * @param ledger the next ledger
   * @param discardHeld clear the held segments first (they belong to a run that failed)
   * @param action what to do with the segment
   * @param anomaly what contradicted the generation operator's order, for the log; null if nothing
   */
  public record SegmentStep(RunLedger ledger, boolean discardHeld, Action action, String anomaly) {}

  /**
   * The result of a failure (which is always forwarded).
   *
   * @param ledger the next ledger
   * @param discardHeld clear the held segments (they belong to the failed run)
   */
  public record FailureStep(RunLedger ledger, boolean discardHeld) {}

  public RunLedger {
    if (collecting == null ? collected != 0 || highestIndex != -1 : collected < 1) {
      throw new IllegalArgumentException(
          "collected "
              + collected
              + " and highestIndex "
              + highestIndex
              + " must be 0 and -1 without a collecting run, and collected at least 1 with one");
    }
    if (collecting != null
        && (highestIndex < collected - 1 || highestIndex >= collecting.segmentCount())) {
      throw new IllegalArgumentException(
          "highestIndex "
              + highestIndex
              + " must be within "
              + (collected - 1)
              + ".."
              + (collecting.segmentCount() - 1)
              + " for "
              + collected
              + " segments held of "
              + collecting.segmentCount());
    }
    if ((failed == null) != (failedToCome == 0) || failedToCome < 0) {
      throw new IllegalArgumentException(
          "failedToCome must be at least 1 with a failed run and 0 without one, got "
              + failedToCome);
    }
    if (failuresBehind < 0) {
      throw new IllegalArgumentException("failuresBehind must be >= 0, got " + failuresBehind);
    }
    failuresAhead = List.copyOf(Objects.requireNonNull(failuresAhead, "failuresAhead"));
    for (int k : failuresAhead) {
      if (k < 1) {
        throw new IllegalArgumentException(
            "failuresAhead must hold segment counts of at least 1, got " + failuresAhead);
      }
    }
  }

  /** Whether there is nothing to remember (the assembler then holds no state for the id). */
  public boolean isEmpty() {
    return collecting == null && failed == null && failuresBehind == 0 && failuresAhead.isEmpty();
  }

  /**
   * A segment of {@code run} with index {@code index}; {@code held} says whether a segment of that
   * index is held already (for a repeated one, which replaces it and is not counted twice).
   */
  public SegmentStep onSegment(VideoRun run, int index, boolean held) {
    Objects.requireNonNull(run, "run");
    String anomaly = null;
    if (failed != null) {
      if (failed.equals(run)) { // (4) a late segment of the failed run
        int toCome = failedToCome - 1;
        RunLedger next =
            new RunLedger(
                collecting,
                collected,
                highestIndex,
                toCome == 0 ? null : failed,
                toCome,
                failuresBehind,
                failuresAhead);
        return new SegmentStep(next, false, Action.DROP, null);
      }
      anomaly =
          "a later run came while "
              + failedToCome
              + " segments of the failed run "
              + failed
              + " were still to come";
    }
    boolean discard = false;
    int behind = failuresBehind;
    if (collecting != null && !collecting.equals(run)) { // (1) the held run failed
      discard = true;
      behind++;
      if (!failuresAhead.isEmpty()) {
        anomaly =
            "the run "
                + collecting
                + " ended without completing while a later failure had come already";
      }
    }
    VideoRun current = discard ? null : collecting;
    if (current == null && !failuresAhead.isEmpty()) { // (3) its failure came first
      int done = failuresAhead.get(0);
      List<Integer> rest = failuresAhead.subList(1, failuresAhead.size());
      if (index >= done) {
        anomaly =
            "segment " + index + " of " + run + " came after a failure with " + done + " done";
      }
      int toCome = Math.max(0, done - 1);
      RunLedger next = new RunLedger(null, 0, -1, toCome == 0 ? null : run, toCome, behind, rest);
      return new SegmentStep(next, discard, Action.DROP, anomaly);
    }
    int count = (current == null ? 0 : collected) + (held && current != null ? 0 : 1);
    int highest = Math.max(current == null ? -1 : highestIndex, index);
    if (count == run.segmentCount()) {
      return new SegmentStep(
          new RunLedger(null, 0, -1, null, 0, behind, failuresAhead),
          discard,
          Action.ASSEMBLE,
          anomaly);
    }
    return new SegmentStep(
        new RunLedger(run, count, highest, null, 0, behind, failuresAhead),
        discard,
        Action.COLLECT,
        anomaly);
  }

  /** A generation failure of this video id, {@code segmentsDone} segments decoded before it. */
  public FailureStep onFailure(int segmentsDone) {
    if (segmentsDone <= 0) { // (2)
      return new FailureStep(this, false);
    }
    if (failuresBehind > 0) { // (3) a run given up already
      return new FailureStep(
          new RunLedger(
              collecting,
              collected,
              highestIndex,
              failed,
              failedToCome,
              failuresBehind - 1,
              failuresAhead),
          false);
    }
    if (collecting != null && highestIndex < segmentsDone) { // (3) the run being collected
      int toCome = Math.max(0, segmentsDone - collected);
      return new FailureStep(
          new RunLedger(null, 0, -1, toCome == 0 ? null : collecting, toCome, 0, failuresAhead),
          true);
    }
    List<Integer> ahead = new ArrayList<>(failuresAhead); // (3) a run yet to come
    ahead.add(segmentsDone);
    return new FailureStep(
        new RunLedger(
            collecting, collected, highestIndex, failed, failedToCome, failuresBehind, ahead),
        false);
  }
}
