package org.tttvideo.jobs.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.tttvideo.video.VideoProgress;

/**
 * Progress bars, one per video in generation, from {@code video-progress} records:
 *
 * <pre>
 * quick-9s-paper-boat  [#########-----------]  45%  step 11/25  segment 2/3  ETA 0:12
 * </pre>
 *
 * On a terminal the bars are redrawn in place below the permanent lines ({@link #note}); otherwise
 * (a pipe, a file, a test) a bar is printed as a plain line when its stage changes, every tenth of
 * the way, and every half minute, so logs stay short.
 */
public final class ProgressView {
  private static final int BAR_WIDTH = 24;
  private static final long PLAIN_REMINDER_MS = 30_000;

  private final PrintWriter out;
  private final boolean ansi;
  private final Map<String, VideoProgress> bars = new LinkedHashMap<>();
  private final Map<String, String> lastPlain = new LinkedHashMap<>();
  private final Map<String, Long> lastPlainAt = new LinkedHashMap<>();
  private int drawn;

  /**
   * @param out where to write
   * @param ansi redraw in place with ANSI escapes (a terminal); false for plain lines
   */
  public ProgressView(PrintWriter out, boolean ansi) {
    this.out = out;
    this.ansi = ansi;
  }

  /** Shows a progress record; DONE and FAILED remove the video's bar. */
  public synchronized void update(VideoProgress p) {
    boolean over =
        p.status() == VideoProgress.Status.DONE || p.status() == VideoProgress.Status.FAILED;
    if (ansi) {
      if (over) {
        bars.remove(p.videoId());
      } else {
        bars.put(p.videoId(), p);
      }
      redraw(null);
      return;
    }
    if (over) {
      lastPlain.remove(p.videoId());
      lastPlainAt.remove(p.videoId());
      return;
    }
    // a new stage or another tenth of the way, or a reminder now and then
    String key = p.status() + "/" + (int) (p.fraction() * 10);
    long now = System.currentTimeMillis();
    long previousAt = lastPlainAt.getOrDefault(p.videoId(), 0L);
    if (!key.equals(lastPlain.get(p.videoId())) || now - previousAt >= PLAIN_REMINDER_MS) {
      out.println(line(p));
      out.flush();
      lastPlain.put(p.videoId(), key);
      lastPlainAt.put(p.videoId(), now);
    }
  }

  /** Prints a permanent line (above the bars on a terminal). */
  public synchronized void note(String line) {
    if (ansi) {
      redraw(line);
    } else {
      out.println(line);
      out.flush();
    }
  }

  /** Removes the bars from the screen (before the closing lines). */
  public synchronized void clear() {
    bars.clear();
    if (ansi) {
      redraw(null);
    }
  }

  private void redraw(String note) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < drawn; i++) {
      b.append("\033[1A\033[2K"); // cursor up one line, erase it
    }
    b.append('\r');
    if (note != null) {
      b.append(note).append('\n');
    }
    for (VideoProgress p : bars.values()) {
      b.append(line(p)).append('\n');
    }
    drawn = bars.size();
    out.print(b);
    out.flush();
  }

  /** One bar: id, bar, percent, stage, step, segment and ETA. */
  public static String line(VideoProgress p) {
    StringBuilder b = new StringBuilder();
    b.append(p.videoId()).append("  [");
    int filled = (int) Math.round(p.fraction() * BAR_WIDTH);
    b.append("#".repeat(Math.max(0, Math.min(BAR_WIDTH, filled))));
    b.append("-".repeat(Math.max(0, BAR_WIDTH - filled)));
    b.append("] ").append(String.format(Locale.ROOT, "%3d%%", (int) (p.fraction() * 100)));
    switch (p.status()) {
      case QUEUED -> b.append("  queued, position ").append(p.queuePosition());
      case GENERATING ->
          b.append("  step ")
              .append(Math.min(p.step() + 1, p.steps()))
              .append('/')
              .append(p.steps())
              .append("  segment ")
              .append(p.segment() + 1)
              .append('/')
              .append(p.segments());
      case DECODING ->
          b.append("  decoding segment ").append(p.segment() + 1).append('/').append(p.segments());
      default -> b.append("  ").append(p.status().name().toLowerCase(Locale.ROOT));
    }
    if (p.etaSeconds() >= 0) {
      b.append("  ETA ").append(duration(p.etaSeconds()));
    }
    return b.toString();
  }

  /** {@code m:ss}, or {@code h:mm:ss} from an hour. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
