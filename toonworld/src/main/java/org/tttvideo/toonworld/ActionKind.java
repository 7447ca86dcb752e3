package org.tttvideo.toonworld;

/**
 * What a character does during one segment, and which arguments each kind takes ({@link Action}
 * checks them): a direction for the motions, a piece of furniture for {@code JUMP_ONTO} and {@code
 * HIDE}, nothing for the others.
 */
public enum ActionKind implements WorldWord {
  /** Walks toward a side. */
  WALK(true, false),
  /** Runs toward a side, twice as fast as walking. */
  RUN(true, false),
  /** The cat runs toward a side after the mouse, which runs ahead of it. Cat only. */
  CHASE(true, false),
  /** Jumps up and down in place. */
  JUMP(false, false),
  /** Jumps onto a piece of furniture and stays on top. */
  JUMP_ONTO(false, true),
  /** Lies still, breathing slowly. */
  SLEEP(false, false),
  /** Sits still, breathing. */
  SIT(false, false),
  /** Stays in place, its head bobbing. */
  EAT(false, false),
  /** Moves behind a piece of furniture, which hides it. */
  HIDE(false, true),
  /** Comes in from off screen at the side given. */
  ENTER(true, false),
  /** Goes off screen at the side given. */
  LEAVE(true, false);

  private final boolean takesDirection;
  private final boolean takesTarget;

  ActionKind(boolean takesDirection, boolean takesTarget) {
    this.takesDirection = takesDirection;
    this.takesTarget = takesTarget;
  }

  /** Whether an action of this kind needs a {@link Side} (and takes no other). */
  public boolean takesDirection() {
    return takesDirection;
  }

  /** Whether an action of this kind needs a {@link Furniture} target. */
  public boolean takesTarget() {
    return takesTarget;
  }

  /** Whether the character moves along x during the segment. */
  public boolean moves() {
    return takesDirection;
  }
}
