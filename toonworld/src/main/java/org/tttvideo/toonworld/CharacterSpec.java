package org.tttvideo.toonworld;

/**
 * A character and its colour, as a scene fixes them.
 *
 * @param who the cat or the mouse
 * @param colour its fill
 */
public record CharacterSpec(Character who, ToonColour colour) {

  public CharacterSpec {
    if (who == null) {
      throw new IllegalArgumentException("who must not be null");
    }
    if (colour == null) {
      throw new IllegalArgumentException("colour of the " + who.word() + " must not be null");
    }
  }
}
