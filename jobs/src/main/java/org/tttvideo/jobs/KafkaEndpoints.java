package org.tttvideo.jobs;

import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.tttvideo.connectors.kafka.ParsedRecord;
import org.tttvideo.connectors.kafka.RejectionSerializationSchema;
import org.tttvideo.connectors.kafka.StoryboardDeserializationSchema;
import org.tttvideo.connectors.kafka.VideoOutcome;
import org.tttvideo.connectors.kafka.VideoOutcomeSerializationSchema;
import org.tttvideo.connectors.kafka.VideoProgressSerializationSchema;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.StoryboardOptions;
import org.tttvideo.video.VideoProgress;

/**
 * The Kafka source and sinks of {@link GenerationJob}, built from {@link GenerationJobOptions}.
 *
 * <ul>
 *   <li>{@code storyboards}: committed offsets of the consumer group (earliest for a new group),
 *       committed on checkpoints; every record becomes a {@link ParsedRecord}, never an exception.
 *   <li>{@code videos} and {@code storyboards.rejected}: exactly once, in Kafka transactions
 *       committed when a checkpoint completes, so every storyboard ends up once in one of them for
 *       a {@code read_committed} reader.
 *   <li>{@code video-progress}: at least once (a duplicate progress record is harmless, and it
 *       shows up without waiting for a checkpoint).
 * </ul>
 */
public final class KafkaEndpoints {
  private KafkaEndpoints() {}

  /** The source of {@code storyboards}. */
  public static KafkaSource<ParsedRecord> storyboards(ReadableConfig c, StoryboardOptions options) {
    return KafkaSource.<ParsedRecord>builder()
        .setBootstrapServers(c.get(GenerationJobOptions.BOOTSTRAP_SERVERS))
        .setTopics(c.get(GenerationJobOptions.TOPIC_STORYBOARDS))
        .setGroupId(c.get(GenerationJobOptions.GROUP_ID))
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new StoryboardDeserializationSchema(options))
        // a storyboard may be as large as the parser accepts; the rejection keeps its beginning
        .setProperty(
            "max.partition.fetch.bytes",
            Integer.toString(Math.max(1 << 20, options.maxPayloadBytes() + 4096)))
        .build();
  }

  /** The exactly-once sink of {@code videos}. */
  public static KafkaSink<VideoOutcome> videos(ReadableConfig c) {
    return KafkaSink.<VideoOutcome>builder()
        .setBootstrapServers(c.get(GenerationJobOptions.BOOTSTRAP_SERVERS))
        .setRecordSerializer(
            new VideoOutcomeSerializationSchema(c.get(GenerationJobOptions.TOPIC_VIDEOS)))
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(c.get(GenerationJobOptions.TRANSACTIONAL_ID_PREFIX) + "-videos")
        .setProperty("transaction.timeout.ms", transactionTimeoutMillis(c))
        .build();
  }

  /**
   * The exactly-once sink of {@code storyboards.rejected}; {@code options} are those the source cut
   * the rejections' payloads with.
   */
  public static KafkaSink<Rejection> rejected(ReadableConfig c, StoryboardOptions options) {
    return KafkaSink.<Rejection>builder()
        .setBootstrapServers(c.get(GenerationJobOptions.BOOTSTRAP_SERVERS))
        .setRecordSerializer(
            new RejectionSerializationSchema(c.get(GenerationJobOptions.TOPIC_REJECTED), options))
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(c.get(GenerationJobOptions.TRANSACTIONAL_ID_PREFIX) + "-rejected")
        // a rejection record is at most storyboard.max-rejected-payload-bytes + 16 KiB (with its
        // key, under 1 MiB: StoryboardOptions caps the option), so the producer's default 1 MiB
        // request limit holds
        .setProperty("transaction.timeout.ms", transactionTimeoutMillis(c))
        .build();
  }

  /** The at-least-once sink of {@code video-progress}. */
  public static KafkaSink<VideoProgress> progress(ReadableConfig c) {
    return KafkaSink.<VideoProgress>builder()
        .setBootstrapServers(c.get(GenerationJobOptions.BOOTSTRAP_SERVERS))
        .setRecordSerializer(
            new VideoProgressSerializationSchema(c.get(GenerationJobOptions.TOPIC_PROGRESS)))
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .build();
  }

  private static String transactionTimeoutMillis(ReadableConfig c) {
    return Long.toString(c.get(GenerationJobOptions.TRANSACTION_TIMEOUT).toMillis());
  }
}
