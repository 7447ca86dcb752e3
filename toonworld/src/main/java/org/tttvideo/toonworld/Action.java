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
    checkArgument(
        kind, "direction", kind.takesDirection(), direction, "a direction (left or right)");
    checkArgument(kind, "target", kind.takesTarget(), target, "a target piece of furniture");
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

  /**
   * Requires the argument {@code component} ({@code value}) where {@code kind} takes it ({@code
   * takes}) and rejects it where it does not: "direction: walk needs a direction (left or right)",
   * "target: sleep takes no target, was table".
   */
  private static void checkArgument(
      ActionKind kind, String component, boolean takes, WorldWord value, String needs) {
    if (takes && value == null) {
      throw new IllegalArgumentException(component + ": " + kind.jsonName() + " needs " + needs);
    }
    if (!takes && value != null) {
      throw new IllegalArgumentException(
          component + ": " + kind.jsonName() + " takes no " + component + ", was " + value.word());
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
