package org.tttvideo.jobs.cli;

import org.tttvideo.storyboard.Rejection;
import org.tttvideo.video.VideoFailed;
import org.tttvideo.video.VideoProgress;
import org.tttvideo.video.VideoReady;

/** One record read back from the job's output topics. */
public sealed interface VideoEvent {

  /** The video this event is about; {@code ""} when a rejection names none. */
  String videoId();

  /** A record of {@code video-progress}. */
  record Progress(VideoProgress progress) implements VideoEvent {
    @Override
    public String videoId() {
      return progress.videoId();
    }
  }

  /** A {@link VideoReady} on {@code videos}. */
  record Ready(VideoReady ready) implements VideoEvent {
    @Override
    public String videoId() {
      return ready.videoId();
    }
  }

  /** A {@link VideoFailed} on {@code videos}. */
  record Failed(VideoFailed failed) implements VideoEvent {
    @Override
    public String videoId() {
      return failed.videoId();
    }
  }

  /** A record of {@code storyboards.rejected}. */
  record Rejected(Rejection rejection) implements VideoEvent {
    @Override
    public String videoId() {
      return rejection.videoId();
    }
  }

  /** A record that could not be read (an unknown schema version, not our JSON). */
  record Unreadable(String topic, int partition, long offset, String reason) implements VideoEvent {
    @Override
    public String videoId() {
      return "";
    }
  }
}
