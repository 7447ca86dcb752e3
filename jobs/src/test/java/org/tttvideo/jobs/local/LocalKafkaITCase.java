package org.tttvideo.jobs.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's own broker as local mode runs it: on a fixed port, with topics, transactions and consumer
 * groups working on one node, and everything (port, data) released by {@link LocalKafka#close()}.
 */
class LocalKafkaITCase {

  @Test
  void brokerOnAFixedPortServesTransactionsAndGroupsThenReleasesEverything(@TempDir Path work)
      throws Exception {
    int port = Ports.freePort();
    try (LocalKafka kafka = LocalKafka.start(port, work, 2 * 1024 * 1024)) {
      assertThat(kafka.bootstrapServers()).isEqualTo("localhost:" + port);
      assertThat(Ports.isFree(port)).isFalse();
      kafka.createTopics(
          List.of(new NewTopic("t", 2, (short) 1).configs(Map.of("max.message.bytes", "1500000"))));
      try (Admin admin = kafka.admin()) {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "t");
        assertThat(
                admin
                    .describeConfigs(List.of(topic))
                    .all()
                    .get()
                    .get(topic)
                    .get("max.message.bytes")
                    .value())
            .isEqualTo("1500000");
      }

      // a transactional producer needs the transaction coordinator (replication factor 1 here)
      try (KafkaProducer<String, String> p =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  kafka.bootstrapServers(),
                  ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                  "tx-1",
                  ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                  2 * 1024 * 1024),
              new StringSerializer(),
              new StringSerializer())) {
        p.initTransactions();
        p.beginTransaction();
        p.send(new ProducerRecord<>("t", "k", "a 1.2 MB record: " + "x".repeat(1_200_000)));
        p.commitTransaction();
      }
      // a consumer group needs the group coordinator
      List<ConsumerRecord<String, String>> got = new ArrayList<>();
      try (KafkaConsumer<String, String> c =
          new KafkaConsumer<>(
              Map.of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                  ConsumerConfig.GROUP_ID_CONFIG, "g",
                  ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                  ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
              new StringDeserializer(),
              new StringDeserializer())) {
        c.subscribe(List.of("t"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (got.isEmpty() && System.nanoTime() < deadline) {
          c.poll(Duration.ofMillis(200)).forEach(got::add);
        }
      }
      assertThat(got).hasSize(1);
      assertThat(got.get(0).value().getBytes(StandardCharsets.UTF_8)).hasSizeGreaterThan(1_200_000);
    }

    assertThat(Ports.isFree(port)).isTrue();
    try (var left = Files.list(work)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void portCheckSeesAListenerOnAnyAddress() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket()) {
      s.bind(new java.net.InetSocketAddress("localhost", 0));
      assertThat(Ports.isFree(s.getLocalPort())).isFalse();
      Throwable t =
          org.assertj.core.api.Assertions.catchThrowable(
              () -> Ports.requireFree(s.getLocalPort(), "Kafka", "--kafka-port"));
      assertThat(t)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "port "
                  + s.getLocalPort()
                  + " (Kafka) is already in use; stop what uses it or choose another port with"
                  + " --kafka-port");
    }
  }
}
