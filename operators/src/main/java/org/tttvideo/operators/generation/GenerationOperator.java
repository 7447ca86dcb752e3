package org.tttvideo.operators.generation;

import java.util.Objects;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.tttvideo.model.storyboard.Storyboard;
import org.tttvideo.model.video.VideoFailed;
import org.tttvideo.model.video.VideoProgress;

/** The keyed generation operator (work in progress: the public API is final). */
public final class GenerationOperator extends AbstractStreamOperator<DecodedSegment>
    implements OneInputStreamOperator<Storyboard, DecodedSegment>,
        Triggerable<String, VoidNamespace> {

  private static final long serialVersionUID = 1L;

  /** Progress records of every video ("video-progress"). */
  public static final OutputTag<VideoProgress> PROGRESS =
      new OutputTag<>(
          "video-progress",
          org.apache.flink.api.common.typeinfo.TypeInformation.of(VideoProgress.class));

  /** One record per video whose generation failed ("video-failed"). */
  public static final OutputTag<VideoFailed> FAILED =
      new OutputTag<>(
          "video-failed",
          org.apache.flink.api.common.typeinfo.TypeInformation.of(VideoFailed.class));

  private final GeneratorFactory factory;
  private final GenerationOperatorOptions options;

  public GenerationOperator(GeneratorFactory factory, GenerationOperatorOptions options) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public void processElement(StreamRecord<Storyboard> element) throws Exception {
    throw new UnsupportedOperationException("not implemented yet");
  }

  @Override
  public void onEventTime(InternalTimer<String, VoidNamespace> timer) {}

  @Override
  public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
