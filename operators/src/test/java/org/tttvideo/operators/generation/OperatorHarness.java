package org.tttvideo.operators.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tttvideo.operators.generation.testutils.GenerationFixtures.TINY;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.generate.GeneratedVideo;
import org.tttvideo.model.generate.Generator;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.video.VideoFailed;
import org.tttvideo.video.VideoProgress;

/**
 * The generation operator's harness and what its tests read from it: time slices of one unit each
 * (a 1 ns slice runs exactly one unit), so each {@code setProcessingTime(t + 1)} fires exactly one
 * slice and the schedule is deterministic.
 */
final class OperatorHarness {
  private OperatorHarness() {}

  /** The operator's keyed harness. */
  static KeyedOneInputStreamOperatorTestHarness<String, Storyboard, DecodedSegment> harness(
      GeneratorFactory factory, GenerationOperatorOptions options) throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new GenerationOperator(factory, options), Storyboard::videoId, Types.STRING);
  }

  /** Slices of one unit, {@code maxActive} videos at once, progress after every slice. */
  static GenerationOperatorOptions oneUnitSlices(int maxActive, UnitObserver observer) {
    return new GenerationOperatorOptions(Duration.ofNanos(1), maxActive, Duration.ZERO, observer);
  }

  /** Advances processing time 1 ms at a time until no timer is pending; returns the steps. */
  static int runUntilIdle(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) throws Exception {
    int steps = 0;
    while (h.numProcessingTimeTimers() > 0) {
      assertThat(steps++).as("slices before idle").isLessThan(100_000);
      h.setProcessingTime(h.getProcessingTime() + 1);
    }
    return steps;
  }

  static List<DecodedSegment> segments(
      KeyedOneInputStreamOperatorTestHarness<?, ?, DecodedSegment> h, String videoId) {
    return h.extractOutputValues().stream().filter(s -> s.videoId().equals(videoId)).toList();
  }

  static List<VideoProgress> progress(
      KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h, String videoId) {
    return progress(h).stream().filter(p -> p.videoId().equals(videoId)).toList();
  }

  static List<VideoProgress> progress(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) {
    var out = h.getSideOutput(GenerationOperator.PROGRESS);
    return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
  }

  static List<VideoFailed> failures(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) {
    var out = h.getSideOutput(GenerationOperator.FAILED);
    return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
  }

  static List<Rejection> rejections(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) {
    var out = h.getSideOutput(GenerationOperator.REJECTED);
    return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
  }

  /** The video's frames computed directly on the model API, converted as the operator does. */
  static List<byte[]> referenceFrames(Storyboard sb) {
    try (Generator g = TINY.create(-1)) {
      GeneratedVideo video = g.generate(StoryboardRequests.toRequest(sb, g.config()));
      List<byte[]> frames = new ArrayList<>();
      for (Tensor t : video.frames()) {
        frames.add(FrameConversion.toFrames(t, g.config().fps()).rgb());
      }
      return frames;
    }
  }

  static List<byte[]> rgb(List<DecodedSegment> segments) {
    return segments.stream().map(s -> s.frames().rgb()).toList();
  }
}
