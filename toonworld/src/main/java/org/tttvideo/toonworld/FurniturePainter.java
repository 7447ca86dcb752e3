package org.tttvideo.toonworld;

/**
 * Draws the room: wall (in the garden, sky over a garden wall), window, floor, and each piece of
 * furniture at its {@link Layout.Place}, shifted by the camera. Furniture is solid where a
 * character can hide behind it (the table has a cloth to the floor, the fence has no gaps).
 */
final class FurniturePainter {

  private final Canvas c;

  FurniturePainter(Canvas canvas) {
    this.c = canvas;
  }

  /** Wall, window and floor. */
  void background(Room room, ToonColour wall, int cameraX) {
    if (room == Room.GARDEN) {
      c.fillRows(0, Layout.SKY_BOTTOM, Palette.SKY);
      c.fillRows(Layout.SKY_BOTTOM, Layout.HORIZON, wall.rgb());
      c.fillRows(Layout.SKY_BOTTOM, Layout.SKY_BOTTOM + 1, Palette.OUTLINE);
    } else {
      c.fillRows(0, Layout.HORIZON, wall.rgb());
      double x0 = Layout.WINDOW_X0 - cameraX;
      double x1 = Layout.WINDOW_X1 - cameraX;
      c.outlinedRect(x0 - 2, Layout.WINDOW_Y0 - 2, x1 + 2, Layout.WINDOW_Y1 + 2, Palette.FENCE);
      c.rect(x0, Layout.WINDOW_Y0, x1, Layout.WINDOW_Y1, Palette.SKY);
      double mx = (x0 + x1) / 2;
      double my = (Layout.WINDOW_Y0 + Layout.WINDOW_Y1) / 2.0;
      c.rect(mx - 1, Layout.WINDOW_Y0, mx + 1, Layout.WINDOW_Y1, Palette.FENCE);
      c.rect(x0, my - 1, x1, my + 1, Palette.FENCE);
    }
    c.fillRows(Layout.HORIZON, Geometry.HEIGHT, Palette.floor(room));
    c.fillRows(Layout.HORIZON, Layout.HORIZON + 1, Palette.OUTLINE);
  }

