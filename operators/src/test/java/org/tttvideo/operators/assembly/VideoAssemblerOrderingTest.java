package org.tttvideo.operators.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tttvideo.operators.assembly.testutils.AssemblerHarnesses.frames;
import static org.tttvideo.operators.assembly.testutils.AssemblerHarnesses.harness;
import static org.tttvideo.operators.assembly.testutils.AssemblerHarnesses.sha256;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tttvideo.connectors.kafka.VideoOutcome;
import org.tttvideo.connectors.video.Frames;
import org.tttvideo.operators.generation.DecodedSegment;
import org.tttvideo.video.VideoFailed;
import org.tttvideo.video.VideoReady;

/**
 * The two inputs of the assembler in every order the generation operator's outputs can reach it:
 * each input keeps the generation operator's order for a video id, but between the inputs any
 * interleaving is possible. Exact outputs (each failure forwarded once, a VideoReady only for the
 * run that completed, its MP4 equal by SHA-256 to that run assembled alone), no keyed state and no
 * timers left, and the same through a snapshot and restore at any point.
 */
class VideoAssemblerOrderingTest {
  private static final int W = 16;
  private static final int H = 16;
  private static final long NOW = 10_000L;
  private static final String ID = "v";

  /** A run that fails after decoding 2 of its 3 segments. */
  private static final VideoRun A = new VideoRun(1_000, 3, 1L, "tiny");

  /** Its resubmission, which fails after 1 of 3. */
  private static final VideoRun B = new VideoRun(2_000, 3, 2L, "tiny");

  /** The next resubmission, which completes. */
  private static final VideoRun C = new VideoRun(3_000, 3, 3L, "tiny");

  @TempDir Path dir;

  /** Segment {@code index} of {@code run}; frames differ by run and index, so a mix shows. */
  private static DecodedSegment segment(VideoRun run, int index) {
    Frames f = frames(W, H, index == 0 ? 9 : 8, (int) run.seed() * 10 + index);
    return new DecodedSegment(
        ID, index, run.segmentCount(), run.seed(), run.modelPreset(), run.startedAtMillis(), f);
  }

  private static VideoFailed failure(int segmentsDone) {
    return new VideoFailed(
        ID, "GENERATION_FAILED", "generation failed after " + segmentsDone, segmentsDone, 900);
  }

  /** One record on one of the two inputs. */
  private record In(DecodedSegment segment, VideoFailed failure) {
    static In of(DecodedSegment s) {
      return new In(s, null);
    }

    static In of(VideoFailed f) {
      return new In(null, f);
    }

    void feed(KeyedTwoInputStreamOperatorTestHarness<String, DecodedSegment, VideoFailed, ?> h)
        throws Exception {
      if (segment != null) {
        h.processElement1(segment, 0);
      } else {
        h.processElement2(failure, 0);
      }
    }

    @Override
    public String toString() {
      return segment != null
          ? "seg(" + segment.startedAtMillis() + "#" + segment.segmentIndex() + ")"
          : "fail(" + failure.segmentsDone() + ")";
    }
  }

  /** Every interleaving of {@code a} and {@code b} that keeps the order within each. */
  private static List<List<In>> merges(List<In> a, List<In> b) {
    List<List<In>> all = new ArrayList<>();
    merge(a, 0, b, 0, new ArrayList<>(), all);
    return all;
  }

  private static void merge(
      List<In> a, int i, List<In> b, int j, List<In> prefix, List<List<In>> all) {
    if (i == a.size() && j == b.size()) {
      all.add(List.copyOf(prefix));
      return;
    }
    if (i < a.size()) {
      prefix.add(a.get(i));
      merge(a, i + 1, b, j, prefix, all);
      prefix.remove(prefix.size() - 1);
    }
    if (j < b.size()) {
      prefix.add(b.get(j));
      merge(a, i, b, j + 1, prefix, all);
      prefix.remove(prefix.size() - 1);
    }
  }

