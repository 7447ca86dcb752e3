package org.tttvideo.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner;
import org.junit.jupiter.api.Test;
import org.tttvideo.connectors.kafka.VideoOutcome;
import org.tttvideo.operators.generation.DecodedSegment;
import org.tttvideo.video.VideoProgress;

/** The job's graph, without running it: uids, partitioning, types and Flink settings. */
class GenerationJobTest {

  private static StreamGraph graph() {
    Configuration options =
        GenerationJobOptions.fromMap(Map.of("model.preset", "tiny", "restart.attempts", "7"));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    new GenerationJob(
            options,
            KafkaEndpoints.storyboards(options, GenerationJobOptions.storyboardOptions(options)),
            new DiscardingSink<>(),
            new DiscardingSink<>(),
            new DiscardingSink<>(),
            GenerationJobOptions.generatorFactory(options),
            GenerationJobOptions.operatorOptions(options))
        .build(env);
    return env.getStreamGraph();
  }

  @Test
  void everyOperatorHasAUid() {
    StreamGraph g = graph();
    Map<String, String> uids = new HashMap<>();
    for (StreamNode n : g.getStreamNodes()) {
      assertThat(n.getTransformationUID()).as(n.getOperatorName()).isNotBlank();
      uids.put(n.getTransformationUID(), n.getOperatorName());
    }
    assertThat(uids)
        .containsKeys(
            GenerationJob.UID_SOURCE,
            GenerationJob.UID_VALIDATE,
            GenerationJob.UID_REJECTED_SINK,
            GenerationJob.UID_GENERATE,
            GenerationJob.UID_PROGRESS_SINK,
            GenerationJob.UID_ASSEMBLE,
            GenerationJob.UID_VIDEOS_SINK);
  }

  @Test
  void storyboardsAreShuffledByVideoIdOnceAndTheFramesNever() {
    StreamGraph g = graph();
    StreamNode generate = node(g, "generate");
    StreamNode assemble = node(g, "assemble");
    List<StreamEdge> in = generate.getInEdges();
    assertThat(in).hasSize(1);
    assertThat(in.get(0).getPartitioner()).isInstanceOf(KeyGroupStreamPartitioner.class);
    // both the segments and the generation failures reach the assembler forward, keyed as before
    assertThat(assemble.getInEdges()).hasSize(2);
    for (StreamEdge e : assemble.getInEdges()) {
      assertThat(e.getSourceId()).isEqualTo(generate.getId());
      assertThat(e.getPartitioner()).isInstanceOf(ForwardPartitioner.class);
    }
  }

  @Test
  void theRejectedSinkTakesTheRejectionsOfValidationAndOfGeneration() {
    StreamGraph g = graph();
    StreamNode sink =
        g.getStreamNodes().stream()
            .filter(n -> GenerationJob.UID_REJECTED_SINK.equals(n.getTransformationUID()))
            .findFirst()
            .orElseThrow();
    assertThat(sink.getInEdges())
        .extracting(e -> g.getStreamNode(e.getSourceId()).getOperatorName())
        .containsExactlyInAnyOrder("validate", "generate");
  }

  @Test
  void theRecordsBetweenOperatorsAreFlinkPojosNotKryo() {
    SerializerConfigImpl noKryo = new SerializerConfigImpl();
    noKryo.setGenericTypes(false);
    for (Class<?> type : List.of(DecodedSegment.class, VideoOutcome.class, VideoProgress.class)) {
      TypeInformation<?> info = TypeInformation.of(type);
      assertThat(info).as(type.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
      assertThat(info.createSerializer(noKryo)).isNotNull(); // throws if any field needs Kryo
    }
  }

  @Test
  void theRestartStrategyAndCheckpointingReachTheJob() {
    StreamGraph g = graph();
    assertThat(g.getJobConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY))
        .isEqualTo("exponential-delay");
    assertThat(
            g.getJobConfiguration()
                .get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
        .isEqualTo(7);
    assertThat(g.getCheckpointConfig().isCheckpointingEnabled()).isTrue();
    // what the generation operator reads in its task to hold restored videos until a checkpoint
    assertThat(CheckpointingOptions.isCheckpointingEnabled(g.getJobConfiguration())).isTrue();
    assertThat(g.getCheckpointConfig().getCheckpointInterval()).isEqualTo(10_000L);
  }

  private static StreamNode node(StreamGraph g, String name) {
    return g.getStreamNodes().stream()
        .filter(n -> n.getOperatorName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no operator named " + name));
  }
}
