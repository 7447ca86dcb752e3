package org.tttvideo.operators.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StateBackendLoader;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tttvideo.operators.generation.testutils.GoldenBytes;

/**
 * A checkpoint of the build that wrote video meta format version 1 (one negative prompt per video),
 * restored by this build (version 2) on both state backends: the video meta comes back with its
 * negative prompt for every segment, whether the restored state is accessed before the next
 * checkpoint (Flink migrates it to version 2) or not (Flink keeps it in version 1 with the restored
 * serializer, whose snapshot must then still say version 1).
 *
 * <p>The old build is played by {@code new VideoMetaSerializer(1)}, whose snapshot and bytes equal
 * the old build's ({@link StateSerializersTest} checks both against golden bytes).
 */
class VideoMetaMigrationTest {

  /** What the test function does with each key it receives. */
  private enum Mode {
    /** Stores {@link GoldenBytes#META} (one negative prompt for both segments). */
    PUT_ONE_NEGATIVE,
    /** Stores {@link GoldenBytes#META_PER_SEGMENT} (a negative prompt per segment). */
    PUT_PER_SEGMENT,
    /** Emits the key's stored video meta. */
    GET
  }

  /** Keeps a {@link VideoMeta} per key in {@value VideoStates#META}, as the operator does. */
  private static final class MetaFunction extends KeyedProcessFunction<String, String, VideoMeta> {
    private static final long serialVersionUID = 1L;
    private final VideoMetaSerializer serializer;
    private final Mode mode;

    MetaFunction(VideoMetaSerializer serializer, Mode mode) {
      this.serializer = serializer;
      this.mode = mode;
    }

    @Override
    public void processElement(String key, Context ctx, Collector<VideoMeta> out) throws Exception {
      ValueState<VideoMeta> meta =
          getRuntimeContext().getState(new ValueStateDescriptor<>(VideoStates.META, serializer));
      switch (mode) {
        case PUT_ONE_NEGATIVE -> meta.update(GoldenBytes.META);
        case PUT_PER_SEGMENT -> meta.update(GoldenBytes.META_PER_SEGMENT);
        case GET -> out.collect(meta.value());
        default -> throw new AssertionError(mode);
      }
    }
  }

  private static StateBackend backend(String name) throws Exception {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, name);
    return StateBackendLoader.loadStateBackendFromConfig(
        conf, VideoMetaMigrationTest.class.getClassLoader(), null);
  }

  /**
   * Runs {@code keys} through a harness of {@code serializer} and {@code mode}, restored from
   * {@code restore} (null: empty state); returns the snapshot it takes and fills {@code emitted}.
   */
  private static OperatorSubtaskState run(
      String backend,
      VideoMetaSerializer serializer,
      Mode mode,
      OperatorSubtaskState restore,
      List<String> keys,
      List<VideoMeta> emitted)
      throws Exception {
    try (var h =
        new KeyedOneInputStreamOperatorTestHarness<String, String, VideoMeta>(
            new KeyedProcessOperator<>(new MetaFunction(serializer, mode)), k -> k, Types.STRING)) {
      h.setStateBackend(backend(backend));
      if (restore != null) {
        h.initializeState(restore);
      }
      h.open();
      for (String k : keys) {
        h.processElement(k, 0);
      }
      emitted.addAll(h.extractOutputValues());
      return h.snapshot(1L, 0);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void aVersion1CheckpointRestoresAndMigratesToVersion2(String backend) throws Exception {
    List<VideoMeta> out = new ArrayList<>();
    OperatorSubtaskState v1 =
        run(backend, new VideoMetaSerializer(1), Mode.PUT_ONE_NEGATIVE, null, List.of("a"), out);

    // accessed after the restore: read in version 1, written from then on in version 2
    run(backend, VideoMetaSerializer.INSTANCE, Mode.GET, v1, List.of("a"), out);
    assertThat(out).containsExactly(GoldenBytes.META);
    assertThat(out.get(0).request().negativePrompts()).containsExactly("blur", "blur");
    out.clear();
    OperatorSubtaskState v2 =
        run(backend, VideoMetaSerializer.INSTANCE, Mode.PUT_PER_SEGMENT, v1, List.of("b"), out);
    run(backend, VideoMetaSerializer.INSTANCE, Mode.GET, v2, List.of("a", "b"), out);
    assertThat(out).containsExactly(GoldenBytes.META, GoldenBytes.META_PER_SEGMENT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void aVersion1CheckpointNotAccessedBeforeTheNextCheckpointStillRestores(String backend)
      throws Exception {
    List<VideoMeta> out = new ArrayList<>();
    OperatorSubtaskState v1 =
        run(backend, new VideoMetaSerializer(1), Mode.PUT_ONE_NEGATIVE, null, List.of("a"), out);
    OperatorSubtaskState untouched =
        run(backend, VideoMetaSerializer.INSTANCE, Mode.GET, v1, List.of(), out);
    run(backend, VideoMetaSerializer.INSTANCE, Mode.GET, untouched, List.of("a"), out);
    assertThat(out).containsExactly(GoldenBytes.META);
  }
}
