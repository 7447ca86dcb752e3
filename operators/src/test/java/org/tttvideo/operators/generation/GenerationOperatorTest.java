package org.tttvideo.operators.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.tttvideo.operators.generation.testutils.GenerationFixtures.TINY;
import static org.tttvideo.operators.generation.testutils.GenerationFixtures.storyboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StateBackendLoader;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.dit.Phase;
import org.tttvideo.model.generate.GeneratedVideo;
import org.tttvideo.model.generate.Generator;
import org.tttvideo.model.generate.WorkPlan;
import org.tttvideo.model.generate.WorkUnit;
import org.tttvideo.operators.generation.testutils.CloseCountingFactory;
import org.tttvideo.operators.generation.testutils.FailingDecoderFactory;
import org.tttvideo.operators.generation.testutils.UnitLog;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.video.VideoFailed;
import org.tttvideo.video.VideoProgress;

/**
 * The generation operator in a keyed harness: the tiny preset on the vector backend, a few
 * denoising steps, and time slices of one unit each (a 1 ns slice runs exactly one unit), so each
 * {@code setProcessingTime(t + 1)} fires exactly one slice and the schedule is deterministic.
 */
class GenerationOperatorTest {
  private static final int SEGMENTS = 3;
  private static final int STEPS = 2;

