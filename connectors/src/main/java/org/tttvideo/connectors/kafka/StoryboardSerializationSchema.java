package org.tttvideo.connectors.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.storyboard.StoryboardJson;

/**
 * Writes valid {@link Storyboard}s as {@link StoryboardJson} (schema version 1), keyed by video id
 * so that every record of one video lands in the same partition, with the header {@code
 * schemaVersion}.
 */
public final class StoryboardSerializationSchema
    implements KafkaRecordSerializationSchema<Storyboard> {
  private static final long serialVersionUID = 1L;

  private final String topic;

  public StoryboardSerializationSchema(String topic) {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("topic must be given");
    }
    this.topic = topic;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      Storyboard storyboard, KafkaSinkContext context, Long timestamp) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        RejectionSerializationSchema.SCHEMA_VERSION_HEADER,
        Integer.toString(StoryboardJson.SCHEMA_VERSION).getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(
        topic,
        null,
        timestamp,
        storyboard.videoId().getBytes(StandardCharsets.UTF_8),
        StoryboardJson.write(storyboard),
        headers);
  }
}
