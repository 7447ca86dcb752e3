package org.tttvideo.connectors.kafka;

import org.apache.kafka.common.serialization.Deserializer;
import org.tttvideo.video.VideoFailed;
import org.tttvideo.video.VideoJson;
import org.tttvideo.video.VideoReady;

/**
 * Reads the values of {@code videos} records ({@link VideoJson}, schema version 1) into {@link
 * VideoOutcome}s: for a plain {@code KafkaConsumer} (tests, the command line), or a Flink {@code
 * KafkaSource} through {@code KafkaRecordDeserializationSchema.valueOnly(
 * VideoOutcomeDeserializer.class)}. Read with {@code isolation.level=read_committed}: the job
 * writes {@code videos} in transactions, and only committed records are exactly once.
 *
 * <pre>{@code
 * try (KafkaConsumer<String, VideoOutcome> c =
 *     new KafkaConsumer<>(props, new StringDeserializer(), new VideoOutcomeDeserializer())) { ... }
 * }</pre>
 */
public final class VideoOutcomeDeserializer implements Deserializer<VideoOutcome> {

  /**
   * The outcome, or null for a tombstone (as Kafka's own deserializers do).
   *
   * @throws IllegalArgumentException for a record that is not a {@code ready} or {@code failed}
   *     record of a known schema version
   */
  @Override
  public VideoOutcome deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    Object record = VideoJson.read(data);
    if (record instanceof VideoReady r) {
      return VideoOutcome.of(r);
    }
    if (record instanceof VideoFailed f) {
      return VideoOutcome.of(f);
    }
    throw new IllegalArgumentException(
        "a record of topic "
            + topic
            + " is a "
            + record.getClass().getSimpleName()
            + "; the videos topic holds only ready and failed records");
  }
}
