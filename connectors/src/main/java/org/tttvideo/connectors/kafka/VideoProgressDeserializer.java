package org.tttvideo.connectors.kafka;

import org.apache.kafka.common.serialization.Deserializer;
import org.tttvideo.video.VideoJson;
import org.tttvideo.video.VideoProgress;

/**
 * Reads the values of {@code video-progress} records ({@link VideoJson}, schema version 1), for a
 * plain {@code KafkaConsumer} or, through {@code KafkaRecordDeserializationSchema.valueOnly(
 * VideoProgressDeserializer.class)}, a Flink {@code KafkaSource}.
 */
public final class VideoProgressDeserializer implements Deserializer<VideoProgress> {

  /**
   * The progress record, or null for a tombstone.
   *
   * @throws IllegalArgumentException for a record that is not a progress record of a known schema
   *     version
   */
  @Override
  public VideoProgress deserialize(String topic, byte[] data) {
    return data == null ? null : VideoJson.readProgress(data);
  }
}
