package org.tttvideo.storyboard;

/**
 * Where an input record came from, so that a rejection can be traced back to it.
 *
 * @param topic Kafka topic, or for the check command the file name
 * @param partition Kafka partition, -1 when not from Kafka
 * @param offset Kafka offset, -1 when not from Kafka
 */
public record RecordSource(String topic, int partition, long offset) {
  public RecordSource {
    if (topic == null) {
      throw new IllegalArgumentException("topic must not be null");
    }
    if (partition < -1 || offset < -1) {
      throw new IllegalArgumentException(
          "partition and offset must be >= -1, were " + partition + ", " + offset);
    }
  }
}
