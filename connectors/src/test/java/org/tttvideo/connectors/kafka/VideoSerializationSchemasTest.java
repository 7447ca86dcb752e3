package org.tttvideo.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.tttvideo.video.VideoFailed;
import org.tttvideo.video.VideoJson;
import org.tttvideo.video.VideoProgress;
import org.tttvideo.video.VideoReady;

class VideoSerializationSchemasTest {
  static final VideoReady READY =
      new VideoReady(
          "vid-1",
          "file:/videos/vid-1.mp4",
          "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
          1234,
          2.125,
          8,
          16,
          16,
          2,
          7,
          "tiny",
          99);
  static final VideoFailed FAILED = new VideoFailed("vid-2", "ENCODING_FAILED", "disk full", 2, 5);
  static final VideoProgress PROGRESS =
      new VideoProgress(
          "vid-1", VideoProgress.Status.DECODING, 0, 4, 4, 1, 2, 99, 100, 0.5, 1_000L);

  private static String header(ProducerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void outcomesAreWrittenAsVersionedJsonKeyedByVideoIdWithTheirType() {
    VideoOutcomeSerializationSchema schema = new VideoOutcomeSerializationSchema("videos");

    ProducerRecord<byte[], byte[]> ready = schema.serialize(VideoOutcome.of(READY), null, 123L);
    assertThat(ready.topic()).isEqualTo("videos");
    assertThat(new String(ready.key(), StandardCharsets.UTF_8)).isEqualTo("vid-1");
    assertThat(ready.timestamp()).isEqualTo(123L);
    assertThat(ready.value()).isEqualTo(VideoJson.write(READY));
    assertThat(header(ready, "schemaVersion")).isEqualTo("1");
    assertThat(header(ready, "type")).isEqualTo("ready");

    ProducerRecord<byte[], byte[]> failed = schema.serialize(VideoOutcome.of(FAILED), null, null);
    assertThat(new String(failed.key(), StandardCharsets.UTF_8)).isEqualTo("vid-2");
    assertThat(failed.value()).isEqualTo(VideoJson.write(FAILED));
    assertThat(header(failed, "type")).isEqualTo("failed");

    VideoOutcomeDeserializer reader = new VideoOutcomeDeserializer();
    assertThat(reader.deserialize("videos", ready.value())).isEqualTo(VideoOutcome.of(READY));
    assertThat(reader.deserialize("videos", failed.value())).isEqualTo(VideoOutcome.of(FAILED));
    assertThat(reader.deserialize("videos", null)).isNull();
    assertThatThrownBy(() -> reader.deserialize("videos", VideoJson.write(PROGRESS)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a record of topic videos is a VideoProgress; the videos topic holds only ready and"
                + " failed records");
  }

  @Test
  void progressIsWrittenAsVersionedJsonKeyedByVideoId() {
    ProducerRecord<byte[], byte[]> r =
        new VideoProgressSerializationSchema("video-progress").serialize(PROGRESS, null, null);
    assertThat(r.topic()).isEqualTo("video-progress");
    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("vid-1");
    assertThat(header(r, "schemaVersion")).isEqualTo("1");
    assertThat(header(r, "type")).isEqualTo("progress");
    VideoProgressDeserializer reader = new VideoProgressDeserializer();
    assertThat(reader.deserialize("video-progress", r.value())).isEqualTo(PROGRESS);
    assertThat(reader.deserialize("video-progress", null)).isNull();
    assertThatThrownBy(() -> reader.deserialize("video-progress", VideoJson.write(READY)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected type 'progress'");
  }

  @Test
  void topicsMustBeNamed() {
    assertThatThrownBy(() -> new VideoOutcomeSerializationSchema(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topic must be given");
    assertThatThrownBy(() -> new VideoProgressSerializationSchema(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topic must be given");
  }

  @Test
  void anOutcomeIsEitherReadyOrFailed() {
    assertThat(VideoOutcome.of(READY).isReady()).isTrue();
    assertThat(VideoOutcome.of(FAILED).videoId()).isEqualTo("vid-2");
    assertThatThrownBy(() -> new VideoOutcome(READY, FAILED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly one of ready and failed");
    assertThatThrownBy(() -> new VideoOutcome(null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The outcome and the progress records travel between operators with Flink's POJO serializer. */
  @Test
  void outcomesAndProgressAreFlinkPojosThatRoundTrip() throws IOException {
    TypeInformation<VideoOutcome> outcome = TypeInformation.of(VideoOutcome.class);
    assertThat(outcome).isInstanceOf(PojoTypeInfo.class);
    assertThat(TypeInformation.of(VideoProgress.class)).isInstanceOf(PojoTypeInfo.class);
    assertThat(roundTrip(outcome, VideoOutcome.of(READY))).isEqualTo(VideoOutcome.of(READY));
    assertThat(roundTrip(outcome, VideoOutcome.of(FAILED))).isEqualTo(VideoOutcome.of(FAILED));
    assertThat(roundTrip(TypeInformation.of(VideoProgress.class), PROGRESS)).isEqualTo(PROGRESS);
  }

  private static <T> T roundTrip(TypeInformation<T> type, T value) throws IOException {
    TypeSerializer<T> s = type.createSerializer(new SerializerConfigImpl());
    assertThat(s.copy(value)).isEqualTo(value);
    DataOutputSerializer out = new DataOutputSerializer(256);
    s.serialize(value, out);
    return s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
  }
}
