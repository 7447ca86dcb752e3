package org.tttvideo.jobs.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** How the command line reaches a Kafka cluster (a picocli mixin of submit and watch). */
public final class KafkaOptions {
  @Option(
      names = {"-b", "--bootstrap-servers"},
      paramLabel = "HOST:PORT[,...]",
      description =
          "Kafka bootstrap servers (default: the job options' kafka.bootstrap-servers, else"
              + " localhost:9092).")
  String bootstrapServers;

  @Option(
      names = {"-k", "--kafka-property"},
      paramLabel = "KEY=VALUE",
      description =
          "A Kafka client property, e.g. security.protocol=SASL_SSL or"
              + " sasl.jaas.config=...; repeatable.")
  Map<String, String> properties = new LinkedHashMap<>();

  /** The clients, with {@code defaultServers} unless {@code --bootstrap-servers} was given. */
  KafkaClients clients(String defaultServers) {
    return new KafkaClients(
        bootstrapServers != null ? bootstrapServers : defaultServers, properties);
  }
}
