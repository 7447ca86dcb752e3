package org.tttvideo.toonworld;

/**
 * The colours of everything the storyboard does not name: floors, furniture, outlines, sky. Each is
 * at least 55 (Euclidean, in sRGB) from every {@link ToonColour} fill ({@code PaletteTest}), so a
 * reader of pixels never mistakes scenery for a named wall or character; only the eye whites (a few
 * pixels each) are exempt.
 */
public final class Palette {

  /** Dark plum outlines, pupils, noses, the skirting line. */
  public static final int OUTLINE = 0x3c2846;

  /** The garden's sky and the windows' glass. */
  public static final int SKY = 0xaad2f0;

  /** The eye whites (exempt from the distance rule). */
  public static final int EYE = 0xfffad2;

  public static final int KITCHEN_FLOOR = 0xc8bea5;
  public static final int CARPET = 0xaa5a64;
  public static final int WOOD_FLOOR = 0xb9966e;
  public static final int GRASS = 0x64be6e;
  public static final int STONE = 0x465a50;

  public static final int WOOD = 0xc8965a;
  public static final int CLOTH = 0xe1cdaa;
  public static final int FRIDGE = 0xa0c8cd;
  public static final int SOFA = 0x3c828c;
  public static final int SHADE = 0xfaebb4;
  public static final int BLANKET = 0xb4a0dc;
  public static final int WARDROBE = 0xaa7850;
  public static final int TRUNK = 0xa06e50;
  public static final int CROWN = 0x1e6e46;
  public static final int FENCE = 0xebd7af;
  public static final int BARREL = 0xaf733c;
  public static final int STAIRS = 0xbeaa8c;
  public static final int BOWL = 0xc8506e;

  /** Every colour above but {@link #EYE}, for the distance test. */
  public static final int[] SCENERY = {
    OUTLINE,
    SKY,
    KITCHEN_FLOOR,
    CARPET,
    WOOD_FLOOR,
    GRASS,
    STONE,
    WOOD,
    CLOTH,
    FRIDGE,
    SOFA,
    SHADE,
    BLANKET,
    WARDROBE,
    TRUNK,
    CROWN,
    FENCE,
    BARREL,
    STAIRS,
    BOWL
  };

  private Palette() {}

  /** The floor of {@code room}. */
  public static int floor(Room room) {
    return switch (room) {
      case KITCHEN -> KITCHEN_FLOOR;
      case LIVING_ROOM -> CARPET;
      case BEDROOM -> WOOD_FLOOR;
      case GARDEN -> GRASS;
      case CELLAR -> STONE;
    };
  }
}
