package org.tttvideo.toonworld;

/**
 * What of one character a frame shows, measured on the rendered pixels (after everything in front
 * of it was drawn). For the judge's tests; the judge itself reads only pixels.
 *
 * @param who the character
 * @param colour its fill in this scene
 * @param pose where the choreography put it (x in world pixels)
 * @param screenX the picture x of its centre: {@code pose.x() - cameraX}
 * @param visiblePixels how many pixels of the frame show it (outline and eyes included); 0 when
 *     hidden or off screen
 * @param x0 first column showing it, or -1 when none does
 * @param y0 first row showing it, or -1
 * @param x1 one past the last column, or -1
 * @param y1 one past the last row, or -1
 */
public record CharacterTruth(
    Character who,
    ToonColour colour,
    Pose pose,
    double screenX,
    int visiblePixels,
    int x0,
    int y0,
    int x1,
    int y1) {

  /** Whether any pixel shows it. */
  public boolean visible() {
    return visiblePixels > 0;
  }
}
