package org.tttvideo.operators.generation;

import java.time.Duration;
import java.util.function.IntSupplier;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.RejectionCode;
import org.tttvideo.storyboard.Storyboard;

/**
 * Which video ids a generation subtask holds: the ids of queued and generating videos (their {@link
 * VideoMeta}) and of finished ones (their {@link FinishedVideo} marker, kept for the retention),
 * and the rejection of a storyboard whose id is taken. It keeps the markers' retention timers (the
 * operator's timer service {@value GenerationOperator#RETENTION_TIMER_SERVICE}) and acts on the
 * current key of the operator's keyed state.
 *
 * <h2>Video ids</h2>
 *
 * A video id names one video, generated once: every storyboard in ends in exactly one record of
 * {@code videos} or {@code storyboards.rejected}, and a finished video is never overwritten. The
 * content of a storyboard is its {@link VideoFingerprint} (SHA-256 of what decides the bytes:
 * prompts, negative prompts, seed, steps, guidance; not the title or the input format). A
 * storyboard whose id is
 *
 * <ul>
 *   <li>queued or generating with the same content: {@link RejectionCode#DUPLICATE_VIDEO_ID}. The
 *       first storyboard's one outcome on {@code videos} is the answer for both (publishing the
 *       video twice would break "one record per video id");
 *   <li>finished (generated, or failed here) with the same content: {@link
 *       RejectionCode#DUPLICATE_VIDEO_ID}; its outcome was published. A video is not generated
 *       again, even after a failure: to try again, submit it under another id;
 *   <li>queued, generating or finished with different content: {@link
 *       RejectionCode#VIDEO_ID_CONFLICT}, the video in use is not touched.
 * </ul>
 *
 * The rejection goes to {@link GenerationOperator#REJECTED}, traced to the storyboard's record
 * through {@link Storyboard#origin()} (source, position, payload), so a client matching rejections
 * by source finds it. The markers grow with the ids ever seen by the subtask (about 100-200 bytes
 * each in RocksDB with the key: a million videos, some 200 MB); {@link
 * GenerationOperatorOptions#finishedRetention()} bounds them, at the price that an id older than
 * the retention is generated again and its MP4 replaced. Markers are not touched when the schedule
 * is rebuilt, so they do not slow restores.
 */
final class VideoIdLedger implements Triggerable<String, VoidNamespace> {
  private final ValueState<FinishedVideo> done;
  private final Duration retention;
  private InternalTimerService<VoidNamespace> timers;

  /** The markers in {@code done}, kept for {@code retention} (zero: for ever). */
  VideoIdLedger(ValueState<FinishedVideo> done, Duration retention) {
    this.done = done;
    this.retention = retention;
  }

  /** The timer service of the retention timers, whose triggerable is this (set once, in open). */
  void timers(InternalTimerService<VoidNamespace> timers) {
    this.timers = timers;
  }

  /**
   * The rejection of {@code sb} if its id is taken, by a queued or generating video ({@code
   * existing}, at {@code position} when queued) or by a finished one; null if it is free.
   */
  Rejection rejectionIfTaken(
      Storyboard sb, VideoFingerprint content, VideoMeta existing, IntSupplier position, long now)
      throws Exception {
    if (existing != null) {
      return GenerationRecords.repeated(
          sb,
          content.equals(VideoFingerprint.of(existing.request())),
          existing.status() == VideoMeta.Status.QUEUED
              ? "queued (position " + position.getAsInt() + ")"
              : "generating");
    }
    FinishedVideo finished = marker(now);
    if (finished != null) {
      return GenerationRecords.repeated(
          sb,
          content.equals(finished.fingerprint()),
          finished.outcome() == FinishedVideo.Outcome.GENERATED
              ? "generated"
              : "failed (" + finished.code() + ")");
    }
    return null;
  }

  /** Remembers that the current key's video ended (see {@link FinishedVideo}). */
  void finished(FinishedVideo.Outcome outcome, String code, VideoFingerprint content, long now)
      throws Exception {
    done.update(new FinishedVideo(outcome, code, content, now));
    if (!retention.isZero()) {
      timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, now + retention.toMillis());
    }
  }

  /** The current key's finished-video marker, or null (also when its retention has passed). */
  private FinishedVideo marker(long now) throws Exception {
    FinishedVideo f = done.value();
    if (f != null && expired(f, now)) {
      done.clear(); // its timer may not have fired yet
      return null;
    }
    return f;
  }

  private boolean expired(FinishedVideo f, long now) {
    return !retention.isZero() && now - f.finishedAtMillis() >= retention.toMillis();
  }

  @Override
  public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
    // Only processing-time timers are registered.
  }

  /** Forgets the current key's finished video when its retention has passed. */
  @Override
  public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
    FinishedVideo f = done.value();
    if (f == null) {
      return;
    }
    if (expired(f, timer.getTimestamp())) {
      done.clear();
    } else if (!retention.isZero()) {
      // finished again since, or the retention was made longer after a restore
      timers.registerProcessingTimeTimer(
          VoidNamespace.INSTANCE, f.finishedAtMillis() + retention.toMillis());
    }
  }
}
