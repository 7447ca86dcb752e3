package org.tttvideo.toonworld;

/**
 * What the camera does during a segment. A pan moves the view over the room: {@code PAN_RIGHT}
 * moves the view right, so the room and everything in it slides left on screen.
 */
public enum Camera implements WorldWord {
  STILL,
  PAN_LEFT,
  PAN_RIGHT
}
