package org.tttvideo.jobs.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tttvideo.storyboard.ParseOutcome;
import org.tttvideo.storyboard.ParseResult;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.StoryboardParser;
import org.tttvideo.video.VideoFailed;
import org.tttvideo.video.VideoReady;

/**
 * The storyboards this command published and what became of each: matches the job's records to them
 * and writes the closing lines for scripts.
 *
 * <p>Each published record is parsed here first with the job's parser and options, which tells how
 * many videos it holds and their ids (an id left out is derived from the content, the same here as
 * in the job). A {@link VideoReady} or {@link VideoFailed} is matched by video id; a {@link
 * Rejection} by the topic, partition and offset of the record it came from (which it carries) and
 * the position of the video in that record, or else by video id.
 *
 * <p>Closing lines, one per video in input order:
 *
 * <pre>
 * VIDEO &lt;videoId&gt; &lt;path&gt; sha256=&lt;hex&gt;
 * REJECTED &lt;videoId|-&gt; &lt;CODE&gt; &lt;message&gt;
 * FAILED &lt;videoId&gt; &lt;CODE&gt; &lt;message&gt;
 * </pre>
 */
public final class Submissions {

  /** One video expected from a published record. */
  public static final class Slot {
    private final String expectedVideoId;
    private String line;
    private boolean video;

    Slot(String expectedVideoId) {
      this.expectedVideoId = expectedVideoId;
    }

    /** The video id the local parse found; {@code ""} when the record or video was unreadable. */
    public String expectedVideoId() {
      return expectedVideoId;
    }

    /** The closing line, or null while the video is pending. */
    public String line() {
      return line;
    }

    public boolean done() {
      return line != null;
    }
  }

  /** One published record. */
  public static final class Submission {
    private final String label;
    private final List<Slot> slots;
    private String topic;
    private int partition = -1;
    private long offset = -1;

    Submission(String label, List<Slot> slots) {
      this.label = label;
      this.slots = List.copyOf(slots);
    }

    public String label() {
      return label;
    }

    public List<Slot> slots() {
      return slots;
    }

    public int partition() {
      return partition;
    }

    public long offset() {
      return offset;
    }
  }

  private final StoryboardParser parser;
  private final List<Submission> submissions = new ArrayList<>();

  /**
   * @param parser the job's parser (same options), used to find the videos of each record
   */
  public Submissions(StoryboardParser parser) {
    this.parser = parser;
  }

  /** Adds a record about to be published; returns it so its position can be set when acked. */
  public Submission add(StoryboardInput input) {
    ParseResult parsed = parser.parse(input.value());
    List<Slot> slots = new ArrayList<>();
    for (ParseOutcome o : parsed.outcomes()) {
      slots.add(new Slot(o.isOk() ? o.storyboard().videoId() : o.rejection().videoId()));
    }
    Submission s = new Submission(input.label(), slots);
    submissions.add(s);
    return s;
  }

  /** Records where Kafka stored the submission. */
  public void published(Submission s, String topic, int partition, long offset) {
    s.topic = topic;
    s.partition = partition;
    s.offset = offset;
  }

  public List<Submission> all() {
    return List.copyOf(submissions);
  }

  /** The video ids still pending, in input order (ids of videos not yet matched). */
  public List<String> pendingVideoIds() {
    List<String> out = new ArrayList<>();
    for (Submission s : submissions) {
      for (Slot slot : s.slots) {
        if (!slot.done() && !slot.expectedVideoId.isEmpty()) {
          out.add(slot.expectedVideoId);
        }
      }
    }
    return out;
  }

  /** Whether {@code videoId} is a video of one of the submissions. */
  public boolean expects(String videoId) {
    return submissions.stream()
        .flatMap(s -> s.slots.stream())
        .anyMatch(slot -> slot.expectedVideoId.equals(videoId));
  }

  public boolean allDone() {
    return submissions.stream().flatMap(s -> s.slots.stream()).allMatch(Slot::done);
  }

