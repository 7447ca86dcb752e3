package org.tttvideo.toonworld;

/** A side of the picture, and so a direction of motion along x. */
public enum Side implements WorldWord {
  LEFT(-1),
  RIGHT(1);

  private final int sign;

  Side(int sign) {
    this.sign = sign;
  }

  /** -1 for left, +1 for right: the sign of x motion toward this side. */
  public int sign() {
    return sign;
  }

  /** The other side. */
  public Side opposite() {
    return this == LEFT ? RIGHT : LEFT;
  }
}
