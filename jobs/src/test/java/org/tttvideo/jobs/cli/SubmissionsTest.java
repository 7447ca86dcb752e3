package org.tttvideo.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.tttvideo.storyboard.Payload;
import org.tttvideo.storyboard.RecordSource;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.RejectionCode;
import org.tttvideo.storyboard.StoryboardParser;
import org.tttvideo.video.VideoFailed;
import org.tttvideo.video.VideoReady;

/** Matching the job's records to what was published, and the closing lines. */
class SubmissionsTest {
  private static final Path EXAMPLES =
      Path.of("").toAbsolutePath().getParent().resolve("examples/storyboards");
  private static final String SHA = "ab".repeat(32);

  private static StoryboardInput input(String label, String text) {
    return new StoryboardInput(label, text.getBytes(StandardCharsets.UTF_8));
  }

  private static VideoReady ready(String id) {
    return new VideoReady(
        id, "file:/tmp/v/" + id + ".mp4", SHA, 1000, 9.125, 8, 192, 128, 3, 42, "small", 9000);
  }

  @Test
  void readyMatchedByVideoIdInInputOrder() {
    Submissions s = new Submissions(new StoryboardParser());
    s.add(input("a.json", "{\"format\": \"plot\", \"videoId\": \"a\", \"text\": \"A fox.\"}"));
    s.add(input("b.json", "{\"format\": \"plot\", \"videoId\": \"b\", \"text\": \"A cat.\"}"));

    assertThat(s.offer(new VideoEvent.Ready(ready("b"))))
        .contains("VIDEO b /tmp/v/b.mp4 sha256=" + SHA);
    assertThat(s.allDone()).isFalse();
    assertThat(s.offer(new VideoEvent.Ready(ready("someone-else")))).isEmpty();
    s.offer(new VideoEvent.Ready(ready("a")));

    assertThat(s.allDone()).isTrue();
    assertThat(s.allVideos()).isTrue();
    assertThat(s.closingLines())
        .containsExactly(
            "VIDEO a /tmp/v/a.mp4 sha256=" + SHA, "VIDEO b /tmp/v/b.mp4 sha256=" + SHA);
  }

  @Test
  void referenceFileHoldsOneSlotPerVideoWithDerivedIds() throws Exception {
    Submissions s = new Submissions(new StoryboardParser());
    Submissions.Submission sub =
        s.add(
            new StoryboardInput(
                "reference-format.json",
                Files.readAllBytes(EXAMPLES.resolve("reference-format.json"))));

    assertThat(sub.slots()).hasSize(2);
    assertThat(sub.slots()).allMatch(slot -> slot.expectedVideoId().startsWith("sb-"));
    assertThat(s.pendingVideoIds()).hasSize(2);
  }

  @Test
  void rejectionMatchedBySourceRecordAndVideoIndex() {
    Submissions s = new Submissions(new StoryboardParser());
    Submissions.Submission bad = s.add(input("bad.json", "{not json"));
    s.published(bad, "storyboards", 1, 17);

    Rejection wrongRecord =
        rejection(RejectionCode.MALFORMED_JSON, "", new RecordSource("storyboards", 1, 16));
    assertThat(s.offer(new VideoEvent.Rejected(wrongRecord))).isEmpty();

    Rejection r =
        rejection(RejectionCode.MALFORMED_JSON, "", new RecordSource("storyboards", 1, 17));
    assertThat(s.offer(new VideoEvent.Rejected(r)))
        .contains("REJECTED - MALFORMED_JSON the record is not JSON: line 1");
    assertThat(s.allDone()).isTrue();
    assertThat(s.allVideos()).isFalse();
  }

  @Test
  void failedVideoGivesAFailedLine() {
    Submissions s = new Submissions(new StoryboardParser());
    s.add(input("a.json", "{\"format\": \"plot\", \"videoId\": \"a\", \"text\": \"A fox.\"}"));

    s.offer(new VideoEvent.Failed(new VideoFailed("a", "ENCODING_FAILED", "no\nencoder", 2, 10)));

    assertThat(s.closingLines()).containsExactly("FAILED a ENCODING_FAILED no encoder");
    assertThat(s.allVideos()).isFalse();
  }

  @Test
  void pendingVideosAreListedAsPending() {
    Submissions s = new Submissions(new StoryboardParser());
    s.add(input("a.json", "{\"format\": \"plot\", \"videoId\": \"a\", \"text\": \"A fox.\"}"));

    assertThat(s.closingLines()).containsExactly("PENDING a a.json");
  }

  private static Rejection rejection(RejectionCode code, String videoId, RecordSource source) {
    return new Rejection(
        code,
        Rejection.ROOT,
        "the record is not JSON:\nline 1",
        videoId,
        0,
        Payload.of("{not json".getBytes(StandardCharsets.UTF_8), 1024),
        source);
  }
}
