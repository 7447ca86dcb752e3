package org.tttvideo.operators.generation;

import java.util.Objects;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.generate.GenerationRequest;
import org.tttvideo.model.generate.WorkPlan;

/**
 * What the generation operator keeps about one video besides its tensors: whether it is queued or
 * generating, its place in the arrival order, and the request it generates (stored, rather than the
 * storyboard, so that a restored video continues with exactly the request it started with).
 *
 * @param status queued or generating
 * @param arrival arrival sequence number on its subtask (the queue order)
 * @param startedAtMillis processing time when the operator first saw the storyboard
 * @param modelPreset the preset that generates it
 * @param request the model request
 */
public record VideoMeta(
    Status status,
    long arrival,
    long startedAtMillis,
    String modelPreset,
    GenerationRequest request) {

  /** Where a video stands on its subtask. */
  public enum Status {
    /** Waiting for a free slot, in arrival order. */
    QUEUED,
    /** Generating: holds a slot and a pending slice timer. */
    ACTIVE
  }

  public VideoMeta {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(modelPreset, "modelPreset");
    Objects.requireNonNull(request, "request");
  }

  /** This video with another status. */
  public VideoMeta withStatus(Status newStatus) {
    return new VideoMeta(newStatus, arrival, startedAtMillis, modelPreset, request);
  }

  /** The work plan of this video's request on {@code config}. */
  WorkPlan plan(ModelConfig config) {
    return new WorkPlan(config, request.segments(), request.steps());
  }
}
