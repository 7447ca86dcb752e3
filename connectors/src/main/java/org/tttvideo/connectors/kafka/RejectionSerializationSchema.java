package org.tttvideo.connectors.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.RejectionJson;
import org.tttvideo.storyboard.StoryboardOptions;
import org.tttvideo.storyboard.VideoIds;

/**
 * Writes {@link Rejection}s to {@code storyboards.rejected} as {@link RejectionJson} (schema
 * version 1), keyed by the video id when one is known, with the header {@code schemaVersion}.
 *
 * <p>It never throws, and every record it returns fits: the value is at most {@link
 * RejectionJson#maxBytes maxBytes}{@code (storyboard.max-rejected-payload-bytes)}, the key at most
 * {@link RejectionJson#MAX_VIDEO_ID_BYTES}. A rejection that would be larger (which the parser
 * never makes) or that cannot be written becomes a {@link RejectionJson#writeMinimal minimal}
 * rejection (code, video id, source, payload size and SHA-256), so that one odd record cannot fail
 * the sink and restart the job onto itself.
 *
 * <pre>{@code
 * KafkaSink.<Rejection>builder()
 *     .setRecordSerializer(new RejectionSerializationSchema("storyboards.rejected", options))
 *     ...
 * }</pre>
 */
public final class RejectionSerializationSchema
    implements KafkaRecordSerializationSchema<Rejection> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RejectionSerializationSchema.class);

  /** The header that carries the payload's schema version. */
  public static final String SCHEMA_VERSION_HEADER = "schemaVersion";

  private final String topic;
  private final int maxValueBytes;

  /** With the default {@code storyboard.max-rejected-payload-bytes}. */
  public RejectionSerializationSchema(String topic) {
    this(topic, StoryboardOptions.defaults());
  }

  /**
   * @param topic the topic written to
   * @param options the storyboard options the rejections' payloads were cut with
   */
  public RejectionSerializationSchema(String topic, StoryboardOptions options) {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("topic must be given");
    }
    if (options == null) {
      throw new IllegalArgumentException("options must be given");
    }
    this.topic = topic;
    this.maxValueBytes = RejectionJson.maxBytes(options.maxRejectedPayloadBytes());
  }

  /** The most bytes a record value written by this schema takes. */
  public int maxValueBytes() {
    return maxValueBytes;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      Rejection rejection, KafkaSinkContext context, Long timestamp) {
    // a ProducerRecord refuses a negative timestamp; without one the producer sets the time
    Long time = timestamp == null || timestamp < 0 ? null : timestamp;
    String why;
    try {
      byte[] value = RejectionJson.write(rejection);
      if (value.length <= maxValueBytes) {
        String id = RejectionJson.clip(rejection.videoId(), RejectionJson.MAX_VIDEO_ID_BYTES);
        return record(id, value, time);
      }
      why = "the full rejection took " + value.length + " bytes, more than the " + maxValueBytes;
    } catch (RuntimeException | StackOverflowError e) {
      why = "the full rejection could not be written (" + e + ")";
    }
    return minimal(rejection, why, time);
  }

  private ProducerRecord<byte[], byte[]> minimal(Rejection r, String why, Long time) {
    try {
      LOG.warn("writing a minimal rejection for {} from {}: {}", r.code(), r.source(), why);
      String id = VideoIds.isValid(r.videoId()) ? r.videoId() : "";
      return record(id, RejectionJson.writeMinimal(r, why), time);
    } catch (RuntimeException e) {
      // nothing of the rejection can be read (it is null, say); still write that there was one
      LOG.warn("writing a minimal rejection for an unreadable rejection: {}", why, e);
      return record("", RejectionJson.writeMinimal(null, why), time);
    }
  }

  private ProducerRecord<byte[], byte[]> record(String videoId, byte[] value, Long timestamp) {
    byte[] key = videoId.isEmpty() ? null : videoId.getBytes(StandardCharsets.UTF_8);
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        SCHEMA_VERSION_HEADER,
        Integer.toString(RejectionJson.SCHEMA_VERSION).getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(topic, null, timestamp, key, value, headers);
  }
}
