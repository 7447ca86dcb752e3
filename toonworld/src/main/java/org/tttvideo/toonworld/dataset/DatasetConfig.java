package org.tttvideo.toonworld.dataset;

import org.tttvideo.toonworld.WorldSpec;

/**
 * What {@link DatasetWriter} writes.
 *
 * @param trainExamples examples of the training split, at least 0
 * @param heldOutExamples examples of the held-out split, at least 0
 * @param minSegments the fewest segments of an example, in [1, 21]
 * @param maxSegments the most, in [minSegments, 21]; each example's count is drawn from its seed
 * @param examplesPerShard at least 1
 */
public record DatasetConfig(
    int trainExamples,
    int heldOutExamples,
    int minSegments,
    int maxSegments,
    int examplesPerShard) {

  public DatasetConfig {
    if (trainExamples < 0) {
      throw new IllegalArgumentException("trainExamples must be >= 0, was " + trainExamples);
    }
    if (heldOutExamples < 0) {
      throw new IllegalArgumentException("heldOutExamples must be >= 0, was " + heldOutExamples);
    }
    if (minSegments < 1 || minSegments > WorldSpec.MAX_SEGMENTS) {
      throw new IllegalArgumentException("minSegments must be in [1, 21], was " + minSegments);
    }
    if (maxSegments < minSegments || maxSegments > WorldSpec.MAX_SEGMENTS) {
      throw new IllegalArgumentException(
          "maxSegments must be in [minSegments = " + minSegments + ", 21], was " + maxSegments);
    }
    if (examplesPerShard < 1) {
      throw new IllegalArgumentException("examplesPerShard must be >= 1, was " + examplesPerShard);
    }
  }
}
