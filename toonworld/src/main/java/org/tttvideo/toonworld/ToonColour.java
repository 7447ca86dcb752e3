package org.tttvideo.toonworld;

import java.util.List;

/**
 * The colours of the world: each a flat sRGB fill that a person calls by its name. Walls and
 * characters are painted in these fills exactly, so a reader of pixels finds the colour by the
 * nearest fill ({@link #nearest}); scenery that is not named (floors, furniture, outlines) keeps
 * clear of every fill ({@code PaletteTest}).
 */
public enum ToonColour implements WorldWord {
  RED(220, 40, 40, "scarlet", "crimson"),
  ORANGE(245, 140, 20, "ginger", "tangerine"),
  YELLOW(245, 220, 40, "golden", "lemon"),
  GREEN(50, 170, 60, "emerald", "leafy"),
  BLUE(40, 90, 220, "cobalt", "azure"),
  PURPLE(140, 60, 190, "violet", "plum"),
  PINK(245, 130, 190, "rosy", "rose"),
  BROWN(120, 70, 30, "chocolate", "chestnut"),
  GREY(130, 130, 130, "gray", "ashen"),
  BLACK(25, 25, 25, "ebony", "jet"),
  WHITE(245, 245, 245, "snowy", "milky");

  private final int r;
  private final int g;
  private final int b;
  private final List<String> synonyms;

  ToonColour(int r, int g, int b, String... synonyms) {
    this.r = r;
    this.g = g;
    this.b = b;
    this.synonyms = List.of(synonyms);
  }

  /** The fill as {@code 0xRRGGBB}. */
  public int rgb() {
    return (r << 16) | (g << 8) | b;
  }

  public int red() {
    return r;
  }

  public int green() {
    return g;
  }

  public int blue() {
    return b;
  }

  /** Other words for the colour ({@code "ginger"} for orange), never including {@link #word()}. */
  public List<String> synonyms() {
    return synonyms;
  }

  /** Squared distance in RGB between this fill and {@code 0xRRGGBB}. */
  public int distanceSquared(int rgb) {
    int dr = ((rgb >> 16) & 0xff) - r;
    int dg = ((rgb >> 8) & 0xff) - g;
    int db = (rgb & 0xff) - b;
    return dr * dr + dg * dg + db * db;
  }

  /** The fill nearest {@code 0xRRGGBB} (the first of equals in declaration order). */
  public static ToonColour nearest(int rgb) {
    ToonColour best = RED;
    int bestD = Integer.MAX_VALUE;
    for (ToonColour c : values()) {
      int d = c.distanceSquared(rgb);
      if (d < bestD) {
        best = c;
        bestD = d;
      }
    }
    return best;
  }
}
