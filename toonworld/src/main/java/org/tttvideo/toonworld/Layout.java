package org.tttvideo.toonworld;

import java.util.List;

/**
 * Where things are. The room is {@link #WORLD_WIDTH} pixels wide, wider than the picture by {@link
 * #PAN_DISTANCE} so that the camera can pan; x is in room ("world") pixels, y in picture rows
 * (there is no vertical camera motion). The picture shows world columns {@code [cameraX, cameraX +
 * W)}.
 *
 * <pre>
 *   y 0 ....... wall (garden: sky above SKY_BOTTOM, garden wall below)
 *   y 84 ...... HORIZON: floor below
 *   y 116 ..... GROUND: feet and furniture stand here
 * </pre>
 *
 * <p>Each room's two pieces stand at world x {@link #LEFT_PIECE_X} and {@link #RIGHT_PIECE_X}
 * (centres), in the order of {@link Room#furniture()}; indoor rooms have a window between them.
 */
public final class Layout {

  /** How far a pan moves the view over one segment, in pixels. */
  public static final int PAN_DISTANCE = 24;

  /** The room's width: the picture plus the pan. */
  public static final int WORLD_WIDTH = Geometry.WIDTH + PAN_DISTANCE;

  /** The view's left edge when the camera is still: the room's middle. */
  public static final int STILL_CAMERA_X = PAN_DISTANCE / 2;

  /** First floor row. */
  public static final int HORIZON = 84;

  /** The row feet and furniture stand on (the last row of their pixels is GROUND - 1). */
  public static final int GROUND = 116;

  /** In the garden, the first row of the garden wall (sky above). */
  public static final int SKY_BOTTOM = 36;

  /** World x of the centre of the room's first piece. */
  public static final int LEFT_PIECE_X = 68;

  /** World x of the centre of the room's second piece. */
  public static final int RIGHT_PIECE_X = 148;

  /** The window of indoor rooms (not the garden): world x range and rows. */
  public static final int WINDOW_X0 = 94;

  public static final int WINDOW_X1 = 118;
  public static final int WINDOW_Y0 = 18;
  public static final int WINDOW_Y1 = 50;

  private Layout() {}

  /**
   * A piece's place: the box it covers in world x and picture rows, and the row a character stands
   * on when on top of it.
   *
   * @param piece which piece
   * @param centreX world x of its centre
   * @param x0 first world column
   * @param x1 one past the last world column
   * @param top first row
   * @param standY the feet row of a character on top ({@code GROUND} for pieces one cannot jump
   *     onto)
   * @param standX world x where a character stands on top (or hides behind it)
   */
  public record Place(
      Furniture piece, int centreX, int x0, int x1, int top, int standY, int standX) {

    /** Width in pixels. */
    public int width() {
      return x1 - x0;
    }

    /** Height in pixels, to the ground. */
    public int height() {
      return GROUND - top;
    }
  }

  /** Width and height of each piece, in pixels: {@code {width, height}}. */
  private static int[] size(Furniture f) {
    return switch (f) {
      case TABLE -> new int[] {64, 40};
      case FRIDGE -> new int[] {52, 78};
      case SOFA -> new int[] {76, 44};
      case LAMP -> new int[] {24, 80};
      case BED -> new int[] {76, 40};
      case WARDROBE -> new int[] {56, 82};
      case TREE -> new int[] {60, 96};
      case FENCE -> new int[] {88, 46};
      case BARREL -> new int[] {52, 48};
      case STAIRS -> new int[] {72, 64};
    };
  }

  /** The places of the room's pieces, left then right. */
  public static List<Place> places(Room room) {
    List<Furniture> f = room.furniture();
    return List.of(place(f.get(0), LEFT_PIECE_X), place(f.get(1), RIGHT_PIECE_X));
  }

  /** The place of {@code piece} in {@code room}. */
  public static Place place(Room room, Furniture piece) {
    int i = room.furniture().indexOf(piece);
    if (i < 0) {
      throw new IllegalArgumentException(
          "piece: there is no " + piece.word() + " in the " + room.word());
    }
    return places(room).get(i);
  }

  private static Place place(Furniture f, int centreX) {
    int[] size = size(f);
    int w = size[0];
    int x0 = centreX - w / 2;
    int top = GROUND - size[1];
    int standY =
        switch (f) {
          case SOFA, BED -> GROUND - 22; // the seat, the mattress
          case STAIRS -> top; // the highest step, on the right
          default -> f.canJumpOnto() ? top : GROUND;
        };
    int standX = f == Furniture.STAIRS ? x0 + w - 18 : centreX;
    return new Place(f, centreX, x0, x0 + w, top, standY, standX);
  }

  /**
   * The view's left edge in world x at frame {@code frame} of a segment: still, the room's middle;
   * a pan moves it by {@link #PAN_DISTANCE} over the segment, one step per frame, rounded.
   */
  public static int cameraX(Camera camera, int frame) {
    int last = Geometry.FRAMES_PER_SEGMENT - 1;
    return switch (camera) {
      case STILL -> STILL_CAMERA_X;
      case PAN_RIGHT -> Math.round((float) PAN_DISTANCE * frame / last);
      case PAN_LEFT -> PAN_DISTANCE - Math.round((float) PAN_DISTANCE * frame / last);
    };
  }

  /** The world x range visible in every frame of a segment with this camera: {@code [lo, hi)}. */
  public static int[] alwaysVisible(Camera camera) {
    return camera == Camera.STILL
        ? new int[] {STILL_CAMERA_X, STILL_CAMERA_X + Geometry.WIDTH}
        : new int[] {PAN_DISTANCE, Geometry.WIDTH};
  }
}
