package org.tttvideo.toonworld.testutils;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.tttvideo.toonworld.Room;
import org.tttvideo.toonworld.ToonColour;

/** Finds the world's persistent words (colours, rooms) in text, as whole words. */
public final class Words {

  private Words() {}

  /** Whether {@code text} holds {@code phrase} as whole words, ignoring case. */
  public static boolean has(String text, String phrase) {
    return Pattern.compile("\\b" + Pattern.quote(phrase) + "\\b", Pattern.CASE_INSENSITIVE)
        .matcher(text)
        .find();
  }

  /** Whether {@code text} names {@code c} by its word or a synonym. */
  public static boolean names(String text, ToonColour c) {
    if (has(text, c.word())) {
      return true;
    }
    for (String s : c.synonyms()) {
      if (has(text, s)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code text} names {@code room} by any of its words. */
  public static boolean names(String text, Room room) {
    for (String w : room.words()) {
      if (has(text, w)) {
        return true;
      }
    }
    return false;
  }

  /** Every colour or room word in {@code text}, lower case. */
  public static List<String> persistentWords(String text) {
    List<String> out = new ArrayList<>();
    for (ToonColour c : ToonColour.values()) {
      if (names(text, c)) {
        out.add(c.word());
      }
    }
    for (Room r : Room.values()) {
      if (names(text, r)) {
        out.add(r.word().toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  /** Sentences: runs ending in a full stop. */
  public static int sentences(String text) {
    return text.split("(?<=\\.)\\s+").length;
  }
}
