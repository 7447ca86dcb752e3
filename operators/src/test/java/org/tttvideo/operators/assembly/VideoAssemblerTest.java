package org.tttvideo.operators.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tttvideo.operators.assembly.testutils.AssemblerHarnesses.frames;
import static org.tttvideo.operators.assembly.testutils.AssemblerHarnesses.harness;
import static org.tttvideo.operators.assembly.testutils.AssemblerHarnesses.sha256;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tttvideo.connectors.kafka.VideoOutcome;
import org.tttvideo.connectors.video.Frames;
import org.tttvideo.connectors.video.Mp4Encoder;
import org.tttvideo.connectors.video.Mp4Info;
import org.tttvideo.connectors.video.Mp4Probe;
import org.tttvideo.operators.assembly.testutils.AssemblerHarnesses;
import org.tttvideo.operators.generation.DecodedSegment;
import org.tttvideo.video.VideoFailed;
import org.tttvideo.video.VideoReady;

/**
 * The assembler in Flink's keyed two-input harness: exact output records, the MP4 on disk equal to
 * a direct encoding of the same frames, and no state or timers left afterwards. Generic types
 * (Kryo) are disabled in every harness ({@link AssemblerHarnesses}), so the frames in state must
 * use Flink's POJO serializer. The order between the two inputs is {@link
 * VideoAssemblerOrderingTest}'s.
 */
class VideoAssemblerTest {
  private static final int W = 16;
  private static final int H = 16;
  private static final int FPS = AssemblerHarnesses.FPS;
  private static final long STARTED = 1_000L;

  @TempDir Path dir;

  static DecodedSegment segment(String id, int index, int count, Frames frames) {
    return new DecodedSegment(id, index, count, 42L, "tiny", STARTED, frames);
  }

  private String outputUri() {
    return dir.resolve("videos").toUri().toString();
  }

  private Path videoFile(String id) {
    return dir.resolve("videos").resolve(id + ".mp4");
  }

  @Test
  void framesInStateUseFlinksPojoSerializer() {
    assertThat(VideoAssembler.FRAMES).isInstanceOf(PojoTypeInfo.class);
  }