  /** Whether every slot ended in a video. */
  public boolean allVideos() {
    return submissions.stream().flatMap(s -> s.slots.stream()).allMatch(slot -> slot.video);
  }

  /**
   * Matches an outcome record to a pending video; returns the closing line it gave, or empty when
   * the record is about a video of someone else (or one already matched).
   */
  public Optional<String> offer(VideoEvent event) {
    if (event instanceof VideoEvent.Ready r) {
      return resolveById(r.videoId(), videoLine(r.ready()), true);
    }
    if (event instanceof VideoEvent.Failed f) {
      return resolveById(f.videoId(), failedLine(f.failed()), false);
    }
    if (event instanceof VideoEvent.Rejected rj) {
      return offerRejection(rj.rejection());
    }
    return Optional.empty();
  }

  private Optional<String> offerRejection(Rejection r) {
    String line = rejectedLine(r);
    if (r.source() != null) {
      for (Submission s : submissions) {
        if (s.partition == r.source().partition()
            && s.offset == r.source().offset()
            && r.source().topic().equals(s.topic)) {
          Slot slot = pick(s, r);
          if (slot == null) {
            return Optional.empty();
          }
          slot.line = line;
          if (Rejection.ROOT.equals(r.field())) {
            // the record as a whole was refused: none of its videos comes
            s.slots.stream().filter(x -> !x.done()).forEach(x -> x.line = line);
          }
          return Optional.of(line);
        }
      }
    }
    if (!r.videoId().isEmpty()) {
      return resolveById(r.videoId(), line, false);
    }
    return Optional.empty();
  }

  private static Slot pick(Submission s, Rejection r) {
    if (!r.videoId().isEmpty()) {
      for (Slot slot : s.slots) {
        if (!slot.done() && slot.expectedVideoId.equals(r.videoId())) {
          return slot;
        }
      }
    }
    if (r.videoIndex() < s.slots.size() && !s.slots.get(r.videoIndex()).done()) {
      return s.slots.get(r.videoIndex());
    }
    return s.slots.stream().filter(x -> !x.done()).findFirst().orElse(null);
  }

  private Optional<String> resolveById(String videoId, String line, boolean video) {
    for (Submission s : submissions) {
      for (Slot slot : s.slots) {
        if (!slot.done() && slot.expectedVideoId.equals(videoId)) {
          slot.line = line;
          slot.video = video;
          return Optional.of(line);
        }
      }
    }
    return Optional.empty();
  }

  /** The closing lines in input order; pending videos are reported as {@code PENDING}. */
  public List<String> closingLines() {
    List<String> out = new ArrayList<>();
    for (Submission s : submissions) {
      for (Slot slot : s.slots) {
        out.add(
            slot.done()
                ? slot.line
                : "PENDING "
                    + (slot.expectedVideoId.isEmpty() ? "-" : slot.expectedVideoId)
                    + " "
                    + s.label);
      }
    }
    return out;
  }

  /** {@code VIDEO <videoId> <path> sha256=<hex>}; a {@code file:} URI is shown as a local path. */
  public static String videoLine(VideoReady r) {
    return "VIDEO " + r.videoId() + " " + displayPath(r.uri()) + " sha256=" + r.sha256();
  }

  /** {@code REJECTED <videoId|-> <CODE> <message>}. */
  public static String rejectedLine(Rejection r) {
    return "REJECTED "
        + (r.videoId().isEmpty() ? "-" : r.videoId())
        + " "
        + r.code()
        + " "
        + oneLine(r.message());
  }

  /** {@code FAILED <videoId> <CODE> <message>}. */
  public static String failedLine(VideoFailed f) {
    return "FAILED " + f.videoId() + " " + f.code() + " " + oneLine(f.message());
  }

  /** A local path for a {@code file:} URI, else the URI itself. */
  public static String displayPath(String uri) {
    try {
      URI u = URI.create(uri);
      if ("file".equals(u.getScheme())) {
        return Path.of(u).toString();
      }
    } catch (IllegalArgumentException e) {
      // not a URI we can turn into a path: show it as it is
    }
    return uri;
  }

  static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }
}
