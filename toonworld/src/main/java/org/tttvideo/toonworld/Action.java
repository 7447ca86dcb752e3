package org.tttvideo.toonworld;

/**
 * One character's action in one segment.
 *
 * <pre>{@code
 * Action.of(ActionKind.WALK, Side.RIGHT, null);        // walks to the right
 * Action.of(ActionKind.JUMP_ONTO, null, Furniture.TABLE);
 * Action.of(ActionKind.ENTER, Side.LEFT, null);        // comes in from the left
 * }</pre>
 *
 * @param kind what it does
 * @param direction for WALK, RUN, CHASE the side it moves toward; for ENTER the side it comes in
 *     from; for LEAVE the side it goes out at; {@code null} for the other kinds
 * @param target for JUMP_ONTO a piece it can jump onto, for HIDE a piece it can hide behind; {@code
 *     null} for the other kinds
 */
public record Action(ActionKind kind, Side direction, Furniture target) {

  public Action {
    if (kind == null) {
      throw new IllegalArgumentException("kind must not be null");
    }
    if (kind.takesDirection() && direction == null) {
      throw new IllegalArgumentException(
          "direction: " + kind.jsonName() + " needs a direction (left or right)");
    }
    if (!kind.takesDirection() && direction != null) {
      throw new IllegalArgumentException(
          "direction: " + kind.jsonName() + " takes no direction, was " + direction.word());
    }
    if (kind.takesTarget() && target == null) {
      throw new IllegalArgumentException(
          "target: " + kind.jsonName() + " needs a target piece of furniture");
    }
    if (!kind.takesTarget() && target != null) {
      throw new IllegalArgumentException(
          "target: " + kind.jsonName() + " takes no target, was " + target.word());
    }
    if (kind == ActionKind.JUMP_ONTO && !target.canJumpOnto()) {
      throw new IllegalArgumentException(
          "target: cannot jump onto the "
              + target.word()
              + "; allowed: table, sofa, bed, fence, barrel, stairs");
    }
    if (kind == ActionKind.HIDE && !target.canHideBehind()) {
      throw new IllegalArgumentException(
          "target: cannot hide behind the "
              + target.word()
              + "; allowed: table, fridge, sofa, wardrobe, fence, barrel, stairs");
    }
  }

  /** The action; the same as the constructor, shorter to read at call sites. */
  public static Action of(ActionKind kind, Side direction, Furniture target) {
    return new Action(kind, direction, target);
  }

  /** An action of a kind that takes neither a direction nor a target. */
  public static Action of(ActionKind kind) {
    return new Action(kind, null, null);
  }

  /** An action of a kind that takes a direction. */
  public static Action of(ActionKind kind, Side direction) {
    return new Action(kind, direction, null);
  }

  /** An action of a kind that takes a target. */
  public static Action of(ActionKind kind, Furniture target) {
    return new Action(kind, null, target);
  }
}
