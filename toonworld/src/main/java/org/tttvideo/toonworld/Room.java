package org.tttvideo.toonworld;

import java.util.List;

/**
 * The rooms, each with its two pieces of furniture. Every room has a backdrop in the wall colour
 * that a storyboard names; in the garden that is the garden wall under a fixed sky.
 */
public enum Room implements WorldWord {
  KITCHEN(List.of(Furniture.TABLE, Furniture.FRIDGE), "kitchen"),
  LIVING_ROOM(List.of(Furniture.SOFA, Furniture.LAMP), "living room", "lounge", "sitting room"),
  BEDROOM(List.of(Furniture.BED, Furniture.WARDROBE), "bedroom"),
  GARDEN(List.of(Furniture.TREE, Furniture.FENCE), "garden", "backyard", "yard"),
  CELLAR(List.of(Furniture.BARREL, Furniture.STAIRS), "cellar", "basement");

  private final List<Furniture> furniture;
  private final List<String> words;

  Room(List<Furniture> furniture, String... words) {
    this.furniture = furniture;
    this.words = List.of(words);
  }

  /** Its names, the main one first: {@code "living room", "lounge", "sitting room"}. */
  public List<String> words() {
    return words;
  }

  /** Its furniture, left to right as {@code Layout} places it. */
  public List<Furniture> furniture() {
    return furniture;
  }

  /** Whether {@code piece} stands in this room. */
  public boolean has(Furniture piece) {
    return furniture.contains(piece);
  }
}
