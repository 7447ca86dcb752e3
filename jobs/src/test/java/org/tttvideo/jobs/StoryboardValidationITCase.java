package org.tttvideo.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tttvideo.connectors.kafka.ParsedRecord;
import org.tttvideo.connectors.kafka.RejectionSerializationSchema;
import org.tttvideo.connectors.kafka.StoryboardDeserializationSchema;
import org.tttvideo.connectors.kafka.StoryboardSerializationSchema;
import org.tttvideo.jobs.testutils.EmbeddedKafka;
import org.tttvideo.jobs.testutils.EmbeddedKafkaExtension;
import org.tttvideo.jobs.testutils.JobRuns;
import org.tttvideo.operators.validation.StoryboardValidationFunction;
import org.tttvideo.storyboard.BadCorpus;
import org.tttvideo.storyboard.Examples;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.RejectionJson;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.storyboard.StoryboardJson;
import org.tttvideo.storyboard.StoryboardOptions;
import org.tttvideo.storyboard.StoryboardParser;

/**
 * The rejection path end to end: every example and every input of the bad corpus is published to an
 * in-JVM Kafka broker, a MiniCluster job (Kafka source, validation, two Kafka sinks) reads them,
 * and exactly one valid storyboard or one rejection comes out per video of each input record (a
 * reference-format record with three videos gives three), with the expected codes, while the job
 * keeps running.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StoryboardValidationITCase {
  private static final String INPUT = "storyboards";
  private static final String VALID = "storyboards.valid";
  private static final String REJECTED = "storyboards.rejected";
  private static final int PARTITIONS = 2;
  private static final Duration WAIT = Duration.ofSeconds(120);

  @RegisterExtension static final MiniClusterExtension FLINK = JobRuns.miniCluster();

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @BeforeAll
  static void createTopics() throws Exception {
    KAFKA.broker().createTopics(PARTITIONS, INPUT, VALID, REJECTED);
  }

  /** One published record and what must come out of it. */
  private record Input(
      String name, byte[] value, int storyboards, BadCorpus.Entry bad, List<Storyboard> parsed) {}

  @Test
  void everyInputRecordGivesExactlyOneOutputPerVideoAndTheJobKeepsRunning() throws Exception {
    StoryboardParser parser = new StoryboardParser();
    List<Input> inputs = new ArrayList<>();
    for (Path file : Examples.files()) {
      String name = file.getFileName().toString();
      byte[] value = Files.readAllBytes(file);
      inputs.add(
          new Input(
              name,
              value,
              Examples.EXPECTED.get(name).storyboards(),
              null,
              parser.parse(value).storyboards()));
    }
    for (BadCorpus.Entry e : BadCorpus.load()) {
      inputs.add(new Input(e.name(), e.value(), 0, e, List.of()));
    }
    assertThat(inputs.stream().filter(i -> i.bad() != null)).hasSizeGreaterThanOrEqualTo(60);

    Map<String, Input> byPosition = publish(inputs);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.enableCheckpointing(1_000);
    buildValidationGraph(env, KAFKA.broker().bootstrapServers());
    JobClient job = env.executeAsync("storyboard-validation-itcase");
    try {
      int expectedValid = inputs.stream().mapToInt(Input::storyboards).sum();
      int expectedRejected = (int) inputs.stream().filter(i -> i.bad() != null).count();

      List<ConsumerRecord<byte[], byte[]>> out =
          KAFKA
              .broker()
              .readAll(
                  partitions(VALID, REJECTED),
                  expectedValid + expectedRejected,
                  WAIT,
                  Duration.ofSeconds(3));

      List<Storyboard> valid = new ArrayList<>();
      List<Rejection> rejected = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : out) {
        if (r.topic().equals(VALID)) {
          valid.add(StoryboardJson.read(r.value()));
        } else {
          rejected.add(RejectionJson.read(r.value()));
        }
      }

      // exactly one rejection per bad input, traced to its record, with the expected code and field
      assertThat(rejected).hasSize(expectedRejected);
      Set<String> rejectedInputs = new HashSet<>();
      for (Rejection x : rejected) {
        assertThat(x.source()).isNotNull();
        assertThat(x.source().topic()).isEqualTo(INPUT);
        Input in = byPosition.get(x.source().partition() + "@" + x.source().offset());
        assertThat(in).as("input of %s", x.summary()).isNotNull();
        assertThat(in.bad()).as("%s rejected: %s", in.name(), x.summary()).isNotNull();
        assertThat(x.code()).as(in.name()).isEqualTo(in.bad().code());
        assertThat(x.field()).as(in.name()).isEqualTo(in.bad().field());
        assertThat(rejectedInputs.add(in.name())).as("one rejection for %s", in.name()).isTrue();
      }

      // exactly the expected storyboards, each once (a reference record with n videos gives n)
      List<Storyboard> expected = inputs.stream().flatMap(i -> i.parsed().stream()).toList();
      assertThat(valid).hasSize(expectedValid);
      assertThat(valid).containsExactlyInAnyOrderElementsOf(expected);

      assertThat(job.getJobStatus().get(30, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
    } finally {
      job.cancel().get(60, TimeUnit.SECONDS);
    }
  }

  /** The job under test: Kafka source, validation, a sink for each side. */
  static void buildValidationGraph(StreamExecutionEnvironment env, String bootstrap) {
    StoryboardOptions options = StoryboardOptions.defaults();
    KafkaSource<ParsedRecord> source =
        KafkaSource.<ParsedRecord>builder()
            .setBootstrapServers(bootstrap)
            .setTopics(INPUT)
            .setGroupId("storyboard-validation-itcase")
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setDeserializer(new StoryboardDeserializationSchema(options))
            .setProperty(
                "max.partition.fetch.bytes", Integer.toString(EmbeddedKafka.MAX_MESSAGE_BYTES))
            .build();
    SingleOutputStreamOperator<Storyboard> valid =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "storyboards")
            .process(new StoryboardValidationFunction(options, null))
            .name("validate");
    valid
        .sinkTo(
            KafkaSink.<Storyboard>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new StoryboardSerializationSchema(VALID))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build())
        .name(VALID);
    valid
        .getSideOutput(StoryboardValidationFunction.REJECTED)
        .sinkTo(
            KafkaSink.<Rejection>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new RejectionSerializationSchema(REJECTED))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build())
        .name(REJECTED);
  }

  /** Publishes every input; returns them by {@code partition@offset}. */
  private static Map<String, Input> publish(List<Input> inputs) throws Exception {
    Map<String, Input> byPosition = new HashMap<>();
    try (KafkaProducer<byte[], byte[]> producer = KAFKA.broker().producer()) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (Input in : inputs) {
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    INPUT, in.name().getBytes(StandardCharsets.UTF_8), in.value())));
      }
      for (int i = 0; i < inputs.size(); i++) {
        RecordMetadata m = sent.get(i).get(60, TimeUnit.SECONDS);
        byPosition.put(m.partition() + "@" + m.offset(), inputs.get(i));
      }
    }
    assertThat(byPosition).hasSize(inputs.size());
    return byPosition;
  }

  private static List<TopicPartition> partitions(String... topics) {
    List<TopicPartition> out = new ArrayList<>();
    for (String t : topics) {
      for (int p = 0; p < PARTITIONS; p++) {
        out.add(new TopicPartition(t, p));
      }
    }
    return out;
  }
}
