package org.tttvideo.operators.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tttvideo.operators.generation.testutils.GenerationFixtures.TINY;
import static org.tttvideo.operators.generation.testutils.GenerationFixtures.storyboard;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.generate.Generator;
import org.tttvideo.model.generate.WorkPlan;
import org.tttvideo.operators.generation.testutils.UnitLog;
import org.tttvideo.storyboard.Storyboard;

/** The operator's metrics and its GPU assignment, with an intercepting metric group. */
class GenerationOperatorMetricsTest {

  /** A task metric group whose operator group keeps its metrics. */
  static final class Metrics extends UnregisteredMetricGroups.UnregisteredTaskMetricGroup {
    final InterceptingOperatorMetricGroup operator = new InterceptingOperatorMetricGroup();

    @Override
    public InternalOperatorMetricGroup getOrAddOperator(
        OperatorID id, String name, Map<String, String> info) {
      return operator;
    }

    @SuppressWarnings("unchecked")
    <T> T get(String name) {
      return (T) operator.get(name);
    }
  }

  /** The tiny model, remembering which device each factory was asked for. */
  record DeviceRecordingFactory(String id) implements GeneratorFactory {
    static final Map<String, Integer> DEVICES = new ConcurrentHashMap<>();

    @Override
    public Generator create(int deviceIndex) {
      DEVICES.put(id, deviceIndex);
      return TINY.create(deviceIndex);
    }
  }

  private static ExternalResourceInfo gpu(String index) {
    return new ExternalResourceInfo() {
      @Override
      public Optional<String> getProperty(String key) {
        return "index".equals(key) ? Optional.of(index) : Optional.empty();
      }

      @Override
      public Collection<String> getKeys() {
        return Set.of("index");
      }
    };
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, Storyboard, DecodedSegment> harness(
      GeneratorFactory factory, MockEnvironment env) throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new GenerationOperator(
            factory,
            new GenerationOperatorOptions(Duration.ofNanos(1), 1, Duration.ZERO, new UnitLog())),
        Storyboard::videoId,
        Types.STRING,
        env);
  }

  @Test
  void metricsFollowTheVideosThroughTheirLives() throws Exception {
    Metrics metrics = new Metrics();
    try (MockEnvironment env = new MockEnvironmentBuilder().setMetricGroup(metrics).build();
        var h = harness(new DeviceRecordingFactory("cpu"), env)) {
      h.open();
      assertThat(DeviceRecordingFactory.DEVICES).containsEntry("cpu", -1);
      Gauge<Integer> active = metrics.get(GenerationMetrics.METRIC_VIDEOS_ACTIVE);
      Gauge<Integer> queued = metrics.get(GenerationMetrics.METRIC_VIDEOS_QUEUED);
      Gauge<Integer> step = metrics.get(GenerationMetrics.METRIC_OLDEST_ACTIVE_STEP);
      Gauge<Integer> segment = metrics.get(GenerationMetrics.METRIC_OLDEST_ACTIVE_SEGMENT);
      Gauge<Double> secondsPerStep =
          metrics.get(GenerationMetrics.METRIC_SECONDS_PER_DENOISING_STEP);
      Meter units = metrics.get(GenerationMetrics.METRIC_UNITS_PER_SECOND);
      Histogram slices = metrics.get(GenerationMetrics.METRIC_SLICE_LATENCY_MS);
      Counter decoded = metrics.get(GenerationMetrics.METRIC_SEGMENTS_DECODED);
      Counter finished = metrics.get(GenerationMetrics.METRIC_VIDEOS_FINISHED);
      Counter failed = metrics.get(GenerationMetrics.METRIC_VIDEOS_FAILED);
      assertThat(active.getValue()).isZero();
      assertThat(step.getValue()).isEqualTo(-1);
      assertThat(secondsPerStep.getValue()).isNaN();

      h.processElement(storyboard("a", 2, 2, 1), 0);
      h.processElement(storyboard("b", 1, 1, 2), 0);
      assertThat(active.getValue()).isEqualTo(1);
      assertThat(queued.getValue()).isEqualTo(1);
      assertThat(step.getValue()).isZero();
      assertThat(segment.getValue()).isZero();

      WorkPlan plan = new WorkPlan(ModelConfig.tiny(), 2, 2);
      for (long i = 0; i < plan.perStep() + 3; i++) { // into step 1, segment 1 of its blocks
        h.setProcessingTime(h.getProcessingTime() + 1);
      }
      assertThat(step.getValue()).isEqualTo(1);
      assertThat(segment.getValue()).isEqualTo(plan.unit(plan.perStep() + 3).segment());
      assertThat(secondsPerStep.getValue()).isPositive().isFinite();

      while (h.numProcessingTimeTimers() > 0) {
        h.setProcessingTime(h.getProcessingTime() + 1);
      }
      long allUnits = plan.total() + new WorkPlan(ModelConfig.tiny(), 1, 1).total();
      assertThat(units.getCount()).isEqualTo(allUnits);
      assertThat(slices.getCount()).isEqualTo(allUnits); // one unit per slice here
      assertThat(decoded.getCount()).isEqualTo(3);
      assertThat(finished.getCount()).isEqualTo(2);
      assertThat(failed.getCount()).isZero();
      assertThat(active.getValue()).isZero();
      assertThat(queued.getValue()).isZero();
      assertThat(step.getValue()).isEqualTo(-1);
    }
  }

  @Test
  void theGpuIndexComesFromTheExternalResource() throws Exception {
    try (MockEnvironment env =
            new MockEnvironmentBuilder()
                .setExternalResourceInfoProvider(
                    name -> "gpu".equals(name) ? Set.of(gpu("3")) : Set.of())
                .build();
        var h = harness(new DeviceRecordingFactory("gpu"), env)) {
      h.open();
      assertThat(DeviceRecordingFactory.DEVICES).containsEntry("gpu", 3);
    }
  }
}
