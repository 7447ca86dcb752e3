package org.tttvideo.toonworld.judge;

import org.tttvideo.toonworld.Action;
import org.tttvideo.toonworld.Character;
import org.tttvideo.toonworld.ToonColour;

/**
 * What the judge found of one character that a segment's text puts in frame.
 *
 * @param who the cat or the mouse
 * @param expectedColour the colour the text gives it (said once per scene, so often earlier)
 * @param measuredColour the colour of the blob of its size, or {@code null} when none was found
 * @param present whether a blob of it was found, or it hides all segment long as its action says
 * @param action what the text says it does
 * @param actionOk whether the blob's motion matches the action (false when not present)
 * @param track per frame of the segment the blob's centroid as {@code {x, y}} picture pixels
 *     rounded, or {@code null} where it is not seen
 */
public record CharacterReport(
    Character who,
    ToonColour expectedColour,
    ToonColour measuredColour,
    boolean present,
    Action action,
    boolean actionOk,
    int[][] track) {

  /** Whether the blob has the colour the text says. */
  public boolean colourOk() {
    return measuredColour != null && measuredColour == expectedColour;
  }
}
