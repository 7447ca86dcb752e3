package org.tttvideo.jobs.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's own KRaft broker ({@link KafkaRaftServer}, one node that is broker and controller) in
 * this JVM, for {@code ttt-video local}. The client listener is on a fixed port of {@code
 * localhost} (9092 by default) so that other programs on the machine ({@code ttt-video submit}, a
 * Kafka console consumer) reach it; the controller listener takes a free port. The log directories
 * live under a work directory that {@link #close()} deletes.
 *
 * <p>Single-node settings: replication factor 1 for the offsets and transaction-state topics, or
 * consumer groups and the exactly-once sinks silently get no coordinator (STACK.md, pitfall 4).
 *
 * <pre>{@code
 * try (LocalKafka kafka = LocalKafka.start(9092, workDir, 2 * 1024 * 1024)) {
 *   kafka.createTopics(List.of(new NewTopic("storyboards", 1, (short) 1)));
 *   kafka.bootstrapServers();   // "localhost:9092"
 * }
 * }</pre>
 */
public final class LocalKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final String CONTROLLER = "CONTROLLER";
  private static final int NODE_ID = 1;

  private final KafkaRaftServer server;
  private final int port;
  private final Path dataDir;
  private final boolean deleteDataDir;

  private LocalKafka(KafkaRaftServer server, int port, Path dataDir, boolean deleteDataDir) {
    this.server = server;
    this.port = port;
    this.dataDir = dataDir;
    this.deleteDataDir = deleteDataDir;
  }

  /**
   * Formats a fresh log directory under {@code workDir}, starts the broker with its client listener
   * on {@code localhost:port}, and waits until it answers (at most a minute).
   *
   * @param port the client port; the caller checks that it is free ({@link Ports})
   * @param workDir a directory for the broker's data; a fresh subdirectory is made in it and
   *     deleted by {@link #close()}
   * @param maxMessageBytes the broker's {@code message.max.bytes}
   * @throws IOException when the broker cannot be formatted, started, or reached in time
   */
  public static LocalKafka start(int port, Path workDir, int maxMessageBytes) throws IOException {
    Path dataDir = Files.createTempDirectory(Files.createDirectories(workDir), "kafka-");
    return start(port, dataDir, maxMessageBytes, true);
  }

  /**
   * Starts the broker on the data in {@code dataDir}, formatting it first when it holds none (no
   * {@code meta.properties}), and keeps the data when closed: topics, records, committed
   * transactions and consumer offsets survive into the next start (local mode's resume).
   *
   * @throws IOException when the broker cannot be formatted, started, or reached in time
   */
  public static LocalKafka startKeepingData(int port, Path dataDir, int maxMessageBytes)
      throws IOException {
    return start(port, Files.createDirectories(dataDir), maxMessageBytes, false);
  }

  private static LocalKafka start(
      int port, Path dataDir, int maxMessageBytes, boolean deleteOnClose) throws IOException {
    int controllerPort = Ports.freePort();
    Map<String, Object> p = new HashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://localhost:" + port + "," + CONTROLLER + "://localhost:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
    p.put("controller.listener.names", CONTROLLER);
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", dataDir.toString());
    p.put("metadata.log.dir", dataDir.toString());
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("message.max.bytes", Integer.toString(maxMessageBytes));
    p.put("replica.fetch.max.bytes", Integer.toString(maxMessageBytes));
    // a local demo: a small log cleaner buffer instead of 128 MiB of heap
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
    KafkaConfig config = new KafkaConfig(p, false);
    if (!Files.exists(dataDir.resolve("meta.properties"))) {
      format(config, dataDir);
    }

    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    LocalKafka kafka = new LocalKafka(server, port, dataDir, deleteOnClose);
    try {
      server.startup();
      kafka.awaitReady(READY_TIMEOUT);
    } catch (RuntimeException | IOException e) {
      kafka.close();
      throw e instanceof IOException io ? io : new IOException("the Kafka broker did not start", e);
    }
    LOG.info("KRaft broker ready on localhost:{} (data in {})", port, dataDir);
    return kafka;
  }

  private static void format(KafkaConfig config, Path dataDir) throws IOException {
    ByteArrayOutputStream formatterOutput = new ByteArrayOutputStream();
    try (PrintStream print = new PrintStream(formatterOutput, true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(print)
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .addDirectory(dataDir.toString())
          .setMetadataLogDirectory(dataDir.toString())
          .setControllerListenerName(CONTROLLER)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    } catch (Exception e) {
      throw new IOException("formatting the Kafka log directory " + dataDir + " failed", e);
    }
    LOG.debug("{}", formatterOutput.toString(StandardCharsets.UTF_8).trim());
  }

  private void awaitReady(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = admin()) {
      while (true) {
        try {
          int nodes =
              admin
                  .describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                  .nodes()
                  .get(3, TimeUnit.SECONDS)
                  .size();
          if (nodes > 0) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          // not ready yet
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the Kafka broker", e);
        }
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "the Kafka broker on localhost:" + port + " was not ready within " + timeout);
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the Kafka broker", e);
        }
      }
    }
  }

  /** {@code localhost:<port>}. */
  public String bootstrapServers() {
    return "localhost:" + port;
  }

  /** An admin client of this broker; the caller closes it. */
  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  /** Creates the topics and waits until they exist (at most a minute). */
  public void createTopics(List<NewTopic> topics) throws IOException {
    Objects.requireNonNull(topics, "topics");
    try (Admin admin = admin()) {
      // a broker started on kept data already has them (local mode's resume)
      Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      List<NewTopic> missing =
          topics.stream().filter(t -> !existing.contains(t.name())).collect(Collectors.toList());
      admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("creating the topics failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while creating the topics", e);
    }
  }

  /** Stops the broker and deletes its data. */
  @Override
  public void close() {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("stopping the Kafka broker failed", e);
    }
    if (deleteDataDir) {
      deleteRecursively(dataDir);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths
          .sorted((a, b) -> b.getNameCount() - a.getNameCount())
          .forEach(
              f -> {
                try {
                  Files.deleteIfExists(f);
                } catch (IOException e) {
                  LOG.debug("cannot delete {}", f, e);
                }
              });
    } catch (IOException e) {
      LOG.debug("cannot delete {}", dir, e);
    }
  }
}