  /**
   * Paints one piece at its place, seen from a view whose left edge is at world x {@code cameraX}.
   */
  void piece(Layout.Place p, int cameraX) {
    double x0 = p.x0() - cameraX;
    double x1 = p.x1() - cameraX;
    double cx = p.centreX() - cameraX;
    int top = p.top();
    int g = Layout.GROUND;
    switch (p.piece()) {
      case TABLE -> {
        c.outlinedRect(x0 + 3, top + 5, x1 - 3, g - 1, Palette.CLOTH);
        for (int i = 0; i < 7; i++) { // scalloped hem
          double hx = x0 + 3 + (x1 - x0 - 6) * (i + 0.5) / 7;
          c.ellipse(hx, g - 2, 3, 2, Palette.CLOTH);
        }
        c.outlinedRect(x0, top, x1, top + 5, Palette.WOOD);
      }
      case FRIDGE -> {
        c.outlinedRect(x0, top, x1, g, Palette.FRIDGE);
        c.rect(x0, top + 24, x1, top + 26, Palette.OUTLINE);
        c.rect(x1 - 8, top + 8, x1 - 5, top + 18, Palette.OUTLINE);
        c.rect(x1 - 8, top + 32, x1 - 5, top + 50, Palette.OUTLINE);
      }
      case SOFA -> {
        c.outlinedRect(x0 + 6, top, x1 - 6, g - 20, Palette.SOFA);
        c.outlinedRect(x0 + 6, g - 22, x1 - 6, g - 5, Palette.SOFA);
        c.rect(cx - 1, g - 22, cx + 1, g - 5, Palette.OUTLINE);
        c.outlinedRect(x0, top + 14, x0 + 10, g - 5, Palette.SOFA);
        c.outlinedRect(x1 - 10, top + 14, x1, g - 5, Palette.SOFA);
        c.rect(x0 + 4, g - 5, x0 + 8, g, Palette.OUTLINE);
        c.rect(x1 - 8, g - 5, x1 - 4, g, Palette.OUTLINE);
      }
      case LAMP -> {
        c.outlinedEllipse(cx, g - 2, 9, 2.5, Palette.WOOD);
        c.rect(cx - 1, top + 18, cx + 1, g - 2, Palette.OUTLINE);
        c.outlinedPolygon(
            new double[] {cx - 7, cx + 7, x1, x0},
            new double[] {top, top, top + 20, top + 20},
            Palette.SHADE);
      }
      case BED -> {
        c.outlinedRect(x0, top, x0 + 8, g, Palette.WOOD);
        c.outlinedRect(x1 - 6, g - 26, x1, g, Palette.WOOD);
        c.outlinedRect(x0 + 8, g - 14, x1 - 6, g - 4, Palette.WOOD);
        c.outlinedRect(x0 + 8, g - 22, x1 - 6, g - 14, Palette.BLANKET);
        c.outlinedEllipse(x0 + 18, g - 24, 8, 4, Palette.CLOTH);
      }
      case WARDROBE -> {
        c.outlinedRect(x0 + 2, top + 4, x1 - 2, g - 3, Palette.WARDROBE);
        c.outlinedRect(x0, top, x1, top + 5, Palette.WARDROBE);
        c.rect(cx - 1, top + 5, cx + 1, g - 3, Palette.OUTLINE);
        c.ellipse(cx - 5, top + 40, 1.5, 1.5, Palette.OUTLINE);
        c.ellipse(cx + 5, top + 40, 1.5, 1.5, Palette.OUTLINE);
        c.rect(x0 + 4, g - 3, x0 + 8, g, Palette.OUTLINE);
        c.rect(x1 - 8, g - 3, x1 - 4, g, Palette.OUTLINE);
      }
      case TREE -> {
        c.outlinedRect(cx - 7, top + 40, cx + 7, g, Palette.TRUNK);
        c.outlinedEllipse(cx - 15, top + 36, 15, 14, Palette.CROWN);
        c.outlinedEllipse(cx + 15, top + 36, 15, 14, Palette.CROWN);
        c.outlinedEllipse(cx, top + 24, 22, 23, Palette.CROWN);
      }
      case FENCE -> {
        int boards = 8;
        double w = (x1 - x0) / boards;
        for (int i = 0; i < boards; i++) {
          double a = x0 + i * w;
          c.outlinedPolygon(
              new double[] {a, a + w / 2, a + w, a + w, a},
              new double[] {top + 6, top, top + 6, g, g},
              Palette.FENCE);
        }
        c.outlinedRect(x0, top + 14, x1, top + 18, Palette.FENCE);
        c.outlinedRect(x0, g - 14, x1, g - 10, Palette.FENCE);
      }
      case BARREL -> {
        c.outlinedPolygon(
            new double[] {x0 + 7, x1 - 7, x1, x1, x1 - 7, x0 + 7, x0, x0},
            new double[] {top, top, top + 14, g - 14, g, g, g - 14, top + 14},
            Palette.BARREL);
        c.rect(x0 + 1, top + 12, x1 - 1, top + 15, Palette.OUTLINE);
        c.rect(x0 + 1, g - 15, x1 - 1, g - 12, Palette.OUTLINE);
        c.rect(cx - 1, top + 15, cx + 1, g - 15, Palette.OUTLINE);
      }
      case STAIRS -> {
        double w = (x1 - x0) / 3;
        int[] heights = {40, 52, 64};
        for (int i = 0; i < 3; i++) {
          c.outlinedRect(x0 + i * w, g - heights[i], x0 + (i + 1) * w, g, Palette.STAIRS);
        }
      }
    }
  }
}