  private static GenerationOperatorOptions oneUnitSlices(int maxActive, UnitLog log) {
    return new GenerationOperatorOptions(Duration.ofNanos(1), maxActive, Duration.ZERO, log);
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, Storyboard, DecodedSegment> harness(
      GeneratorFactory factory, GenerationOperatorOptions options) throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new GenerationOperator(factory, options), Storyboard::videoId, Types.STRING);
  }

  /** Advances processing time 1 ms at a time until no slice is pending; returns the steps. */
  private static int runUntilIdle(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h)
      throws Exception {
    int steps = 0;
    while (h.numProcessingTimeTimers() > 0) {
      assertThat(steps++).as("slices before idle").isLessThan(100_000);
      h.setProcessingTime(h.getProcessingTime() + 1);
    }
    return steps;
  }

  private static List<DecodedSegment> segments(
      KeyedOneInputStreamOperatorTestHarness<?, ?, DecodedSegment> h, String videoId) {
    return h.extractOutputValues().stream().filter(s -> s.videoId().equals(videoId)).toList();
  }

  private static List<VideoProgress> progress(
      KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h, String videoId) {
    var out = h.getSideOutput(GenerationOperator.PROGRESS);
    if (out == null) {
      return List.of();
    }
    return out.stream()
        .map(StreamRecord::getValue)
        .filter(p -> p.videoId().equals(videoId))
        .toList();
  }

  private static List<VideoFailed> failures(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) {
    var out = h.getSideOutput(GenerationOperator.FAILED);
    return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
  }

  /** The video's frames computed directly on the model API, converted as the operator does. */
  private static List<byte[]> referenceFrames(Storyboard sb) {
    Generator g = TINY.create(-1);
    GeneratedVideo video = g.generate(StoryboardRequests.toRequest(sb, g.config()));
    List<byte[]> frames = new ArrayList<>();
    for (Tensor t : video.frames()) {
      frames.add(FrameConversion.toFrames(t, g.config().fps()).rgb());
    }
    return frames;
  }

  private static List<byte[]> rgb(List<DecodedSegment> segments) {
    return segments.stream().map(s -> s.frames().rgb()).toList();
  }

  private static long totalUnits(Storyboard sb) {
    return new WorkPlan(ModelConfig.tiny(), sb.segments().size(), STEPS).total();
  }

  /** Nothing of a video in progress is left, only the finished videos' markers, and no timer. */
  static void assertNoStateLeft(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h)
      throws Exception {
    KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
    for (String state : VideoStates.IN_PROGRESS) {
      try (Stream<String> keys = backend.getKeys(state, VoidNamespace.INSTANCE)) {
        assertThat(keys).as("keys with state '%s'", state).isEmpty();
      }
    }
    if (backend instanceof HeapKeyedStateBackend) {
      long markers;
      try (Stream<String> keys = backend.getKeys(VideoStates.DONE, VoidNamespace.INSTANCE)) {
        markers = keys.count();
      }
      assertThat(h.numKeyedStateEntries())
          .as("keyed state entries: one finished-video marker per video")
          .isEqualTo((int) markers);
    }
    assertThat(h.numProcessingTimeTimers()).as("processing-time timers").isZero();
  }

  @Test
  void aVideoGoesFromStoryboardToDecodedSegmentsAndLeavesNoState() throws Exception {
    Storyboard sb = storyboard("fox", SEGMENTS, STEPS, 42);
    long total = totalUnits(sb);
    UnitLog log = new UnitLog();
    try (var h = harness(TINY, oneUnitSlices(2, log))) {
      h.open();
      h.processElement(sb, 0);
      assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
      assertThat(h.numKeyedStateEntries()).isPositive();

      assertThat(runUntilIdle(h)).isEqualTo((int) total);

      List<DecodedSegment> out = h.extractOutputValues();
      assertThat(out).hasSize(SEGMENTS);
      for (int i = 0; i < SEGMENTS; i++) {
        DecodedSegment s = out.get(i);
        assertThat(s.videoId()).isEqualTo("fox");
        assertThat(s.segmentIndex()).isEqualTo(i);
        assertThat(s.segmentCount()).isEqualTo(SEGMENTS);
        assertThat(s.seed()).isEqualTo(42);
        assertThat(s.modelPreset()).isEqualTo("tiny");
        assertThat(s.startedAtMillis()).isZero();
        assertThat(s.frames().frameCount()).isEqualTo(ModelConfig.tiny().outputFramesOf(i));
        assertThat(s.frames().fps()).isEqualTo(ModelConfig.tiny().fps());
      }
      assertThat(rgb(out)).containsExactlyElementsOf(referenceFrames(sb));

      // progress: GENERATING on arrival, one after each slice but the last, DONE at the end
      List<VideoProgress> p = progress(h, "fox");
      assertThat(p).hasSize((int) total + 1);
      assertThat(p.get(0).status()).isEqualTo(VideoProgress.Status.GENERATING);
      assertThat(p.get(0).unitsDone()).isZero();
      assertThat(p.get(0).unitsTotal()).isEqualTo(total);
      assertThat(p.stream().filter(r -> r.status() == VideoProgress.Status.DECODING)).isNotEmpty();
      assertThat(p.stream().filter(r -> r.status() == VideoProgress.Status.DONE)).hasSize(1);
      VideoProgress done = p.get(p.size() - 1);
      assertThat(done.status()).isEqualTo(VideoProgress.Status.DONE);
      assertThat(done.unitsDone()).isEqualTo(total);
      assertThat(done.etaSeconds()).isZero();
      assertThat(p.stream().mapToLong(VideoProgress::unitsDone)).isSorted();
      assertThat(failures(h)).isEmpty();

      assertThat(log.entries()).hasSize((int) total);
      assertNoStateLeft(h);
    }
  }

  /**
   * A snapshot taken between two units of a TTT scan (the carried TTT state is in state), restored
   * into a new operator, finishes with the bytes of an uninterrupted run and of the model API.
   */
  static Stream<Arguments> scansAndBackends() {
    return Stream.of(
        Arguments.of(Phase.TTT_FORWARD, "hashmap"),
        Arguments.of(Phase.TTT_BACKWARD, "hashmap"),
        // RocksDB serializes on every access: the serializers and map state carry the whole run
        Arguments.of(Phase.TTT_FORWARD, "rocksdb"),
        Arguments.of(Phase.TTT_BACKWARD, "rocksdb"));
  }

  private static StateBackend backend(String name) throws Exception {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, name);
    return StateBackendLoader.loadStateBackendFromConfig(
        conf, GenerationOperatorTest.class.getClassLoader(), null);
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("scansAndBackends")
  void aSnapshotInTheMiddleOfATttScanRestoresToTheSameBytes(Phase scan, String backend)
      throws Exception {
    Storyboard sb = storyboard("scan", SEGMENTS, STEPS, 5);
    WorkPlan plan = new WorkPlan(ModelConfig.tiny(), SEGMENTS, STEPS);
    long cut = -1;
    for (long i = 0; i < plan.total() && cut < 0; i++) {
      WorkUnit u = plan.unit(i);
      if (u.kind() == WorkUnit.Kind.BLOCK && u.step() == 1 && u.block() == 1 && u.phase() == scan) {
        cut = i + 1; // the second unit of the scan runs next
      }
    }
    WorkUnit next = plan.unit(cut);
    assertThat(next.phase()).isEqualTo(scan);
    assertThat(next.first()).isFalse();
    assertThat(next.segment()).isEqualTo(scan == Phase.TTT_FORWARD ? 1 : SEGMENTS - 2);

    UnitLog log = new UnitLog();
    OperatorSubtaskState snapshot;
    long time;
    List<byte[]> uninterrupted;
    try (var h = harness(TINY, oneUnitSlices(2, log))) {
      h.setStateBackend(backend(backend));
      h.open();
      h.processElement(sb, 0);
      while (log.lastUnit("scan") < cut) {
        h.setProcessingTime(h.getProcessingTime() + 1);
      }
      assertThat(log.lastUnit("scan")).isEqualTo(cut);
      GenerationOperator op = (GenerationOperator) h.getOperator();
      op.setCurrentKey("scan");
      VideoStates states = new VideoStates(op.getKeyedStateStore());
      assertThat(states.ttt.value()).as("the TTT state carried across segments").isNotNull();
      assertThat(states.cursor.value()).isEqualTo(cut);
      assertThat(h.extractOutputValues()).isEmpty();

      time = h.getProcessingTime();
      snapshot = h.snapshot(1L, time);
      runUntilIdle(h);
      uninterrupted = rgb(segments(h, "scan"));
    }
    assertThat(uninterrupted).hasSize(SEGMENTS);
    assertThat(uninterrupted).containsExactlyElementsOf(referenceFrames(sb));

    UnitLog restoredLog = new UnitLog();
    try (var h = harness(TINY, oneUnitSlices(2, restoredLog))) {
      h.setStateBackend(backend(backend));
      h.setProcessingTime(time);
      h.initializeState(snapshot);
      h.open();
      assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
      runUntilIdle(h);

      assertThat(restoredLog.entries().get(0).unitsDone()).isEqualTo(cut + 1);
      assertThat(rgb(segments(h, "scan"))).containsExactlyElementsOf(uninterrupted);
      assertThat(progress(h, "scan").get(progress(h, "scan").size() - 1).status())
          .isEqualTo(VideoProgress.Status.DONE);
      assertThat(failures(h)).isEmpty();
      assertNoStateLeft(h);
    }
  }

  @Test
  void twoActiveVideosTakeSlicesInTurn() throws Exception {
    Storyboard a = storyboard("a", 2, STEPS, 1);
    Storyboard b = storyboard("b", 2, STEPS, 2);
    long total = totalUnits(a);
    UnitLog log = new UnitLog();
    try (var h = harness(TINY, oneUnitSlices(2, log))) {
      h.open();
      h.processElement(a, 0);
      h.processElement(b, 0);
      runUntilIdle(h);

      List<String> order = log.videos();
      assertThat(order).hasSize((int) (2 * total));
      for (int i = 0; i < order.size(); i++) {
        assertThat(order.get(i)).as("slice %d", i).isEqualTo(i % 2 == 0 ? "a" : "b");
      }
      assertThat(rgb(segments(h, "a"))).containsExactlyElementsOf(referenceFrames(a));
      assertThat(rgb(segments(h, "b"))).containsExactlyElementsOf(referenceFrames(b));
      assertNoStateLeft(h);
    }
  }

  @Test
  void slicesOfSeveralUnitsAlsoAlternate() throws Exception {
    UnitLog log = new UnitLog();
    // a slice long enough for a few tiny units; whatever fits, the videos alternate by slice
    var options = new GenerationOperatorOptions(Duration.ofMillis(5), 2, Duration.ZERO, log);
    try (var h = harness(TINY, options)) {
      h.open();
      h.processElement(storyboard("a", 2, STEPS, 1), 0);
      h.processElement(storyboard("b", 2, STEPS, 2), 0);
      List<String> sliceOrder = new ArrayList<>();
      while (h.numProcessingTimeTimers() > 0) {
        int before = log.entries().size();
        h.setProcessingTime(h.getProcessingTime() + 1);
        List<String> slice = log.videos().subList(before, log.entries().size());
        assertThat(new HashSet<>(slice)).as("one video per slice").hasSize(1);
        sliceOrder.add(slice.get(0));
      }
      int firstDone = Math.min(sliceOrder.lastIndexOf("a"), sliceOrder.lastIndexOf("b"));
      for (int i = 0; i <= firstDone; i++) {
        assertThat(sliceOrder.get(i)).as("slice %d", i).isEqualTo(i % 2 == 0 ? "a" : "b");
      }
      assertNoStateLeft(h);
    }
  }

  @Test
  void atMostMaxActiveVideosGenerateAndTheThirdWaitsInTheQueue() throws Exception {
    UnitLog log = new UnitLog();
    try (var h = harness(TINY, oneUnitSlices(2, log))) {
      h.open();
      h.processElement(storyboard("a", 1, STEPS, 1), 0);
      h.processElement(storyboard("b", 2, STEPS, 2), 0);
      h.processElement(storyboard("c", 1, STEPS, 3), 0);
      assertThat(progress(h, "a"))
          .extracting(VideoProgress::status)
          .containsExactly(VideoProgress.Status.GENERATING);
      assertThat(progress(h, "c")).hasSize(1);
      VideoProgress queued = progress(h, "c").get(0);
      assertThat(queued.status()).isEqualTo(VideoProgress.Status.QUEUED);
      assertThat(queued.queuePosition()).isEqualTo(1);
      assertThat(queued.unitsTotal()).isEqualTo(totalUnits(storyboard("c", 1, STEPS, 3)));
      assertThat(h.numProcessingTimeTimers()).isEqualTo(2);

      runUntilIdle(h);

      List<String> order = log.videos();
      int firstOfC = order.indexOf("c");
      int lastOfA = order.lastIndexOf("a");
      assertThat(firstOfC)
          .as("c starts after a, the shorter video, finished")
          .isGreaterThan(lastOfA);
      Set<String> running = new HashSet<>();
      for (int i = 0; i < order.size(); i++) {
        running.add(order.get(i));
        if (i == order.lastIndexOf(order.get(i))) {
          running.remove(order.get(i));
        }
        assertThat(running.size()).as("videos in flight at unit %d", i).isLessThanOrEqualTo(2);
      }
      assertThat(progress(h, "c"))
          .extracting(VideoProgress::status)
          .startsWith(VideoProgress.Status.QUEUED, VideoProgress.Status.GENERATING)
          .endsWith(VideoProgress.Status.DONE);
      assertThat(segments(h, "a")).hasSize(1);
      assertThat(segments(h, "b")).hasSize(2);
      assertThat(segments(h, "c")).hasSize(1);
      assertThat(rgb(segments(h, "c")))
          .containsExactlyElementsOf(referenceFrames(storyboard("c", 1, STEPS, 3)));
      assertNoStateLeft(h);
    }
  }

  @Test
  void queuePositionsAreReportedAgainWhenTheQueueMoves() throws Exception {
    try (var h = harness(TINY, oneUnitSlices(1, new UnitLog()))) {
      h.open();
      for (String id : List.of("a", "b", "c")) {
        h.processElement(storyboard(id, 1, 1, 1), 0);
      }
      runUntilIdle(h);
      assertThat(progress(h, "b"))
          .filteredOn(p -> p.status() == VideoProgress.Status.QUEUED)
          .extracting(VideoProgress::queuePosition)
          .containsExactly(1);
      assertThat(progress(h, "c"))
          .filteredOn(p -> p.status() == VideoProgress.Status.QUEUED)
          .extracting(VideoProgress::queuePosition)
          .containsExactly(2, 1);
      assertThat(h.extractOutputValues())
          .extracting(DecodedSegment::videoId)
          .containsExactly("a", "b", "c");
      assertNoStateLeft(h);
    }
  }

  @Test
  void aModelFailureFailsOnlyThatVideoAndTheNextOneCompletes() throws Exception {
    Storyboard a = storyboard("a", 2, STEPS, 1);
    Storyboard b = storyboard("b", 2, STEPS, 2);
    try (var h = harness(new FailingDecoderFactory(1), oneUnitSlices(1, new UnitLog()))) {
      h.open();
      h.processElement(a, 0);
      h.processElement(b, 0);
      runUntilIdle(h);

      List<VideoFailed> failed = failures(h);
      assertThat(failed).hasSize(1);
      VideoFailed f = failed.get(0);
      assertThat(f.videoId()).isEqualTo("a");
      assertThat(f.code()).isEqualTo("GENERATION_FAILED");
      long decodeStart = totalUnits(a) - 2;
      assertThat(f.message())
          .contains("unit " + decodeStart + " of " + totalUnits(a))
          .contains("DECODE segment 0")
          .contains(FailingDecoderFactory.MESSAGE);
      assertThat(f.segmentsDone()).isZero();
      assertThat(progress(h, "a"))
          .last()
          .extracting(VideoProgress::status)
          .isEqualTo(VideoProgress.Status.FAILED);

      assertThat(segments(h, "a")).isEmpty();
      assertThat(rgb(segments(h, "b"))).containsExactlyElementsOf(referenceFrames(b));
      assertThat(progress(h, "b"))
          .last()
          .extracting(VideoProgress::status)
          .isEqualTo(VideoProgress.Status.DONE);
      assertNoStateLeft(h);
    }
  }

  @Test
  void anObserverExceptionIsATaskFailure() throws Exception {
    try (var h = harness(TINY, oneUnitSlices(1, UnitLog.failingAfter("a", 3)))) {
      h.open();
      h.processElement(storyboard("a", 1, 1, 1), 0);
      assertThatThrownBy(() -> runUntilIdle(h))
          .hasStackTraceContaining("injected task failure after unit 3");
      assertThat(failures(h)).isEmpty();
    }
  }

  @Test
  void restoringWithFewerSlotsQueuesTheYoungestAndFinishesBoth() throws Exception {
    Storyboard a = storyboard("a", 2, STEPS, 1);
    Storyboard b = storyboard("b", 2, STEPS, 2);
    OperatorSubtaskState snapshot;
    try (var h = harness(TINY, oneUnitSlices(2, new UnitLog()))) {
      h.open();
      h.processElement(a, 0);
      h.processElement(b, 0);
      for (int i = 0; i < 9; i++) {
        h.setProcessingTime(h.getProcessingTime() + 1);
      }
      snapshot = h.snapshot(1L, h.getProcessingTime());
    }
    UnitLog log = new UnitLog();
    try (var h = harness(TINY, oneUnitSlices(1, log))) {
      h.initializeState(snapshot);
      h.open();
      assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
      assertThat(progress(h, "b")).isEmpty(); // open() emits nothing
      runUntilIdle(h);
      assertThat(progress(h, "b"))
          .extracting(VideoProgress::status, VideoProgress::queuePosition)
          .startsWith(
              tuple(VideoProgress.Status.QUEUED, 1), tuple(VideoProgress.Status.GENERATING, 0));
      List<String> order = log.videos();
      assertThat(order.indexOf("b")).isGreaterThan(order.lastIndexOf("a"));
      assertThat(log.entries().get(order.indexOf("b")).unitsDone()).isEqualTo(4 + 1);
      assertThat(rgb(segments(h, "a"))).containsExactlyElementsOf(referenceFrames(a));
      assertThat(rgb(segments(h, "b"))).containsExactlyElementsOf(referenceFrames(b));
      assertNoStateLeft(h);
    }
  }

  @Test
  void endOfInputGeneratesTheRemainingVideos() throws Exception {
    Storyboard a = storyboard("a", 2, 1, 1);
    Storyboard b = storyboard("b", 1, 1, 2);
    var h = harness(TINY, oneUnitSlices(1, new UnitLog()));
    h.open();
    h.processElement(a, 0);
    h.processElement(b, 0);
    h.setProcessingTime(1);
    h.close(); // finish() drains
    assertThat(rgb(segments(h, "a"))).containsExactlyElementsOf(referenceFrames(a));
    assertThat(rgb(segments(h, "b"))).containsExactlyElementsOf(referenceFrames(b));
    assertThat(progress(h, "b"))
        .last()
        .extracting(VideoProgress::status)
        .isEqualTo(VideoProgress.Status.DONE);
  }

  /** The operator's close() closes its generator, which closes the compute backend it owns. */
  @Test
  void closingTheOperatorClosesTheComputeBackendOfItsGenerator() throws Exception {
    AtomicInteger closes = new AtomicInteger();
    try (var h = harness(new CloseCountingFactory(closes), oneUnitSlices(1, new UnitLog()))) {
      h.open();
      h.processElement(storyboard("closed", 1, 1, 3), 0);
      h.setProcessingTime(h.getProcessingTime() + 1);
      assertThat(closes).as("closes while open").hasValue(0);
    }
    assertThat(closes).as("closes after the harness closed").hasValue(1);
  }

  @Test
  void aRepeatedStoryboardOfAVideoInProgressIsRejectedAndTheVideoGeneratedOnce() throws Exception {
    try (var h = harness(TINY, oneUnitSlices(2, new UnitLog()))) {
      h.open();
      h.processElement(storyboard("a", 1, 1, 1), 0);
      h.processElement(storyboard("a", 1, 1, 1), 0);
      assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
      runUntilIdle(h);
      assertThat(h.extractOutputValues()).hasSize(1);
      assertThat(progress(h, "a"))
          .filteredOn(p -> p.status() == VideoProgress.Status.DONE)
          .hasSize(1);
      assertThat(OperatorHarness.rejections(h))
          .extracting(r -> r.code().name(), r -> r.videoId())
          .containsExactly(tuple("DUPLICATE_VIDEO_ID", "a"));
      assertNoStateLeft(h);
    }
  }
}
