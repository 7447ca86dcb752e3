package org.tttvideo.operators.generation;

import java.util.Objects;

/**
 * What a generating video's state says about the task failures it was in: the bookkeeping that lets
 * {@link GenerationOperator} fail a poison video (one that makes its task fail again and again)
 * without failing a long video that merely lives through unrelated failures. See {@link
 * PoisonDetection}, its "Poison videos" section for how the fields are used.
 *
 * @param stage whether the video may run after the checkpoint that holds this mark
 * @param strikes restores in a row charged to this video without a checkpoint seeing it progress
 * @param cursor the video's cursor at its last restore, -1 before any
 * @param attempt the task attempt ({@code TaskInfo#getAttemptNumber()}) that wrote the mark, which
 *     is the attempt that took every checkpoint holding it
 */
public record RestoreMark(Stage stage, int strikes, long cursor, int attempt) {

  /** Whether a video may run. */
  public enum Stage {
    /** It runs (or, as a candidate, is released when the checkpoint holding this completes). */
    RUNNING,
    /** After a restore, it waits for the videos restored before it to prove themselves. */
    HELD
  }

  public RestoreMark {
    Objects.requireNonNull(stage, "stage");
    if (strikes < 0 || cursor < -1 || attempt < 0) {
      throw new IllegalArgumentException(
          "strikes and attempt must be >= 0 and cursor >= -1, got "
              + strikes
              + ", "
              + attempt
              + ", "
              + cursor);
    }
  }

  /** The mark of a video that starts generating in attempt {@code attempt}. */
  public static RestoreMark started(int attempt) {
    return new RestoreMark(Stage.RUNNING, 0, -1, attempt);
  }

  /** This mark, running in attempt {@code newAttempt}. */
  public RestoreMark running(int newAttempt) {
    return new RestoreMark(Stage.RUNNING, strikes, cursor, newAttempt);
  }
}
