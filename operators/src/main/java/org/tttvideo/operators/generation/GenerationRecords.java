package org.tttvideo.operators.generation;

import java.time.Duration;
import org.tttvideo.model.generate.GenerationState;
import org.tttvideo.model.generate.WorkPlan;
import org.tttvideo.model.generate.WorkUnit;
import org.tttvideo.storyboard.Payload;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.RejectionCode;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.storyboard.StoryboardJson;
import org.tttvideo.storyboard.StoryboardOrigin;
import org.tttvideo.video.VideoProgress;

/**
 * The records and messages the generation operator emits, built from what it knows: progress of a
 * generating or queued video, rejections traced to the storyboard's record, and the texts of
 * failures, which name the video, what went wrong and what a user can do. Pure functions, so the
 * operator keeps only the decision of when to emit.
 */
final class GenerationRecords {
  private GenerationRecords() {}

  /** GENERATING, DECODING or DONE progress of a generating video, with an ETA once measured. */
  static VideoProgress progress(String id, LiveVideo v, WorkPlan plan, long now) {
    GenerationState s = v.state;
    WorkUnit u = plan.unit(s.unit());
    int segments = s.request().segments();
    VideoProgress.Status status =
        switch (u.kind()) {
          case DONE -> VideoProgress.Status.DONE;
          case DECODE -> VideoProgress.Status.DECODING;
          default -> VideoProgress.Status.GENERATING;
        };
    long remaining = plan.total() - s.unit();
    double eta =
        u.kind() == WorkUnit.Kind.DONE
            ? 0
            : v.units == 0 ? -1 : remaining * (v.nanos / (double) v.units) / 1e9;
    return new VideoProgress(
        id,
        status,
        0,
        u.step(),
        s.request().steps(),
        u.kind() == WorkUnit.Kind.DONE ? segments - 1 : u.segment(),
        segments,
        s.unit(),
        plan.total(),
        eta,
        now);
  }

  /** QUEUED progress of a video at 1-based {@code position}. */
  static VideoProgress queued(String id, VideoMeta meta, int position, WorkPlan plan, long now) {
    return new VideoProgress(
        id,
        VideoProgress.Status.QUEUED,
        position,
        0,
        meta.request().steps(),
        0,
        meta.request().segments(),
        0,
        plan.total(),
        -1,
        now);
  }

  /** FAILED progress of a video of {@code segments}. */
  static VideoProgress failed(String id, int segments, WorkPlan plan, long now) {
    return new VideoProgress(
        id, VideoProgress.Status.FAILED, 0, 0, 0, 0, segments, 0, plan.total(), -1, now);
  }

  /**
   * A rejection of {@code sb}, traced to its record like a validation rejection (its JSON, cut to
   * {@link GenerationOperator#FALLBACK_PAYLOAD_BYTES}, stands in for a record it lacks).
   */
  static Rejection rejection(Storyboard sb, RejectionCode code, String field, String message) {
    StoryboardOrigin origin = sb.origin();
    return new Rejection(
        code,
        field,
        message,
        sb.videoId(),
        origin == null ? 0 : origin.videoIndex(),
        origin == null
            ? Payload.of(StoryboardJson.write(sb), GenerationOperator.FALLBACK_PAYLOAD_BYTES)
            : origin.payload(),
        origin == null ? null : origin.source());
  }

  /**
   * The rejection of a storyboard whose id is already in use ({@code state}: "queued (position 3)",
   * "generating", "generated", ...): {@link RejectionCode#DUPLICATE_VIDEO_ID} for the same content,
   * {@link RejectionCode#VIDEO_ID_CONFLICT} for another one.
   */
  static Rejection repeated(Storyboard sb, boolean sameContent, String state) {
    String id = sb.videoId();
    String message =
        sameContent
            ? "videoId '"
                + id
                + "' is already "
                + state
                + " with the same content; a video is generated once, and its one outcome on"
                + " the videos topic (VideoReady or VideoFailed, under this id) answers this"
                + " storyboard too"
            : "videoId '"
                + id
                + "' is already "
                + state
                + " with different content; a video id names one video and a finished video is"
                + " never replaced: give this storyboard another videoId, or leave videoId out to"
                + " have one derived from its content";
    return rejection(
        sb,
        sameContent ? RejectionCode.DUPLICATE_VIDEO_ID : RejectionCode.VIDEO_ID_CONFLICT,
        "videoId",
        message);
  }

  /** The rejection of a storyboard that found the queue of {@code queued} videos full. */
  static Rejection queueFull(Storyboard sb, int queued, Duration timeout) {
    return rejection(
        sb,
        RejectionCode.QUEUE_FULL,
        Rejection.ROOT,
        "the generation subtask of video '"
            + sb.videoId()
            + "' holds "
            + queued
            + " queued videos, the most it queues (generation.max-queued-videos), and the"
            + " queue stayed full for "
            + timeout
            + " (generation.queue-full-timeout); nothing was generated: submit it again later");
  }

  /** Why a video was given up as a poison video after {@code strikes} failures at {@code unit}. */
  static String poison(String id, int strikes, long unit, WorkPlan plan, int maxRestores) {
    return "video '"
        + id
        + "' was generating when its task failed "
        + strikes
        + " times in a row without a checkpoint seeing it get past unit "
        + unit
        + " of "
        + plan.total()
        + " ("
        + plan.unit(unit)
        + "), the most generation.max-restores-without-progress allows ("
        + maxRestores
        + "); it is given up so that the other videos and the job go on (a task manager"
        + " that runs out of memory or crashes while generating it is the usual cause)";
  }

  /** What a user can do about a failure of {@code code}. */
  static String advice(String code) {
    return switch (code) {
      case GenerationOperator.OUT_OF_MEMORY_CODE ->
          "; the model ran out of memory for this video, whose state was dropped (a video with"
              + " fewer segments, or task managers with more memory or fewer"
              + " generation.max-active-videos, may fit)";
      case GenerationOperator.STACK_OVERFLOW_CODE ->
          "; the model's call stack overflowed on this video";
      default -> "";
    };
  }

  static String describe(Throwable e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /** {@code bytes} as megabytes (10^6) with one decimal, for the log. */
  static String megabytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
