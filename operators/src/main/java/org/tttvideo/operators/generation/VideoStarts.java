package org.tttvideo.operators.generation;

import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tttvideo.model.generate.GenerationState;
import org.tttvideo.model.generate.Generator;
import org.tttvideo.model.generate.StateSize;
import org.tttvideo.video.VideoProgress;

/**
 * How videos start on a generation subtask, on the decisions of {@link VideoSchedule}: an arriving
 * video finds a place in a full queue after a wait or not at all ({@link #awaitPlaceInQueue}, the
 * policy is {@link Admission}'s), starts at once when a slot is free, else it queues ({@link
 * #arrive}); a queued video starts when a slot frees ({@link #fillSlots}), from the model's {@link
 * Generator#start} or, queued again after a rescale, from its keyed state; and the queued videos
 * hear of their new positions as the queue moves (QUEUED progress records). A start writes the
 * video's state, its in-memory {@link LiveVideo} and its first slice timer, and emits its first
 * progress record.
 *
 * <pre>{@code
 * starts.arrive(id, meta); // processElement
 * starts.fillSlots();      // after a video ended
 * }</pre>
 */
record VideoStarts(
    KeyContext keys,
    Generator generator,
    VideoStates states,
    VideoSchedule schedule,
    Admission admission,
    PoisonDetection poison,
    Map<String, LiveVideo> live,
    SliceTimers slices,
    FailureReports failures,
    Output<StreamRecord<DecodedSegment>> output,
    LongSupplier clock) {
  /** The operator's log category, as its other parts log. */
  private static final Logger LOG = LoggerFactory.getLogger(AbstractStreamOperator.class);

  /**
   * Waits, while the queue is full, for a place ({@link Admission#awaitPlaceInQueue}); restores the
   * current key, which the slices run meanwhile change.
   */
  boolean awaitPlaceInQueue() throws Exception {
    Object key = keys.getCurrentKey();
    try {
      return admission.awaitPlaceInQueue(slices.draining());
    } finally {
      keys.setCurrentKey(key);
    }
  }

  /** Starts the current key's new video {@code id} if a slot is free, else queues it. */
  void arrive(String id, VideoMeta meta) throws Exception {
    if (schedule.hasFreeSlot()) {
      activate(id, meta);
    } else {
      states.meta.update(meta);
      schedule.enqueue(meta.arrival(), id);
      emit(
          GenerationRecords.queued(
              id, meta, schedule.queuedCount(), meta.plan(generator.config()), clock.getAsLong()));
    }
  }

  /** Starts (or resumes) the current key's video; false if starting it failed the video. */
  boolean activate(String id, VideoMeta queued) throws Exception {
    VideoMeta meta = queued.withStatus(VideoMeta.Status.ACTIVE);
    states.meta.update(meta);
    if (poison.detects()) {
      states.mark.update(poison.running(states.mark.value()));
    }
    GenerationState state;
    if (states.started()) {
      state = states.load(meta, id); // queued again after a rescale; continues from its cursor
    } else {
      try {
        state = generator.start(meta.request());
      } catch (RuntimeException | Error e) {
        String code = ModelFailures.codeOrRethrow(e);
        states.clear();
        failures.startFailed(id, meta, code, e);
        return false;
      }
      states.writeAll(state);
    }
    LiveVideo v = new LiveVideo(meta, state);
    v.peakStateBytes = StateSize.of(state);
    LOG.info(
        "Video {}: {} segments on '{}'; its keyed state is {} now and about {} at most (while a"
            + " denoising step is in its blocks), written into every checkpoint",
        id,
        meta.request().segments(),
        generator.config().name(),
        GenerationRecords.megabytes(v.peakStateBytes),
        GenerationRecords.megabytes(
            StateSize.peakEstimate(generator.config(), meta.request().segments())));
    live.put(id, v);
    schedule.started(id);
    slices.schedule();
    emit(progress(id, v));
    v.lastProgressAt = clock.getAsLong();
    return true;
  }

  /** Starts queued videos while slots are free, then reports the new queue positions. */
  void fillSlots() throws Exception {
    if (!schedule.hasQueued() || !schedule.hasFreeSlot()) {
      return;
    }
    Object previousKey = keys.getCurrentKey();
    int moved = 0;
    while (schedule.hasFreeSlot() && schedule.hasQueued()) {
      String next = schedule.pollQueued();
      moved++;
      admission.queueMoved();
      keys.setCurrentKey(next);
      VideoMeta meta = states.meta.value();
      if (meta == null) {
        LOG.warn("Queued video {} has no state; skipped", next);
        continue;
      }
      activate(next, meta);
    }
    reportQueuePositions(moved);
    keys.setCurrentKey(previousKey);
  }

  /**
   * QUEUED records for the queued videos after the queue moved up by {@code moved} places (all of
   * them when {@code moved} is negative; see {@link VideoSchedule#positionsToReport}); changes the
   * current key.
   */
  private void reportQueuePositions(int moved) throws Exception {
    for (VideoSchedule.Position p : schedule.positionsToReport(moved)) {
      keys.setCurrentKey(p.videoId());
      VideoMeta meta = states.meta.value();
      emit(
          GenerationRecords.queued(
              p.videoId(), meta, p.position(), meta.plan(generator.config()), clock.getAsLong()));
    }
  }

  /** Reports positions that changed in {@code open()}, where no record is emitted. */
  void reportPendingPositions() throws Exception {
    if (schedule.positionsPending()) {
      Object previousKey = keys.getCurrentKey();
      reportQueuePositions(-1);
      keys.setCurrentKey(previousKey);
    }
  }

  /** The progress record of the generating video {@code id} now. */
  VideoProgress progress(String id, LiveVideo v) {
    return GenerationRecords.progress(id, v, generator.plan(v.state), clock.getAsLong());
  }

  private void emit(VideoProgress p) {
    output.collect(GenerationOperator.PROGRESS, new StreamRecord<>(p));
  }
}
