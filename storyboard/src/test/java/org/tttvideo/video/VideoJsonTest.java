package org.tttvideo.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tttvideo.storyboard.UnsupportedSchemaVersionException;

/**
 * Round trips against the committed golden records of schema version 1 ({@code video/golden/v1/}).
 * A change to the serialized form breaks these tests: add a new version with its own golden files
 * instead of editing the old ones.
 */
class VideoJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static final VideoReady READY =
      new VideoReady(
          "golden-v1",
          "file:/data/videos/golden-v1.mp4",
          "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
          20712,
          6.125,
          8,
          192,
          128,
          2,
          77,
          "small",
          81234);
  static final VideoFailed FAILED =
      new VideoFailed(
          "golden-v1",
          "ENCODING_FAILED",
          "encoding or storing the MP4 failed: width must be even for yuv420p (one chroma sample"
              + " per 2x2 pixels), got 7",
          2,
          5120);
  static final VideoProgress PROGRESS =
      new VideoProgress(
          "golden-v1",
          VideoProgress.Status.GENERATING,
          0,
          3,
          20,
          1,
          2,
          120,
          802,
          41.5,
          1_764_000_000_000L);
  static final VideoProgress QUEUED =
      new VideoProgress(
          "golden-v1", VideoProgress.Status.QUEUED, 3, 0, 20, 0, 2, 0, 802, -1, 1_764_000_000_000L);

  private static byte[] golden(String name) throws IOException {
    try (InputStream in = VideoJsonTest.class.getResourceAsStream("/video/golden/v1/" + name)) {
      assertThat(in).as("golden file %s", name).isNotNull();
      return in.readAllBytes();
    }
  }

  private static JsonNode tree(byte[] json) throws IOException {
    return MAPPER.readTree(json);
  }

  @Test
  void theGoldensReadToTheExpectedRecordsAndAreWhatIsWritten() throws IOException {
    assertThat(VideoJson.read(golden("ready.json"))).isEqualTo(READY);
    assertThat(VideoJson.read(golden("failed.json"))).isEqualTo(FAILED);
    assertThat(VideoJson.read(golden("progress.json"))).isEqualTo(PROGRESS);
    assertThat(VideoJson.read(golden("progress-queued.json"))).isEqualTo(QUEUED);

    assertThat(tree(VideoJson.write(READY))).isEqualTo(tree(golden("ready.json")));
    assertThat(tree(VideoJson.write(FAILED))).isEqualTo(tree(golden("failed.json")));
    assertThat(tree(VideoJson.write(PROGRESS))).isEqualTo(tree(golden("progress.json")));
    assertThat(tree(VideoJson.write(QUEUED))).isEqualTo(tree(golden("progress-queued.json")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ready.json", "failed.json", "progress.json", "progress-queued.json"})
  void recordsRoundTrip(String name) throws IOException {
    Object read = VideoJson.read(golden(name));
    byte[] written;
    if (read instanceof VideoReady r) {
      written = VideoJson.write(r);
    } else if (read instanceof VideoFailed f) {
      written = VideoJson.write(f);
    } else {
      written = VideoJson.write((VideoProgress) read);
    }
    assertThat(tree(written)).isEqualTo(tree(golden(name)));
    assertThat(VideoJson.read(written)).isEqualTo(read);
  }

  @Test
  void typedReadersAcceptTheirTypeOnly() throws IOException {
    assertThat(VideoJson.readReady(golden("ready.json"))).isEqualTo(READY);
    assertThat(VideoJson.readFailed(golden("failed.json"))).isEqualTo(FAILED);
    assertThat(VideoJson.readProgress(golden("progress.json"))).isEqualTo(PROGRESS);
    assertThatThrownBy(() -> VideoJson.readReady(golden("failed.json")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("video record: expected type 'ready', got a VideoFailed record");
    assertThatThrownBy(() -> VideoJson.readProgress(golden("ready.json")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("video record: expected type 'progress', got a VideoReady record");
  }

  @Test
  void unknownSchemaVersionsAreRefusedBeforeAnythingElse() throws IOException {
    for (String name : List.of("ready.json", "failed.json", "progress.json")) {
      ObjectNode n = (ObjectNode) tree(golden(name));
      n.put("schemaVersion", 2);
      n.put("type", "something-new"); // the version is checked first
      byte[] v2 = MAPPER.writeValueAsBytes(n);
      assertThatThrownBy(() -> VideoJson.read(v2))
          .isInstanceOf(UnsupportedSchemaVersionException.class)
          .hasMessage(
              "video record schemaVersion 2 is not supported; this reader knows schemaVersion 1");
      n.remove("schemaVersion");
      byte[] none = MAPPER.writeValueAsBytes(n);
      assertThatThrownBy(() -> VideoJson.read(none))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("video record: schemaVersion (an integer) is required");
    }
  }

  @Test
  void unknownTypesAndStatusesAreRefused() throws IOException {
    ObjectNode n = (ObjectNode) tree(golden("ready.json"));
    n.put("type", "done");
    assertThatThrownBy(() -> VideoJson.read(MAPPER.writeValueAsBytes(n)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("video record: unknown type 'done'; allowed are ready, failed, progress");
    n.remove("type");
    assertThatThrownBy(() -> VideoJson.read(MAPPER.writeValueAsBytes(n)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("video record: field type is missing");

    ObjectNode p = (ObjectNode) tree(golden("progress.json"));
    p.put("status", "PAUSED");
    assertThatThrownBy(() -> VideoJson.read(MAPPER.writeValueAsBytes(p)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "video record (progress): unknown status 'PAUSED'; allowed are [QUEUED, GENERATING,"
                + " DECODING, DONE, FAILED]");
  }

  @Test
  void missingMistypedAndInvalidFieldsAreNamed() throws IOException {
    ObjectNode n = (ObjectNode) tree(golden("ready.json"));
    n.remove("sha256");
    assertThatThrownBy(() -> VideoJson.read(MAPPER.writeValueAsBytes(n)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("video record (ready): field sha256 is missing");
    n.put("sha256", "ABC");
    assertThatThrownBy(() -> VideoJson.read(MAPPER.writeValueAsBytes(n)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("video record (ready): sha256 must be 64 lower-case hex digits, got ABC");
    ObjectNode f = (ObjectNode) tree(golden("failed.json"));
    f.put("segmentsDone", "2");
    assertThatThrownBy(() -> VideoJson.read(MAPPER.writeValueAsBytes(f)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("video record (failed): field segmentsDone must be an integer (32-bit)");
    ObjectNode p = (ObjectNode) tree(golden("progress.json"));
    p.put("unitsDone", 9_000_000_000L);
    p.put("unitsTotal", 10);
    assertThatThrownBy(() -> VideoJson.read(MAPPER.writeValueAsBytes(p)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("video record (progress): unitsDone 9000000000 must be within 0..10");
  }

  @Test
  void badBytesAreRefusedWithAClearError() {
    assertThatThrownBy(
            () -> VideoJson.read("{\"schemaVersion\": 1,".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("video record: not valid JSON: ");
    assertThatThrownBy(() -> VideoJson.read("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("video record: expected a JSON object");
    assertThatThrownBy(() -> VideoJson.read(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("video record: no bytes (a tombstone?)");
  }

  @Test
  void anUnknownEtaIsWrittenAsMinusOne() throws IOException {
    VideoProgress nan =
        new VideoProgress(
            "v", VideoProgress.Status.GENERATING, 0, 0, 1, 0, 1, 0, 1, Double.NaN, 5L);
    JsonNode t = tree(VideoJson.write(nan));
    assertThat(t.get("etaSeconds").doubleValue()).isEqualTo(-1.0);
    assertThat(VideoJson.readProgress(VideoJson.write(nan)).etaSeconds()).isEqualTo(-1.0);
  }
}
