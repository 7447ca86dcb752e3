package org.tttvideo.toonworld;

import java.util.Locale;

/**
 * A constant of the world's closed vocabulary (a room, colour, piece of furniture, action, camera
 * move, side or character), named two ways from the constant itself: in the world spec's JSON as
 * the constant in lower case ({@code "living_room"}, {@code "pan_left"}), and in storyboards with
 * spaces for the underscores ({@code "living room"}, {@code "pan left"}).
 *
 * <pre>{@code
 * Room.LIVING_ROOM.jsonName(); // "living_room"
 * Room.LIVING_ROOM.word();     // "living room"
 * Furniture furniture = WorldWord.byWord(Furniture.class, "fridge");
 * }</pre>
 */
public interface WorldWord {

  /** The constant's name ({@link Enum#name()}). */
  String name();

  /** The JSON name: the constant in lower case, {@code "jump_onto"}. */
  default String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The storyboard word: the JSON name with spaces, {@code "pan left"}. */
  default String word() {
    return jsonName().replace('_', ' ');
  }

  /** The constant of {@code type} whose {@link #word()} is {@code word}, or {@code null}. */
  static <E extends Enum<E> & WorldWord> E byWord(Class<E> type, String word) {
    for (E e : type.getEnumConstants()) {
      if (e.word().equals(word)) {
        return e;
      }
    }
    return null;
  }
}
