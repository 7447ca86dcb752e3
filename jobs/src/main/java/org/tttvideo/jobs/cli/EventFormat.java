package org.tttvideo.jobs.cli;

import java.util.Locale;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.video.VideoFailed;
import org.tttvideo.video.VideoReady;

/** Readable one-line forms of the job's records, for people (the closing lines are for scripts). */
public final class EventFormat {
  private EventFormat() {}

  /** One line for any event. */
  public static String describe(VideoEvent e) {
    if (e instanceof VideoEvent.Progress p) {
      return "progress  " + ProgressView.line(p.progress());
    }
    if (e instanceof VideoEvent.Ready r) {
      return "ready     " + ready(r.ready());
    }
    if (e instanceof VideoEvent.Failed f) {
      return "failed    " + failed(f.failed());
    }
    if (e instanceof VideoEvent.Rejected r) {
      return "rejected  " + rejected(r.rejection());
    }
    VideoEvent.Unreadable u = (VideoEvent.Unreadable) e;
    return "unreadable record "
        + u.topic()
        + "/"
        + u.partition()
        + "@"
        + u.offset()
        + ": "
        + u.reason();
  }

  /** {@code <id> <path> (9.0 s, 192x128 at 8 fps, 123 kB, in 0:42) sha256=<hex>}. */
  public static String ready(VideoReady r) {
    return r.videoId()
        + " "
        + Submissions.displayPath(r.uri())
        + String.format(
            Locale.ROOT,
            " (%.1f s, %dx%d at %d fps, %s, preset %s, made in %s) sha256=%s",
            r.durationSeconds(),
            r.width(),
            r.height(),
            r.fps(),
            bytes(r.bytes()),
            r.modelPreset(),
            ProgressView.duration(r.wallTimeMillis() / 1000.0),
            r.sha256());
  }

  /** {@code <id> <CODE>: <message> (after n segments)}. */
  public static String failed(VideoFailed f) {
    return f.videoId()
        + " "
        + f.code()
        + ": "
        + Submissions.oneLine(f.message())
        + " (after "
        + f.segmentsDone()
        + " segments)";
  }

  /** {@code <id|-> <CODE> <field>: <message> (record <topic>/<partition>@<offset>)}. */
  public static String rejected(Rejection r) {
    String where =
        r.source() == null
            ? ""
            : " (record "
                + r.source().topic()
                + "/"
                + r.source().partition()
                + "@"
                + r.source().offset()
                + ")";
    return (r.videoId().isEmpty() ? "-" : r.videoId())
        + " "
        + r.code()
        + " "
        + r.field()
        + ": "
        + Submissions.oneLine(r.message())
        + where;
  }

  static String bytes(long n) {
    if (n < 10_000) {
      return n + " bytes";
    }
    if (n < 10_000_000) {
      return (n + 500) / 1000 + " kB";
    }
    return (n + 500_000) / 1_000_000 + " MB";
  }
}
