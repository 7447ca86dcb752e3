package org.tttvideo.toonworld;

import java.util.List;

/**
 * Every phrase {@link StoryboardWriter} puts around the world's words, in one place: the
 * vocabulary's function words and verbs come from here. {@code {s}} is the subject ("the cat", "an
 * orange cat"), {@code {d}} a side, {@code {f}} a piece of furniture, {@code {o}} the chased mouse.
 * No phrase holds a colour or a room word, so later segments can say "the room" without repeating
 * the scene's persistent facts.
 */
final class Phrases {

  private Phrases() {}

  static List<String> verbs(ActionKind kind) {
    return switch (kind) {
      case WALK ->
          List.of("{s} walks to the {d}", "{s} strolls toward the {d}", "{s} wanders to the {d}");
      case RUN ->
          List.of("{s} runs to the {d}", "{s} dashes toward the {d}", "{s} races to the {d}");
      case CHASE ->
          List.of(
              "{s} chases {o} to the {d}",
              "{s} runs after {o} toward the {d}",
              "{s} races after {o} to the {d}");
      case JUMP -> List.of("{s} jumps up and down", "{s} hops in place", "{s} jumps on the spot");
      case JUMP_ONTO ->
          List.of("{s} jumps onto the {f}", "{s} leaps up onto the {f}", "{s} hops onto the {f}");
      case SLEEP -> List.of("{s} sleeps", "{s} is fast asleep", "{s} naps");
      case SIT -> List.of("{s} sits still", "{s} sits quietly", "{s} sits and waits");
      case EAT -> List.of("{s} eats from a bowl", "{s} munches from a bowl", "{s} eats its dinner");
      case HIDE ->
          List.of(
              "{s} hides behind the {f}", "{s} ducks behind the {f}", "{s} slips behind the {f}");
      case ENTER ->
          List.of(
              "{s} comes in from the {d}", "{s} enters from the {d}", "{s} appears from the {d}");
      case LEAVE ->
          List.of("{s} leaves to the {d}", "{s} goes out to the {d}", "{s} exits to the {d}");
    };
  }

  /**
   * Where a scene plays: {@code {r}} the room, {@code {w}} the wall colour, {@code {a}} its
   * article.
   */
  static List<String> settings(Room room) {
    return room == Room.GARDEN
        ? List.of(
            "The scene opens in a {r} with {a}{w} wall",
            "We are in a {r} behind {a}{w} wall",
            "A new scene: a {r} with {a}{w} wall under the sky")
        : List.of(
            "The scene opens in a {r} with {w} walls",
            "We are in a {r} whose walls are {w}",
            "A new scene: a {r} with {w} walls");
  }

  /** A character that the scene has but its first segment does not show: {@code {s}}. */
  static final List<String> NOT_YET =
      List.of("{s} is not in sight yet", "{s} is somewhere out of sight");

  static List<String> camera(Camera camera) {
    return switch (camera) {
      case STILL -> List.of("The camera stays still", "The camera does not move");
      case PAN_LEFT -> List.of("The camera pans to the left", "The camera slowly pans left");
      case PAN_RIGHT -> List.of("The camera pans to the right", "The camera slowly pans right");
    };
  }

  /** Optional details that hold no world word but "window" and "sky". */
  static List<String> details(Room room) {
    return room == Room.GARDEN
        ? List.of("The sky is clear", "It is a calm day")
        : List.of("Light comes in through the window", "It is quiet in the room");
  }
}
