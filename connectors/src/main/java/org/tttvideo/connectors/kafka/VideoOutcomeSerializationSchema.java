package org.tttvideo.connectors.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.tttvideo.video.VideoJson;

/**
 * Writes {@link VideoOutcome}s to {@code videos} as {@link VideoJson} (schema version 1), keyed by
 * video id, with the headers {@code schemaVersion} and {@code type} ({@code ready} or {@code
 * failed}).
 *
 * <pre>{@code
 * KafkaSink.<VideoOutcome>builder()
 *     .setRecordSerializer(new VideoOutcomeSerializationSchema("videos"))
 *     .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
 *     ...
 * }</pre>
 */
public final class VideoOutcomeSerializationSchema
    implements KafkaRecordSerializationSchema<VideoOutcome> {
  private static final long serialVersionUID = 1L;

  /** The header that names the record's type. */
  public static final String TYPE_HEADER = "type";

  private final String topic;

  public VideoOutcomeSerializationSchema(String topic) {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("topic must be given");
    }
    this.topic = topic;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      VideoOutcome outcome, KafkaSinkContext context, Long timestamp) {
    byte[] value =
        outcome.isReady() ? VideoJson.write(outcome.ready()) : VideoJson.write(outcome.failed());
    return new ProducerRecord<>(
        topic,
        null,
        timestamp,
        outcome.videoId().getBytes(StandardCharsets.UTF_8),
        value,
        headers(outcome.isReady() ? VideoJson.TYPE_READY : VideoJson.TYPE_FAILED));
  }

  /** The headers {@code schemaVersion} and {@code type}. */
  static RecordHeaders headers(String type) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        RejectionSerializationSchema.SCHEMA_VERSION_HEADER,
        Integer.toString(VideoJson.SCHEMA_VERSION).getBytes(StandardCharsets.UTF_8));
    headers.add(TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
    return headers;
  }
}
