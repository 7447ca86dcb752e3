package org.tttvideo.operators.generation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.tttvideo.operators.generation.PoisonDetection.Restored;

/**
 * Charges the task failures since a checkpoint to the videos that ran after it: the strikes of each
 * generating video of a restored checkpoint S (see {@link PoisonDetection}, "Poison videos").
 *
 * <p>The attempts since S are {@code a, a + 1, ..., attempt - 1}, where {@code a} is the task
 * attempt that took S (in every mark of S) and {@code attempt} the restoring one; every attempt in
 * between restored S again. Each of them is a failure unless the {@link AttemptJournal} says it
 * never ran (deployed to a lost task manager) or ended in an orderly way (cancelled because another
 * task failed); without a journal, each is. A video ran after S in the attempt that took it if its
 * mark in S is RUNNING (HELD videos are released only by a checkpoint completed after S, which
 * would be restored instead); in each attempt restored from S, only the probe ran (the others were
 * held, and no checkpoint completed to release them). The probe of every such attempt is computed
 * here again from S and the journal, the way the operator chose it, so the charge does not depend
 * on state those attempts could not keep.
 *
 * <p>A video's strikes are reset when S holds it beyond its cursor at its last restore: a
 * checkpoint saw it progress. A long video that lives through unrelated failures, with a checkpoint
 * in between, so keeps at most one strike.
 */
final class RestoreStrikes {
  private RestoreStrikes() {}

  /**
   * The strikes of every video of {@code suspects} (the generating videos of S, in order), with
   * {@code journal} telling what each attempt since S did.
   */
  static Map<String, Integer> charge(
      List<Restored> suspects,
      int attempt,
      IntFunction<AttemptJournal.Outcome> journal,
      GenerationOperatorOptions options) {
    int tookS = -1;
    for (Restored r : suspects) {
      if (r.mark() != null) {
        tookS = Math.max(tookS, r.mark().attempt());
      }
    }
    // Unknown (a checkpoint without marks) or a renumbered attempt (a new job from a checkpoint,
    // a JobManager failover): this restore is the one failure known, and the journal is not of
    // these attempt numbers.
    boolean renumbered = tookS < 0 || attempt <= tookS;
    boolean tookSFailed = renumbered || failed(journal.apply(tookS));
    Map<String, Integer> strikes = new HashMap<>();
    for (Restored r : suspects) {
      RestoreMark m = r.mark();
      int base = m != null && m.cursor() == r.cursor() ? m.strikes() : 0;
      boolean ran = m == null || m.stage() == RestoreMark.Stage.RUNNING;
      strikes.put(r.videoId(), base + (ran && tookSFailed ? 1 : 0));
    }
    int limit = options.maxRestoresWithoutProgress();
    for (int a = tookS + 1; !renumbered && a < attempt; a++) {
      if (!failed(journal.apply(a))) {
        continue;
      }
      List<Restored> resumed = new ArrayList<>();
      for (Restored r : suspects) {
        if (strikes.get(r.videoId()) < limit && resumed.size() < options.maxActiveVideos()) {
          resumed.add(r);
        }
      }
      if (resumed.isEmpty()) {
        break;
      }
      Restored probe = resumed.stream().min(probeOrder(strikes)).orElseThrow();
      strikes.merge(probe.videoId(), 1, Integer::sum);
    }
    return strikes;
  }

  /** Whether an attempt counts as a failure of the videos it ran. */
  private static boolean failed(AttemptJournal.Outcome o) {
    return o == AttemptJournal.Outcome.DIED || o == AttemptJournal.Outcome.UNKNOWN;
  }

  /** Most strikes first (the most suspect video is tried alone first), then by arrival and id. */
  static Comparator<Restored> probeOrder(Map<String, Integer> strikes) {
    return Comparator.comparing((Restored r) -> -strikes.getOrDefault(r.videoId(), 0))
        .thenComparingLong(r -> r.meta().arrival())
        .thenComparing(Restored::videoId);
  }
}
