package org.tttvideo.operators.generation;

import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.generate.GenerationState;
import org.tttvideo.model.generate.Generator;
import org.tttvideo.model.generate.WorkUnit;

/**
 * Runs one work unit of a generating video: the model's {@link Generator#step}, the {@link
 * DecodedSegment} of a unit that decoded one, and the failure of a model call that fails only this
 * video ({@link ModelFailures}); any other throwable is rethrown and fails the task. Changes
 * nothing: the operator writes the state and emits the segment.
 *
 * <pre>{@code
 * UnitRunner.Outcome u = units.run(id, video);
 * if (u.failed()) { ... } else { states.writeChanges(video.state, u.after()); video.state = u.after(); }
 * }</pre>
 */
final class UnitRunner {
  private final Generator generator;
  private final ModelConfig config;

  UnitRunner(Generator generator, ModelConfig config) {
    this.generator = generator;
    this.config = config;
  }

  /**
   * What one unit did.
   *
   * @param unit the unit run
   * @param index its index, the cursor before it
   * @param after the state after it; null if it failed
   * @param decoded the segment it decoded, or null
   * @param nanos its compute time (with the frame conversion of a decoded segment)
   * @param failureCode the {@code VideoFailed} code of its failure; null if it succeeded
   * @param failure what the model call threw; null if it succeeded
   */
  record Outcome(
      WorkUnit unit,
      long index,
      GenerationState after,
      DecodedSegment decoded,
      long nanos,
      String failureCode,
      Throwable failure) {

    boolean failed() {
      return failure != null;
    }
  }

  /** Runs the next unit of video {@code id} from its state in memory. */
  Outcome run(String id, LiveVideo v) {
    GenerationState before = v.state;
    WorkUnit unit = generator.next(before);
    long index = before.unit();
    long t0 = System.nanoTime();
    GenerationState after = null;
    DecodedSegment decoded = null;
    Throwable failure = null;
    try {
      after = generator.step(before);
      if (after.decodedFrames() != null) {
        decoded =
            new DecodedSegment(
                id,
                after.decodedSegment(),
                before.request().segments(),
                before.request().seed(),
                v.meta.modelPreset(),
                v.meta.startedAtMillis(),
                FrameConversion.toFrames(after.decodedFrames(), config.fps()));
      }
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    if (failure != null) {
      // Drop every reference to the unit's tensors before anything else (an out-of-memory error:
      // the memory is needed back for the message and the other videos).
      after = null;
      decoded = null;
      return new Outcome(unit, index, null, null, 0, ModelFailures.codeOrRethrow(failure), failure);
    }
    return new Outcome(unit, index, after, decoded, System.nanoTime() - t0, null, null);
  }
}
