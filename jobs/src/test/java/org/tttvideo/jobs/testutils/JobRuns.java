package org.tttvideo.jobs.testutils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.tttvideo.connectors.kafka.VideoOutcome;
import org.tttvideo.connectors.kafka.VideoOutcomeDeserializer;
import org.tttvideo.jobs.GenerationJob;
import org.tttvideo.jobs.GenerationJobOptions;
import org.tttvideo.operators.generation.UnitObserver;

/** Building, feeding and reading one run of the generation job in an ITCase. */
public final class JobRuns {
  private JobRuns() {}

  /** The MiniCluster the job ITCases run on: one TaskManager with two slots (parallelism 2). */
  public static MiniClusterExtension miniCluster() {
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());
  }

  /** The job on Kafka with the 16-pixel tiny model and, optionally, a unit observer. */
  public static GenerationJob job(Configuration options, UnitObserver observer) {
    return GenerationJob.onKafka(
        options,
        new SmallestVideoModel(7L),
        GenerationJobOptions.operatorOptions(options).withObserver(observer));
  }

  /** Publishes the values to {@code topic} (key: the index) and waits for every ack. */
  public static List<RecordMetadata> publish(EmbeddedKafka kafka, String topic, List<byte[]> values)
      throws Exception {
    List<RecordMetadata> out = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    topic, Integer.toString(i).getBytes(StandardCharsets.UTF_8), values.get(i))));
      }
      for (Future<RecordMetadata> f : sent) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
    }
    return out;
  }

  /** The outcomes among {@code records} of {@code videosTopic}. */
  public static List<VideoOutcome> outcomes(
      List<ConsumerRecord<byte[], byte[]>> records, String videosTopic) {
    List<VideoOutcome> out = new ArrayList<>();
    try (VideoOutcomeDeserializer d = new VideoOutcomeDeserializer()) {
      for (ConsumerRecord<byte[], byte[]> r : records) {
        if (r.topic().equals(videosTopic)) {
          out.add(d.deserialize(r.topic(), r.value()));
        }
      }
    }
    return out;
  }

  /** The local file of a {@code file:} URI. */
  public static Path file(String uri) {
    return Path.of(URI.create(uri));
  }

  /** Lower-case hex SHA-256 of a file. */
  public static String sha256(Path file) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Polls {@code condition} every 50 ms until it holds or {@code timeout} passes.
   *
   * @throws AssertionError naming {@code what} on timeout
   */
  public static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
