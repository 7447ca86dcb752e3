package org.tttvideo.toonworld;

/**
 * What the camera does during a segment. A pan moves the view over the room: {@code PAN_RIGHT}
 * moves the view right, so the room and everything in it slides left on screen.
 */
public enum Camera {
  STILL("still"),
  PAN_LEFT("pan left"),
  PAN_RIGHT("pan right");

  private final String word;

  Camera(String word) {
    this.word = word;
  }

  /** {@code "still"}, {@code "pan left"}, {@code "pan right"}. */
  public String word() {
    return word;
  }
}
