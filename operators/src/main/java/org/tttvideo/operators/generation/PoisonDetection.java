package org.tttvideo.operators.generation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The generation operator's bookkeeping of restores: which restored video runs, which are held
 * until a checkpoint completes, and which are given up as poison videos. The operator keeps the
 * state ({@link RestoreMark}s in keyed state) and the timers; this class decides.
 *
 * <h2>Poison videos</h2>
 *
 * A video that makes its task fail (a crash of the task manager, an error that is not the video's
 * alone, a hang that gets the task cancelled) would run first again after every restore and fail
 * the job once the restarts are used up. With {@link
 * GenerationOperatorOptions#maxRestoresWithoutProgress()} K &gt; 0, a video that was generating
 * through K task failures in a row, without a completed checkpoint having seen it get past its
 * cursor in between, is failed with {@value GenerationOperator#POISON_CODE} instead of resumed, and
 * the job goes on. A long video that lives through unrelated failures is not: each checkpoint that
 * holds it beyond its cursor at the last restore resets its count.
 *
 * <p>Counting in state needs care, because the state written in {@code open()} after a restore is
 * lost when the task fails again before the next checkpoint: the next restore reads the same
 * checkpoint again. So each generating video carries a {@link RestoreMark}: its strikes and cursor
 * at its last restore, whether it may run, and the task attempt that wrote it (the attempt that
 * took the checkpoint). A restore in attempt A of a checkpoint taken in attempt a looks at the
 * attempts a to A - 1 since it, even when no checkpoint completed in between ({@link
 * RestoreStrikes}). Not every one of them is a failure of its videos: one lost task manager costs
 * several attempts (restarts deployed to its slots fail before its heartbeat times out, and the
 * attempts on the live task managers are cancelled by them). The {@link AttemptJournal}, a few
 * files per attempt beside the checkpoints, says which attempts began running videos and which
 * ended in an orderly way; only an attempt that began and died (a crash, a kill, a close in the
 * middle of a slice) is charged. Without a checkpoint directory there is no journal, and each of
 * the A - a attempts is charged.
 *
 * <p>To charge a failure to the right video when several generate, a restore resumes one video, the
 * most suspect (most strikes, then oldest), and holds the others; at each checkpoint after the
 * released ones have progressed, the next held video is marked RUNNING in that checkpoint, and it
 * runs when that checkpoint completes. A checkpoint so says which videos may have run after it: a
 * failure is charged to the RUNNING ones, and in the attempts restored from the same checkpoint
 * only to the resumed one, which is recomputed from that checkpoint alone. A poison video that
 * shares its subtask with healthy ones reaches K alone; the healthy ones keep at most one strike.
 * Holding needs completed checkpoints: without checkpointing (job configuration) nothing is held,
 * and with K = 0 nothing is counted.
 *
 * <p>What it does not catch: a video that fails its task before the first checkpoint that holds it
 * (new videos are not held, so that a backlog never waits on a checkpoint it blocks) is not in the
 * restored state and is started from its Kafka record again; and a restore without a failure (a
 * rescale) counts as one; nor a task that fails outside a slice (in a checkpoint of the video's
 * state, say) yet closes in order. K must not exceed the restarts the job's restart strategy
 * allows: the restore after the K-th failure is the one that fails the video (the job's default
 * strategy allows any number).
 */
final class PoisonDetection {
  private final GenerationOperatorOptions options;
  private final int maxRestoresWithoutProgress;

  /** Task attempt of this operator instance ({@code TaskInfo#getAttemptNumber()}). */
  private final int attempt;

  /**
   * The attempts of this subtask that ran and how they ended ({@link AttemptJournal}), under the
   * checkpoint directory; null without poison detection or without a checkpoint directory.
   */
  private final AttemptJournal journal;

  /** Whether held videos wait for completed checkpoints (poison detection and checkpoints on). */
  private final boolean probation;

  /** Whether this attempt's start is in the journal (so its orderly end goes there too). */
  private boolean journalBegan;

  /**
   * The first checkpoint this attempt took, -1 before it; the journal is pruned at its completion.
   */
  private long firstCheckpoint = -1;

  /** Generating videos held after a restore, in the order they are released. */
  private final List<String> held = new ArrayList<>();

  /** Released restored videos whose progress no checkpoint has seen, with their restore cursor. */
  private final Map<String, Long> unproven = new HashMap<>();

  /** The held video marked RUNNING at {@link #candidateCheckpoint}, released at its completion. */
  private String candidate;

  private long candidateCheckpoint;

  /** Videos found to be poison videos at the restore, with their strikes, failed at a timer. */
  private final Map<String, Integer> poisoned = new LinkedHashMap<>();

  /**
   * Reads the journal ({@code journal} may be null: none); a first attempt (0) forgets its records,
   * which are of an earlier numbering.
   *
   * @param checkpointing whether the job takes checkpoints: held videos are released by completed
   *     ones, so without them none is held
   */
  PoisonDetection(
      GenerationOperatorOptions options,
      int attempt,
      AttemptJournal journal,
      boolean checkpointing) {
    this.options = options;
    this.maxRestoresWithoutProgress = options.maxRestoresWithoutProgress();
    this.attempt = attempt;
    this.journal = journal;
    if (journal != null) {
      if (attempt == 0) {
        journal.forgetBefore(Integer.MAX_VALUE); // a new numbering: the records are not of it
      }
      journal.read();
    }
    this.probation = detects(options) && checkpointing;
  }

  /** Whether restores are counted against videos (poison detection is on). */
  static boolean detects(GenerationOperatorOptions options) {
    return options.maxRestoresWithoutProgress() > 0;
  }

  /** Whether restores are counted against videos (poison detection is on). */
  boolean detects() {
    return maxRestoresWithoutProgress > 0;
  }

  int attempt() {
    return attempt;
  }

  /** The mark of a video that starts (or is released) in this attempt. */
  RestoreMark running(RestoreMark previous) {
    return previous == null ? RestoreMark.started(attempt) : previous.running(attempt);
  }

  /** The strikes of the restored generating videos {@code suspects} ({@link RestoreStrikes}). */
  Map<String, Integer> charge(List<Restored> suspects) {
    return detects()
        ? RestoreStrikes.charge(
            suspects,
            attempt,
            a -> journal == null ? AttemptJournal.Outcome.UNKNOWN : journal.outcome(a),
            options)
        : Map.of();
  }

  /** Whether a generating video with {@code strikes} is a poison video. */
  boolean isPoison(int strikes) {
    return detects() && strikes >= maxRestoresWithoutProgress;
  }

  /** Remembers a poison video, failed at its next timer. */
  void poisoned(String videoId, int strikes) {
    poisoned.put(videoId, strikes);
  }

  /** The strikes of a poison video, forgetting it; null if {@code videoId} is not one. */
  Integer takePoisoned(String videoId) {
    return poisoned.remove(videoId);
  }

  /** The poison videos not failed yet. */
  List<String> poisonedVideos() {
    return List.copyOf(poisoned.keySet());
  }

  int poisonedCount() {
    return poisoned.size();
  }

  /** The restored video that resumes (the most suspect), or null if none is generating. */
  String probe(List<Restored> resumed, Map<String, Integer> strikes) {
    return resumed.stream()
        .min(RestoreStrikes.probeOrder(strikes))
        .map(Restored::videoId)
        .orElse(null);
  }

  /** Whether a resumed restored video is held until a checkpoint completes. */
  boolean holds(String videoId, String probe) {
    return probation && !videoId.equals(probe);
  }

  /** The mark of a restored video in this attempt. */
  RestoreMark restored(boolean hold, int strikes, long cursor) {
    return new RestoreMark(
        hold ? RestoreMark.Stage.HELD : RestoreMark.Stage.RUNNING, strikes, cursor, attempt);
  }

  /** The mark of a restored generating video queued again (above the bound after a rescale). */
  RestoreMark requeued(int strikes, long cursor) {
    return new RestoreMark(RestoreMark.Stage.RUNNING, strikes, cursor, attempt);
  }

  void hold(String videoId) {
    held.add(videoId);
  }

  int heldCount() {
    return held.size();
  }

  /** A restored or released video runs from {@code cursor}: a checkpoint must see it progress. */
  void released(String videoId, long cursor) {
    unproven.put(videoId, cursor);
  }

  /** A video finished or failed. */
  void ended(String videoId) {
    unproven.remove(videoId);
  }

  /** Orders the held videos as {@link RestoreStrikes#probeOrder}: strikes, then arrival. */
  void sortHeld(Map<String, Integer> strikes, ToLongFunction<String> arrival) {
    Map<String, Long> arrivals = new HashMap<>();
    for (String id : held) {
      arrivals.put(id, arrival.applyAsLong(id));
    }
    held.sort(
        Comparator.comparing((String id) -> -strikes.getOrDefault(id, 0))
            .thenComparing(arrivals::get)
            .thenComparing(id -> id));
  }

  /** At end of input every video runs to its end: none is held any more. */
  void releaseAll() {
    held.clear();
    candidate = null;
  }

  /** This attempt began running videos (after the restore): the journal says so. */
  void began() throws IOException {
    if (journal != null) {
      journal.began(attempt);
      journalBegan = true;
    }
  }

  /**
   * The operator closes; {@code inSlice}: in the middle of a video's work, which is not an orderly
   * end.
   */
  void closed(boolean inSlice) {
    if (journalBegan && !inSlice) {
      journal.ended(attempt); // not in the middle of a video's work: cancelled, or finished
      journalBegan = false;
    }
  }

  /**
   * At a checkpoint, with videos held after a restore: once every released restored video has
   * progressed (this checkpoint holds it past its restore cursor; {@code cursor} gives null for a
   * video no longer generating), returns the next held video, which the operator marks RUNNING in
   * this checkpoint; it is released when this checkpoint (or a later one) completes. Else null.
   */
  String checkpoint(long checkpointId, Function<String, Long> cursor) {
    if (firstCheckpoint < 0) {
      firstCheckpoint = checkpointId;
    }
    if (!probation || candidate != null || held.isEmpty()) {
      return null;
    }
    unproven
        .entrySet()
        .removeIf(
            e -> {
              Long at = cursor.apply(e.getKey());
              return at == null || at > e.getValue();
            });
    return unproven.isEmpty() ? held.get(0) : null;
  }

  /** The held video returned by {@link #checkpoint} is marked RUNNING in {@code checkpointId}. */
  void candidate(String videoId, long checkpointId) {
    candidate = videoId;
    candidateCheckpoint = checkpointId;
  }

  /**
   * A checkpoint completed: prunes the journal once restores read a checkpoint of this attempt, and
   * returns the candidate to release (still held, and generating by {@code active}), or null.
   */
  String checkpointCompleted(long checkpointId, Predicate<String> active) {
    if (journal != null && firstCheckpoint >= 0 && checkpointId >= firstCheckpoint) {
      journal.forgetBefore(attempt); // restores now read a checkpoint of this attempt or later
      firstCheckpoint = Long.MAX_VALUE;
    }
    if (candidate == null || checkpointId < candidateCheckpoint) {
      return null;
    }
    String id = candidate;
    candidate = null;
    return held.remove(id) && active.test(id) ? id : null;
  }

  /**
   * A video found in state on restore, with its restore mark (null before poison detection) and
   * cursor (-1 without one): generating ones first, then by arrival.
   */
  record Restored(String videoId, VideoMeta meta, Long timerAt, RestoreMark mark, long cursor) {
    static final Comparator<Restored> ORDER =
        Comparator.comparing((Restored r) -> r.meta().status() != VideoMeta.Status.ACTIVE)
            .thenComparingLong(r -> r.meta().arrival())
            .thenComparing(Restored::videoId);
  }
}
