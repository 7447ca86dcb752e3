package org.tttvideo.toonworld;

/** How a character is drawn in one frame. */
public enum Posture {
  STAND,
  WALK,
  RUN,
  /** In the air, legs stretched. */
  AIR,
  SIT,
  /** Lying down, eyes closed. */
  SLEEP,
  /** Head down to a bowl. */
  EAT
}
