package org.tttvideo.connectors.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.tttvideo.model.storyboard.Rejection;
import org.tttvideo.model.storyboard.RejectionJson;

/**
 * Writes {@link Rejection}s to {@code storyboards.rejected} as {@link RejectionJson} (schema
 * version 1), keyed by the video id when one is known, with the header {@code schemaVersion}.
 */
public final class RejectionSerializationSchema
    implements KafkaRecordSerializationSchema<Rejection> {
  private static final long serialVersionUID = 1L;

  /** The header that carries the payload's schema version. */
  public static final String SCHEMA_VERSION_HEADER = "schemaVersion";

  private final String topic;

  public RejectionSerializationSchema(String topic) {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("topic must be given");
    }
    this.topic = topic;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      Rejection rejection, KafkaSinkContext context, Long timestamp) {
    byte[] key =
        rejection.videoId().isEmpty() ? null : rejection.videoId().getBytes(StandardCharsets.UTF_8);
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        SCHEMA_VERSION_HEADER,
        Integer.toString(RejectionJson.SCHEMA_VERSION).getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(
        topic, null, timestamp, key, RejectionJson.write(rejection), headers);
  }
}
