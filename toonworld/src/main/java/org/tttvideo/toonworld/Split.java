package org.tttvideo.toonworld;

/**
 * Which part of the data an example belongs to; {@link WorldSampler} keeps the two apart by seed
 * range and by scene combination.
 */
public enum Split {
  TRAIN,
  HELD_OUT;

  /** {@code "train"} or {@code "held_out"}. */
  public String jsonName() {
    return this == TRAIN ? "train" : "held_out";
  }
}
