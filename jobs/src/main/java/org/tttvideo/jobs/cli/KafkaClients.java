package org.tttvideo.jobs.cli;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka clients of the command line, with bounded waits: an unreachable cluster is an error within
 * about {@link #REACH_TIMEOUT}, never a hang. User properties ({@code --kafka-property k=v}, e.g.
 * {@code security.protocol=SASL_SSL}) are applied last, so they can change every default here.
 */
public final class KafkaClients {
  /** How long the command line waits to reach Kafka before it gives up. */
  public static final Duration REACH_TIMEOUT = Duration.ofSeconds(10);

  private final String bootstrapServers;

  /** Whether {@code consumer} is before {@code ends} on any of {@code parts}. */
  static boolean behindEnd(
      Consumer<?, ?> consumer, Collection<TopicPartition> parts, Map<TopicPartition, Long> ends) {
    return parts.stream().anyMatch(p -> consumer.position(p, REACH_TIMEOUT) < ends.get(p));
  }

  private final Map<String, String> userProperties;

  public KafkaClients(String bootstrapServers, Map<String, String> userProperties) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new CliException(CliException.USAGE, "--bootstrap-servers must not be empty");
    }
    this.bootstrapServers = bootstrapServers;
    this.userProperties = Map.copyOf(userProperties);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  private Map<String, Object> common() {
    Map<String, Object> p = new HashMap<>();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    long ms = REACH_TIMEOUT.toMillis();
    p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) ms);
    p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ms);
    p.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, 3000L);
    p.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 5000L);
    p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2000L);
    return p;
  }

  /**
   * Checks that the cluster answers and that the topics exist, each within {@link #REACH_TIMEOUT}.
   *
   * @throws CliException naming the servers, or the missing topics
   */
  public void requireReachable(List<String> topics) {
    Map<String, Object> p = common();
    p.putAll(userProperties);
    Admin admin;
    try {
      admin = Admin.create(p);
    } catch (KafkaException e) {
      throw new CliException(
          CliException.FAILURE,
          "cannot connect to Kafka at " + bootstrapServers + ": " + rootMessage(e),
          e);
    }
    try {
      long seconds = REACH_TIMEOUT.toSeconds();
      try {
        admin
            .describeCluster(new DescribeClusterOptions().timeoutMs((int) REACH_TIMEOUT.toMillis()))
            .clusterId()
            .get(seconds + 2, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new CliException(
            CliException.FAILURE,
            "cannot reach Kafka at "
                + bootstrapServers
                + " within "
                + seconds
                + " s ("
                + rootMessage(e)
                + "); check --bootstrap-servers, and --kafka-property for TLS or SASL",
            e);
      }
      Set<String> existing;
      try {
        existing =
            admin
                .listTopics(new ListTopicsOptions().timeoutMs((int) REACH_TIMEOUT.toMillis()))
                .names()
                .get(seconds + 2, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new CliException(
            CliException.FAILURE,
            "cannot list the topics of Kafka at " + bootstrapServers + ": " + rootMessage(e),
            e);
      }
      List<String> missing = topics.stream().filter(t -> !existing.contains(t)).toList();
      if (!missing.isEmpty()) {
        throw new CliException(
            CliException.FAILURE,
            "Kafka at "
                + bootstrapServers
                + " has no topic "
                + String.join(", ", missing)
                + "; is the generation job running there (the topics are set with --set"
                + " topics.storyboards=... or --properties)?");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CliException.FAILURE, "interrupted while connecting to Kafka", e);
    } finally {
      admin.close(Duration.ofSeconds(2));
    }
  }

  /** A producer of byte records that waits at most {@link #REACH_TIMEOUT} to send. */
  public KafkaProducer<byte[], byte[]> producer(int maxRequestBytes) {
    Map<String, Object> p = common();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, REACH_TIMEOUT.toMillis());
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) REACH_TIMEOUT.toMillis() + 5000);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestBytes);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(32L << 20, 4L * maxRequestBytes));
    p.putAll(userProperties);
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * A consumer without a group (the command line assigns partitions itself) that reads only
   * committed records: the job writes {@code videos} and {@code storyboards.rejected} in
   * transactions.
   */
  public KafkaConsumer<byte[], byte[]> consumer() {
    Map<String, Object> p = common();
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.putAll(userProperties);
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The innermost message of a chain of causes, for one-line errors. */
  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return (m == null || m.isBlank()) ? c.getClass().getSimpleName() : m.replaceAll("\\s+", " ");
  }
}
