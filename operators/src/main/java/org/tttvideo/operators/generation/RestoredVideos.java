package org.tttvideo.operators.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tttvideo.operators.generation.PoisonDetection.Restored;

/**
 * What the generation operator does with the videos a restore brings back, on the decisions of
 * {@link PoisonDetection}: it rebuilds the schedule from the keyed state ({@link #rebuild}), fails
 * the poison videos from their first timer ({@link #failIfPoisoned}) or at the end of input, and
 * releases the held videos one checkpoint at a time ({@link #checkpoint}, {@link
 * #checkpointCompleted}). It drives the operator through Flink's {@link KeyContext} (the operator
 * itself) and the {@link SliceTimers}.
 *
 * <pre>{@code
 * restored = new RestoredVideos(this, getKeyedStateBackend(), states, schedule, poison, live,
 *     slices, failures, options.maxActiveVideos());
 * restored.rebuild(); // in open()
 * }</pre>
 */
record RestoredVideos(
    KeyContext keys,
    KeyedStateBackend<String> backend,
    VideoStates states,
    VideoSchedule schedule,
    PoisonDetection poison,
    Map<String, LiveVideo> live,
    SliceTimers slices,
    FailureReports failures,
    int maxActiveVideos) {
  /** The operator's log category, as its other parts log. */
  private static final Logger LOG = LoggerFactory.getLogger(AbstractStreamOperator.class);

  /**
   * Rebuilds the in-memory schedule from keyed state after a restore: generating videos (up to the
   * bound, oldest first) keep generating, the rest queue in arrival order. After a rescale, a
   * subtask may receive more generating videos than its bound: the youngest are queued again with
   * their progress kept.
   */
  void rebuild() throws Exception {
    List<String> ids;
    try (Stream<String> s = backend.getKeys(VideoStates.META, VoidNamespace.INSTANCE)) {
      ids = s.collect(Collectors.toList());
    }
    if (ids.isEmpty()) {
      return;
    }
    List<Restored> found = new ArrayList<>();
    for (String id : ids) {
      keys.setCurrentKey(id);
      VideoMeta meta = states.meta.value();
      if (meta != null) {
        Long at = states.timerAt.value();
        Long cursor = states.cursor.value();
        found.add(new Restored(id, meta, at, states.mark.value(), cursor == null ? -1 : cursor));
        schedule.restored(meta.arrival(), at);
      }
    }
    found.sort(Restored.ORDER);
    Map<String, Integer> strikes =
        poison.charge(
            found.stream().filter(r -> r.meta().status() == VideoMeta.Status.ACTIVE).toList());
    List<Restored> resumed = new ArrayList<>();
    for (Restored r : found) {
      keys.setCurrentKey(r.videoId());
      int k = strikes.getOrDefault(r.videoId(), 0);
      boolean generating = r.meta().status() == VideoMeta.Status.ACTIVE;
      if (generating && poison.isPoison(k)) {
        slices.deletePending();
        poison.poisoned(r.videoId(), k);
        slices.schedule(); // reported from the first timer: open() emits nothing
      } else if (generating && resumed.size() < maxActiveVideos) {
        resumed.add(r);
      } else {
        if (generating) {
          states.meta.update(r.meta().withStatus(VideoMeta.Status.QUEUED));
          if (poison.detects()) {
            states.mark.update(poison.requeued(k, r.cursor()));
          }
        }
        slices.deletePending();
        schedule.enqueue(r.meta().arrival(), r.videoId());
      }
    }
    // With poison detection and checkpoints, one restored video resumes (the most suspect); the
    // others are held and released one at a time, each once a completed checkpoint holds the
    // previous one's progress, so that the next failure is charged to the right video.
    String probe = poison.probe(resumed, strikes);
    for (Restored r : resumed) {
      keys.setCurrentKey(r.videoId());
      boolean hold = poison.holds(r.videoId(), probe);
      if (poison.detects()) {
        states.mark.update(poison.restored(hold, strikes.getOrDefault(r.videoId(), 0), r.cursor()));
      }
      schedule.started(r.videoId());
      live.put(r.videoId(), new LiveVideo(r.meta(), states.load(r.meta(), r.videoId())));
      if (hold) {
        slices.deletePending();
        poison.hold(r.videoId());
      } else {
        poison.released(r.videoId(), r.cursor());
        if (r.timerAt() == null) {
          slices.schedule();
        }
      }
    }
    poison.sortHeld(strikes, id -> live.get(id).meta.arrival());
    if (schedule.hasQueued() && schedule.hasFreeSlot()) {
      // Starting a video emits records, which open() does not: a timer on the first queued video
      // starts the queue at once instead.
      keys.setCurrentKey(schedule.firstQueued());
      slices.schedule();
    }
    schedule.positionsPending(schedule.hasQueued());
    LOG.info(
        "Restored {} videos in attempt {}: {} generating ({} held until a checkpoint), {} queued,"
            + " {} failed as poison videos; strikes {}",
        found.size(),
        poison.attempt(),
        schedule.activeCount(),
        poison.heldCount(),
        schedule.queuedCount(),
        poison.poisonedCount(),
        strikes);
  }

  /**
   * Fails the current key's video {@code id} if the rebuild found it to be a poison video (from its
   * first timer: open() emits nothing); false if it is not one.
   */
  boolean failIfPoisoned(String id) throws Exception {
    Integer strikes = poison.takePoisoned(id);
    if (strikes == null) {
      return false;
    }
    failPoisoned(id, strikes);
    return true;
  }

  /** At the end of input, fails every poison video not failed yet and releases the held ones. */
  void endOfInput() throws Exception {
    for (String id : poison.poisonedVideos()) {
      keys.setCurrentKey(id);
      slices.deletePending();
      failPoisoned(id, poison.takePoisoned(id));
    }
    poison.releaseAll(); // every video runs to its end
  }

  /**
   * At checkpoint {@code checkpointId}, with videos held after a restore, marks the next held video
   * RUNNING in this checkpoint when {@link PoisonDetection#checkpoint} says so; it is released when
   * this checkpoint (or a later one) completes.
   */
  void checkpoint(long checkpointId) throws Exception {
    String next =
        poison.checkpoint(checkpointId, id -> live.containsKey(id) ? live.get(id).unit() : null);
    if (next != null) {
      Object previousKey = keys.getCurrentKey();
      keys.setCurrentKey(next);
      states.mark.update(poison.running(states.mark.value())); // in this checkpoint
      poison.candidate(next, checkpointId);
      if (previousKey != null) {
        keys.setCurrentKey(previousKey);
      }
    }
  }

  /** Releases the candidate once a checkpoint holding it as RUNNING has completed. */
  void checkpointCompleted(long checkpointId) throws Exception {
    String id = poison.checkpointCompleted(checkpointId, schedule::isActive);
    if (id != null) {
      Object previousKey = keys.getCurrentKey();
      keys.setCurrentKey(id);
      poison.released(id, live.get(id).unit());
      slices.schedule();
      LOG.info("Video {} released after checkpoint {}", id, checkpointId);
      if (previousKey != null) {
        keys.setCurrentKey(previousKey);
      }
    }
  }

  /** Fails the current key's video, found to be a poison video when the schedule was rebuilt. */
  private void failPoisoned(String id, int strikes) throws Exception {
    VideoMeta meta = states.meta.value();
    Long cursor = states.cursor.value();
    long unit = cursor == null ? 0 : cursor;
    states.clear();
    failures.poisoned(id, meta, unit, strikes);
  }
}
