package org.tttvideo.jobs.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.tttvideo.connectors.kafka.VideoOutcome;
import org.tttvideo.connectors.kafka.VideoOutcomeDeserializer;
import org.tttvideo.connectors.kafka.VideoProgressDeserializer;
import org.tttvideo.storyboard.RejectionJson;

/**
 * Follows the job's three output topics ({@code videos}, {@code video-progress}, {@code
 * storyboards.rejected}) with one consumer that assigns every partition itself (no consumer group,
 * nothing committed) and turns each record into a {@link VideoEvent}; a record it cannot read
 * becomes {@link VideoEvent.Unreadable}, never an exception.
 *
 * <pre>{@code
 * try (OutputFollower f = OutputFollower.atEnd(clients, topics)) {   // before publishing
 *   publish(...);
 *   for (VideoEvent e : f.poll(Duration.ofMillis(200))) { ... }
 * }
 * }</pre>
 */
public final class OutputFollower implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Topics topics;
  private final VideoOutcomeDeserializer outcomes = new VideoOutcomeDeserializer();
  private final VideoProgressDeserializer progress = new VideoProgressDeserializer();

  private OutputFollower(KafkaConsumer<byte[], byte[]> consumer, Topics topics) {
    this.consumer = consumer;
    this.topics = topics;
  }

  /** Follows from the current end of each topic: only records written from now on. */
  public static OutputFollower atEnd(KafkaClients clients, Topics topics) {
    return open(clients, topics, false);
  }

  /** Follows from the beginning of each topic. */
  public static OutputFollower fromBeginning(KafkaClients clients, Topics topics) {
    return open(clients, topics, true);
  }

  private static OutputFollower open(KafkaClients clients, Topics topics, boolean beginning) {
    KafkaConsumer<byte[], byte[]> consumer = clients.consumer();
    try {
      List<TopicPartition> parts = new ArrayList<>();
      for (String t : List.of(topics.videos(), topics.progress(), topics.rejected())) {
        List<PartitionInfo> infos = consumer.partitionsFor(t, KafkaClients.REACH_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
          throw new CliException(
              CliException.FAILURE,
              "Kafka at " + clients.bootstrapServers() + " has no topic " + t);
        }
        infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
      }
      consumer.assign(parts);
      if (beginning) {
        consumer.seekToBeginning(parts);
      } else {
        consumer.seekToEnd(parts);
      }
      // resolve the positions now, so that records written after this call are not skipped
      for (TopicPartition p : parts) {
        consumer.position(p, KafkaClients.REACH_TIMEOUT);
      }
      return new OutputFollower(consumer, topics);
    } catch (RuntimeException e) {
      consumer.close(Duration.ofSeconds(2));
      if (e instanceof CliException) {
        throw e;
      }
      throw new CliException(
          CliException.FAILURE,
          "cannot read the job's topics from Kafka at "
              + clients.bootstrapServers()
              + ": "
              + KafkaClients.rootMessage(e),
          e);
    }
  }

  /** The records that arrived within {@code timeout}, in arrival order per partition. */
  public List<VideoEvent> poll(Duration timeout) {
    List<VideoEvent> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
      if (r.value() == null) {
        continue;
      }
      out.add(decode(r));
    }
    return out;
  }

  /**
   * The records from the current positions up to the end of each topic as it is now (the last
   * stable offset, for this read_committed consumer); later records are left for {@link #poll}.
   */
  public List<VideoEvent> drainToEnd(Duration timeout) {
    Set<TopicPartition> parts = consumer.assignment();
    Map<TopicPartition, Long> ends = consumer.endOffsets(parts, KafkaClients.REACH_TIMEOUT);
    List<VideoEvent> out = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (KafkaClients.behindEnd(consumer, parts, ends)) {
      if (System.nanoTime() > deadline) {
        throw new CliException(
            CliException.FAILURE,
            "reading the job's earlier output took longer than " + timeout.toSeconds() + " s");
      }
      out.addAll(poll(Duration.ofMillis(200)));
    }
    return out;
  }

  VideoEvent decode(ConsumerRecord<byte[], byte[]> r) {
    try {
      if (r.topic().equals(topics.videos())) {
        VideoOutcome o = outcomes.deserialize(r.topic(), r.value());
        return o.isReady() ? new VideoEvent.Ready(o.ready()) : new VideoEvent.Failed(o.failed());
      }
      if (r.topic().equals(topics.progress())) {
        return new VideoEvent.Progress(progress.deserialize(r.topic(), r.value()));
      }
      return new VideoEvent.Rejected(RejectionJson.read(r.value()));
    } catch (RuntimeException e) {
      return new VideoEvent.Unreadable(
          r.topic(), r.partition(), r.offset(), KafkaClients.rootMessage(e));
    }
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