  /** Segments of {@code run} 0 to {@code count - 1}, as inputs. */
  private static List<In> segments(VideoRun run, int count) {
    List<In> s = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      s.add(In.of(segment(run, i)));
    }
    return s;
  }

  /** What the assembler emitted and what it held afterwards. */
  private record Run(List<VideoOutcome> out, int stateEntries, int timers) {}

  /**
   * Feeds {@code inputs} to a fresh assembler storing under {@code videos}; with {@code cut} >= 0,
   * snapshots after that many inputs and feeds the rest to an assembler restored from it.
   */
  private static Run run(Path videos, String backend, List<In> inputs, int cut) throws Exception {
    String uri = videos.toUri().toString();
    List<VideoOutcome> out = new ArrayList<>();
    OperatorSubtaskState snapshot = null;
    int from = 0;
    if (cut >= 0) {
      try (var h = harness(uri, backend)) {
        h.open();
        h.setProcessingTime(NOW);
        for (In in : inputs.subList(0, cut)) {
          in.feed(h);
        }
        out.addAll(h.extractOutputValues());
        snapshot = h.snapshot(1L, NOW);
      }
      from = cut;
    }
    try (var h = harness(uri, backend)) {
      if (snapshot != null) {
        h.initializeState(snapshot);
      }
      h.open();
      h.setProcessingTime(NOW);
      for (In in : inputs.subList(from, inputs.size())) {
        in.feed(h);
      }
      out.addAll(h.extractOutputValues());
      return new Run(out, stateEntries(h), h.numProcessingTimeTimers() + h.numEventTimeTimers());
    }
  }

  /**
   * Keyed state entries of the assembler's states: per state, the keys with a value. The harness's
   * {@code numKeyedStateEntries} counts only on the heap backend.
   */
  private static int stateEntries(AbstractStreamOperatorTestHarness<?> h) throws Exception {
    KeyedStateBackend<?> backend = h.getOperator().getKeyedStateBackend();
    int entries = 0;
    for (String state : List.of(VideoAssembler.SEGMENTS, VideoAssembler.RUNS)) {
      try (Stream<?> keys = backend.getKeys(state, VoidNamespace.INSTANCE)) {
        entries += (int) keys.count();
      }
    }
    return entries;
  }

  /** {@code run} assembled alone (no other run, no failure): what its VideoReady must equal. */
  private VideoReady alone(VideoRun run) throws Exception {
    Run r = run(dir.resolve("alone"), "hashmap", segments(run, run.segmentCount()), -1);
    assertThat(r.out()).hasSize(1);
    return r.out().get(0).ready();
  }

  /** {@code reference} as it reads when stored under {@code uri}. */
  private static VideoReady storedAt(VideoReady reference, String uri) {
    return new VideoReady(
        reference.videoId(),
        uri,
        reference.sha256(),
        reference.bytes(),
        reference.durationSeconds(),
        reference.fps(),
        reference.width(),
        reference.height(),
        reference.segments(),
        reference.seed(),
        reference.modelPreset(),
        reference.wallTimeMillis());
  }

  private static List<String> files(Path videos) throws Exception {
    if (!Files.exists(videos)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(videos)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @ParameterizedTest(name = "{0} of its segments before the failure")
  @ValueSource(ints = {0, 1, 2})
  void aFailureBeforeSomeOrAllOfItsSegmentsEndsTheVideoExactlyOnce(int before) throws Exception {
    VideoFailed failed = failure(2);
    List<In> inputs = new ArrayList<>(segments(A, 2));
    inputs.add(before, In.of(failed));
    Path videos = dir.resolve("videos");
    try (var h = harness(videos.toUri().toString())) {
      h.open();
      h.setProcessingTime(NOW);
      for (In in : inputs) {
        in.feed(h);
        if (in.failure() != null && before < 2) {
          // its segments still to come are remembered, nothing else
          assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        }
      }
      assertThat(h.extractOutputValues()).containsExactly(VideoOutcome.of(failed));
      assertThat(h.extractOutputValues().get(0).failed().code()).isEqualTo("GENERATION_FAILED");
      assertThat(h.numKeyedStateEntries()).isZero();
      assertThat(h.numProcessingTimeTimers()).isZero();
      assertThat(h.numEventTimeTimers()).isZero();
    }
    assertThat(files(videos)).isEmpty();
  }

  @Test
  void staleSegmentsOfAFailedRunAreNeverMixedIntoTheNextRun() throws Exception {
    VideoReady reference = alone(C);
    // A's two segments, then its resubmission C complete, and only then A's failure
    List<In> inputs = new ArrayList<>(segments(A, 2));
    inputs.addAll(segments(C, 3));
    inputs.add(In.of(failure(2)));
    Path videos = dir.resolve("videos");
    Run r = run(videos, "hashmap", inputs, -1);

    String uri = videos.resolve(ID + ".mp4").toUri().toString().replace("file:///", "file:/");
    assertThat(r.out())
        .containsExactly(VideoOutcome.of(storedAt(reference, uri)), VideoOutcome.of(failure(2)));
    assertThat(sha256(videos.resolve(ID + ".mp4"))).isEqualTo(reference.sha256());
    assertThat(r.stateEntries()).isZero();
    assertThat(r.timers()).isZero();
  }

  /**
   * Video {@code v}: a storyboard the model cannot generate (a failure with no segment), then runs
   * A (fails after 2 segments), B (fails after 1) and C (completes), each resubmitted after the
   * previous failure. All 84 interleavings of the 6 segments and 3 failures, each also snapshotted
   * and restored after a different number of inputs.
   */
  @Test
  void everyInterleavingOfSegmentsAndFailuresGivesTheSameOutcomes() throws Exception {
    VideoReady reference = alone(C);
    List<In> segments = new ArrayList<>(segments(A, 2));
    segments.addAll(segments(B, 1));
    segments.addAll(segments(C, 3));
    List<VideoFailed> failures = List.of(failure(0), failure(2), failure(1));
    List<List<In>> merges = merges(segments, failures.stream().map(In::of).toList());
    assertThat(merges).hasSize(84);

    for (int m = 0; m < merges.size(); m++) {
      List<In> inputs = merges.get(m);
      int cut = m % (inputs.size() + 1);
      Path videos = dir.resolve("merge-" + m);
      Run r = run(videos, "hashmap", inputs, cut);
      String uri = videos.resolve(ID + ".mp4").toUri().toString().replace("file:///", "file:/");
      String where = inputs + ", restored after " + cut;

      assertThat(r.out().stream().filter(o -> !o.isReady()).map(VideoOutcome::failed))
          .as(where)
          .containsExactlyElementsOf(failures);
      assertThat(r.out().stream().filter(VideoOutcome::isReady).map(VideoOutcome::ready))
          .as(where)
          .containsExactly(storedAt(reference, uri));
      assertThat(r.stateEntries()).as(where).isZero();
      assertThat(r.timers()).as(where).isZero();
      assertThat(files(videos)).as(where).containsExactly(ID + ".mp4");
      assertThat(sha256(videos.resolve(ID + ".mp4"))).as(where).isEqualTo(reference.sha256());
    }
  }

  /**
   * The ledger and the held segments through a snapshot and restore after every input, on both
   * state backends, for the orders that leave the most in state: all failures first (failures
   * waiting for their runs' segments) and all failures last (runs given up before their failure).
   */
  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void aSnapshotAtAnyPointRestoresToTheSameOutcomes(String backend) throws Exception {
    VideoReady reference = alone(C);
    List<In> segments = new ArrayList<>(segments(A, 2));
    segments.addAll(segments(B, 1));
    segments.addAll(segments(C, 3));
    List<In> failures = List.of(In.of(failure(2)), In.of(failure(1)));
    List<In> failuresFirst = new ArrayList<>(failures);
    failuresFirst.addAll(segments);
    List<In> failuresLast = new ArrayList<>(segments);
    failuresLast.addAll(failures);

    for (List<In> inputs : List.of(failuresFirst, failuresLast)) {
      for (int cut = 0; cut <= inputs.size(); cut++) {
        Path videos = dir.resolve(backend + "-" + (inputs == failuresFirst) + "-" + cut);
        Run r = run(videos, backend, inputs, cut);
        String uri = videos.resolve(ID + ".mp4").toUri().toString().replace("file:///", "file:/");
        String where = inputs + ", restored after " + cut;
        assertThat(r.out())
            .as(where)
            .containsExactlyInAnyOrder(
                VideoOutcome.of(failure(2)),
                VideoOutcome.of(failure(1)),
                VideoOutcome.of(storedAt(reference, uri)));
        assertThat(r.stateEntries()).as(where).isZero();
        assertThat(r.timers()).as(where).isZero();
      }
    }
  }

  /** Holds segments in {@value VideoAssembler#SEGMENTS} only, as the build before the ledger. */
  private static final class SegmentsOnly
      extends KeyedCoProcessFunction<String, DecodedSegment, VideoFailed, VideoOutcome> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement1(DecodedSegment s, Context ctx, Collector<VideoOutcome> out)
        throws Exception {
      MapState<Integer, Frames> held =
          getRuntimeContext()
              .getMapState(
                  new MapStateDescriptor<>(
                      VideoAssembler.SEGMENTS, Types.INT, VideoAssembler.FRAMES));
      held.put(s.segmentIndex(), s.frames());
    }

    @Override
    public void processElement2(VideoFailed f, Context ctx, Collector<VideoOutcome> out) {}
  }

  private static OperatorSubtaskState segmentsOnly(List<DecodedSegment> held) throws Exception {
    try (var h =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(new SegmentsOnly()),
            DecodedSegment::videoId,
            VideoFailed::videoId,
            Types.STRING)) {
      h.open();
      for (DecodedSegment s : held) {
        h.processElement1(s, 0);
      }
      return h.snapshot(1L, 0);
    }
  }

  @Test
  void segmentsOfABuildBeforeTheLedgerAreTakenAsTheNextSegmentsRun() throws Exception {
    VideoReady reference = alone(C);
    OperatorSubtaskState old = segmentsOnly(List.of(segment(C, 0), segment(C, 1)));
    Path videos = dir.resolve("videos");
    try (var h = harness(videos.toUri().toString())) {
      h.initializeState(old);
      h.open();
      h.setProcessingTime(NOW);
      assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the segments, no ledger
      h.processElement1(segment(C, 2), 0);
      assertThat(h.extractOutputValues()).hasSize(1);
      assertThat(h.extractOutputValues().get(0).ready().sha256()).isEqualTo(reference.sha256());
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }

  @Test
  void segmentsOfABuildBeforeTheLedgerAreClearedByAFailure() throws Exception {
    OperatorSubtaskState old = segmentsOnly(List.of(segment(A, 0)));
    try (var h = harness(dir.resolve("videos").toUri().toString())) {
      h.initializeState(old);
      h.open();
      h.processElement2(failure(1), 0);
      assertThat(h.extractOutputValues()).containsExactly(VideoOutcome.of(failure(1)));
      assertThat(h.numKeyedStateEntries()).isZero();
    }
  }
}
