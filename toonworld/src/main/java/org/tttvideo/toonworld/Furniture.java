package org.tttvideo.toonworld;

import java.util.List;

/**
 * The pieces of furniture, two per {@link Room}. A character may jump onto those with a top to
 * stand on ({@link #canJumpOnto()}) and hide behind those tall and wide enough to cover the cat
 * ({@link #canHideBehind()}: not the thin lamp, the low bed or the tree's narrow trunk).
 */
public enum Furniture implements WorldWord {
  TABLE(true, true, "dining table"),
  FRIDGE(false, true, "refrigerator"),
  SOFA(true, true, "couch"),
  LAMP(false, false, "floor lamp"),
  BED(true, false),
  WARDROBE(false, true, "cupboard"),
  TREE(false, false),
  FENCE(true, true),
  BARREL(true, true, "cask"),
  STAIRS(true, true, "staircase", "steps");

  private final boolean canJumpOnto;
  private final boolean canHideBehind;
  private final List<String> synonyms;

  Furniture(boolean canJumpOnto, boolean canHideBehind, String... synonyms) {
    this.canJumpOnto = canJumpOnto;
    this.canHideBehind = canHideBehind;
    this.synonyms = List.of(synonyms);
  }

  /** Other words for it ({@code "couch"} for the sofa), never including {@link #word()}. */
  public List<String> synonyms() {
    return synonyms;
  }

  /** Whether it has a top to land on: table, sofa, bed, fence, barrel, stairs. */
  public boolean canJumpOnto() {
    return canJumpOnto;
  }

  /** Whether it covers the whole cat: everything but the lamp, the bed and the tree. */
  public boolean canHideBehind() {
    return canHideBehind;
  }

  /** This piece by {@link #word()}, or {@code null}. */
  public static Furniture byWord(String word) {
    return WorldWord.byWord(Furniture.class, word);
  }
}
