package org.tttvideo.connectors.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.tttvideo.video.VideoJson;
import org.tttvideo.video.VideoProgress;

/**
 * Writes {@link VideoProgress} records to {@code video-progress} as {@link VideoJson} (schema
 * version 1), keyed by video id (so one video's records stay in order in one partition), with the
 * headers {@code schemaVersion} and {@code type} ({@code progress}).
 */
public final class VideoProgressSerializationSchema
    implements KafkaRecordSerializationSchema<VideoProgress> {
  private static final long serialVersionUID = 1L;

  private final String topic;

  public VideoProgressSerializationSchema(String topic) {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("topic must be given");
    }
    this.topic = topic;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      VideoProgress progress, KafkaSinkContext context, Long timestamp) {
    return new ProducerRecord<>(
        topic,
        null,
        timestamp,
        progress.videoId().getBytes(StandardCharsets.UTF_8),
        VideoJson.write(progress),
        VideoOutcomeSerializationSchema.headers(VideoJson.TYPE_PROGRESS));
  }
}
