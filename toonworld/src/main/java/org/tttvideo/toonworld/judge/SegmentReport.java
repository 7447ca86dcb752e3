package org.tttvideo.toonworld.judge;

import java.util.List;
import org.tttvideo.toonworld.Room;
import org.tttvideo.toonworld.ToonColour;

/**
 * The judge's findings for one 3-second segment.
 *
 * <p>Text following judges what is there: the room (1 item) and, for each character the text puts
 * in frame and the pixels show, its colour and its action (2 items each; a character that hides
 * behind furniture all segment long counts as present with a matching action and no colour).
 * Presence judges what is missing: the share of frames that are a picture of the world times the
 * share of the text's characters found. Consistency compares the segment with the first of its
 * scene.
 *
 * @param segment index in the video
 * @param scene index of its scene
 * @param room the text's room
 * @param measuredRoom the room whose furniture stands at its places, or {@code null}
 * @param wall the text's wall colour
 * @param measuredWall the wall colour the pixels show, or {@code null} (no valid frame)
 * @param validFrames frames that are a picture of the world, of {@code frames}
 * @param frames frames in the segment
 * @param characters one per character the text puts in frame, cat first
 * @param consistent whether room, wall and character colours are as in the scene's first segment
 */
public record SegmentReport(
    int segment,
    int scene,
    Room room,
    Room measuredRoom,
    ToonColour wall,
    ToonColour measuredWall,
    int validFrames,
    int frames,
    List<CharacterReport> characters,
    boolean consistent) {

  public SegmentReport {
    characters = List.copyOf(characters);
  }

  /** Whether the wall colour and the furniture are the text's. */
  public boolean roomOk() {
    return room == measuredRoom && wall == measuredWall;
  }

  /** Text-following items judged: the room, and colour and action of each present character. */
  public int textItems() {
    int n = 1;
    for (CharacterReport c : characters) {
      n += (c.present() ? 1 : 0) + (c.measuredColour() != null ? 1 : 0);
    }
    return n;
  }

  /** Text-following items that match. */
  public int textOk() {
    int n = roomOk() ? 1 : 0;
    for (CharacterReport c : characters) {
      n += (c.colourOk() ? 1 : 0) + (c.present() && c.actionOk() ? 1 : 0);
    }
    return n;
  }

  /** {@link #textOk()} / {@link #textItems()}. */
  public double textFollowing() {
    return (double) textOk() / textItems();
  }

  /** Share of valid frames times share of the text's characters found. */
  public double presence() {
    int found = 0;
    for (CharacterReport c : characters) {
      found += c.present() ? 1 : 0;
    }
    double chars = characters.isEmpty() ? 1 : (double) found / characters.size();
    return (double) validFrames / frames * chars;
  }
}
