package org.tttvideo.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.tttvideo.storyboard.GenerationSettings;
import org.tttvideo.storyboard.InputForm;
import org.tttvideo.storyboard.Payload;
import org.tttvideo.storyboard.RecordSource;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.RejectionCode;
import org.tttvideo.storyboard.RejectionJson;
import org.tttvideo.storyboard.Segment;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.storyboard.StoryboardFormat;
import org.tttvideo.storyboard.StoryboardJson;

class SerializationSchemasTest {
  static final Storyboard STORYBOARD =
      new Storyboard(
          "vid-1",
          "t",
          StoryboardFormat.STORYBOARD,
          InputForm.JSON,
          5,
          new GenerationSettings(50, 6.0),
          List.of(new Segment(0, "A.", "", true), new Segment(1, "B.", "n", true)),
          "",
          "");
  static final Rejection REJECTION =
      new Rejection(
          RejectionCode.EMPTY_TEXT,
          "segments[1].text",
          "empty",
          "vid-1",
          0,
          Payload.of("{}".getBytes(StandardCharsets.UTF_8), 100),
          new RecordSource("storyboards", 0, 9));

  @Test
  void rejectionsAreWrittenAsVersionedJsonKeyedByVideoId() {
    ProducerRecord<byte[], byte[]> r =
        new RejectionSerializationSchema("storyboards.rejected").serialize(REJECTION, null, 123L);
    assertThat(r.topic()).isEqualTo("storyboards.rejected");
    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("vid-1");
    assertThat(r.timestamp()).isEqualTo(123L);
    assertThat(RejectionJson.read(r.value())).isEqualTo(REJECTION);
    assertThat(new String(r.headers().lastHeader("schemaVersion").value(), StandardCharsets.UTF_8))
        .isEqualTo("1");
    Rejection noId =
        new Rejection(RejectionCode.MALFORMED_JSON, "$", "bad", "", 0, Payload.absent(), null);
    assertThat(new RejectionSerializationSchema("x").serialize(noId, null, null).key()).isNull();
  }

  @Test
  void storyboardsAreWrittenAsVersionedJsonKeyedByVideoId() {
    ProducerRecord<byte[], byte[]> r =
        new StoryboardSerializationSchema("storyboards.valid").serialize(STORYBOARD, null, null);
    assertThat(r.topic()).isEqualTo("storyboards.valid");
    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("vid-1");
    assertThat(StoryboardJson.read(r.value())).isEqualTo(STORYBOARD);
    assertThat(r.headers().lastHeader("schemaVersion").value())
        .isEqualTo("1".getBytes(StandardCharsets.UTF_8));
  }
}