  @Test
  void segmentsInAnyOrderGiveOneVideoReadyAndNoStateAfterwards() throws Exception {
    Frames s0 = frames(W, H, 9, 0);
    Frames s1 = frames(W, H, 8, 1);
    Frames s2 = frames(W, H, 8, 2);
    try (var h = harness(outputUri())) {
      h.open();
      h.setProcessingTime(STARTED + 4_321);
      h.processElement1(segment("v1", 2, 3, s2), 0);
      h.processElement1(segment("v1", 0, 3, s0), 0);
      assertThat(h.extractOutputValues()).isEmpty();
      assertThat(h.numKeyedStateEntries()).isEqualTo(2); // the segments and the ledger of one key
      h.processElement1(segment("v1", 1, 3, s1), 0);

      Path file = videoFile("v1");
      Path direct = dir.resolve("direct.mp4");
      new Mp4Encoder().encode(List.of(s0, s1, s2), direct);
      assertThat(sha256(file)).isEqualTo(sha256(direct)); // same frames, same bytes
      VideoReady expected =
          new VideoReady(
              "v1",
              file.toUri().toString().replace("file:///", "file:/"),
              sha256(file),
              Files.size(file),
              25 / 8.0,
              FPS,
              W,
              H,
              3,
              42L,
              "tiny",
              4_321);
      assertThat(h.extractOutputValues()).containsExactly(VideoOutcome.of(expected));
      assertThat(Path.of(URI.create(expected.uri()))).isEqualTo(file);

      Mp4Info info = Mp4Probe.probe(file);
      assertThat(info.frameCount()).isEqualTo(25);
      assertThat(info.width()).isEqualTo(W);
      assertThat(info.height()).isEqualTo(H);
      assertThat(info.moovBeforeMdat()).isTrue();

      assertThat(h.numKeyedStateEntries()).isZero();
      assertThat(h.numProcessingTimeTimers()).isZero();
      try (Stream<Path> files = Files.list(dir.resolve("videos"))) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly("v1.mp4");
      }
    }
  }

  @Test
  void interleavedVideosAreKeptApart() throws Exception {
    try (var h = harness(outputUri())) {
      h.open();
      h.processElement1(segment("a", 0, 2, frames(W, H, 9, 10)), 0);
      h.processElement1(segment("b", 0, 1, frames(W, H, 9, 20)), 0);
      h.processElement1(segment("a", 1, 2, frames(W, H, 8, 11)), 0);
      List<VideoOutcome> out = h.extractOutputValues();
      assertThat(out).extracting(VideoOutcome::videoId).containsExactly("b", "a");
      assertThat(out.get(0).ready().segments()).isEqualTo(1);
      assertThat(out.get(1).ready().segments()).isEqualTo(2);
      assertThat(out.get(1).ready().durationSeconds()).isEqualTo(17 / 8.0);
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }

  @Test
  void anEncodingFailureFailsOnlyThatVideo() throws Exception {
    try (var h = harness(outputUri())) {
      h.open();
      h.setProcessingTime(STARTED + 50);
      // 7 pixels wide: yuv420p needs even sizes, so the encoder refuses it
      h.processElement1(segment("odd", 0, 1, frames(7, 8, 9, 0)), 0);
      h.processElement1(segment("fine", 0, 1, frames(W, H, 9, 0)), 0);
      List<VideoOutcome> out = h.extractOutputValues();
      assertThat(out).hasSize(2);
      assertThat(out.get(0))
          .isEqualTo(
              VideoOutcome.of(
                  new VideoFailed(
                      "odd",
                      VideoAssembler.ENCODING_FAILED,
                      "encoding or storing the MP4 failed: width must be even for yuv420p (one"
                          + " chroma sample per 2x2 pixels), got 7; crop or pad the frames to 6"
                          + " or 8",
                      1,
                      50)));
      assertThat(out.get(1).isReady()).isTrue();
      assertThat(h.numKeyedStateEntries()).isZero();
      try (Stream<Path> files = Files.list(dir.resolve("videos"))) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly("fine.mp4");
      }
    }
  }

  @Test
  void aStorageFailureFailsOnlyThatVideo() throws Exception {
    Path notADir = dir.resolve("plain-file");
    Files.writeString(notADir, "not a directory");
    try (var h = harness(notADir.toUri().toString())) {
      h.open();
      h.processElement1(segment("v", 0, 1, frames(W, H, 9, 0)), 0);
      VideoOutcome out = h.extractOutputValues().get(0);
      assertThat(out.isReady()).isFalse();
      assertThat(out.failed().code()).isEqualTo("ENCODING_FAILED");
      assertThat(out.failed().message()).startsWith("encoding or storing the MP4 failed: ");
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }

  @Test
  void aGenerationFailureClearsTheVideosSegmentsAndIsForwarded() throws Exception {
    VideoFailed failed = new VideoFailed("v", "GENERATION_FAILED", "NaN in latents", 1, 900);
    try (var h = harness(outputUri())) {
      h.open();
      h.processElement1(segment("v", 0, 3, frames(W, H, 9, 0)), 0);
      h.processElement1(segment("other", 0, 2, frames(W, H, 9, 0)), 0);
      assertThat(h.numKeyedStateEntries()).isEqualTo(4); // segments and ledger of each video
      h.processElement2(failed, 0);
      assertThat(h.extractOutputValues()).containsExactly(VideoOutcome.of(failed));
      assertThat(h.numKeyedStateEntries()).isEqualTo(2); // only the other video's
      assertThat(Files.exists(videoFile("v"))).isFalse();
    }
  }

  @Test
  void aRestoredAssemblerFinishesWithTheSameBytes() throws Exception {
    Frames s0 = frames(W, H, 9, 5);
    Frames s1 = frames(W, H, 8, 6);

    VideoReady uninterrupted;
    try (var h = harness(dir.resolve("a").toUri().toString())) {
      h.open();
      h.processElement1(segment("v", 0, 2, s0), 0);
      h.processElement1(segment("v", 1, 2, s1), 0);
      uninterrupted = h.extractOutputValues().get(0).ready();
    }

    String restoredDir = dir.resolve("b").toUri().toString();
    OperatorSubtaskState snapshot;
    try (var h = harness(restoredDir)) {
      h.open();
      h.processElement1(segment("v", 0, 2, s0), 0);
      snapshot = h.snapshot(1L, 1L);
    }
    try (var h = harness(restoredDir)) {
      h.initializeState(snapshot);
      h.open();
      assertThat(h.numKeyedStateEntries()).isEqualTo(2);
      h.processElement1(segment("v", 1, 2, s1), 0);
      VideoReady restored = h.extractOutputValues().get(0).ready();
      assertThat(restored.sha256()).isEqualTo(uninterrupted.sha256());
      assertThat(restored.bytes()).isEqualTo(uninterrupted.bytes());
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }

  @Test
  void storingAgainAfterARestartReplacesTheFileWithTheSameBytes() throws Exception {
    Frames s0 = frames(W, H, 9, 7);
    String first;
    try (var h = harness(outputUri())) {
      h.open();
      h.processElement1(segment("v", 0, 1, s0), 0);
      first = h.extractOutputValues().get(0).ready().sha256();
    }
    try (var h = harness(outputUri())) {
      h.open();
      h.processElement1(segment("v", 0, 1, s0), 0);
      assertThat(h.extractOutputValues().get(0).ready().sha256()).isEqualTo(first);
    }
    assertThat(sha256(videoFile("v"))).isEqualTo(first);
  }
}
