package org.tttvideo.toonworld;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Every word the world knows, in one place: the rooms, furniture, colours, characters, action
 * verbs, sides and camera words that carry meaning, and the small closed set of other words a
 * storyboard may use around them (articles, prepositions, a few adjectives and adverbs). {@link
 * WorldTextParser} reads texts through it and reports every other word as unknown; {@code
 * docs/toonworld.md} lists {@link #words()}.
 *
 * <p>A term is one word or a phrase of up to {@link #MAX_PHRASE} words ({@code "living room"},
 * {@code "kitchen table"}); the parser matches the longest phrase first.
 *
 * <pre>{@code
 * WorldVocabulary.term("ginger");        // Colour[colour=ORANGE]
 * WorldVocabulary.term("couch");         // Piece[piece=SOFA]
 * WorldVocabulary.term("living room");   // Place[room=LIVING_ROOM]
 * WorldVocabulary.term("dashes");        // Verb[kind=RUN]
 * }</pre>
 */
public final class WorldVocabulary {

  /** The longest phrase, in words. */
  public static final int MAX_PHRASE = 3;

  /** What a word means to the parser. */
  public sealed interface Term
      permits Colour,
          Place,
          Piece,
          Who,
          Verb,
          Direction,
          Particle,
          CameraNoun,
          Pan,
          Still,
          WallNoun,
          Pronoun,
          Absent,
          Modifier,
          Break,
          Filler {}

  /** A colour name: {@code "ginger"} is orange. */
  public record Colour(ToonColour colour) implements Term {}

  /** A room's name. */
  public record Place(Room room) implements Term {}

  /** A piece of furniture. */
  public record Piece(Furniture piece) implements Term {}

  /** The cat or the mouse. */
  public record Who(Character who) implements Term {}

  /**
   * An action verb. {@link ActionKind#WALK} also stands for the plain motion verbs ({@code "goes"},
   * {@code "heads"}), which the particles {@code in}/{@code out} turn into enter/leave.
   */
  public record Verb(ActionKind kind) implements Term {}

  /** A side: {@code "left"}, {@code "rightward"}. */
  public record Direction(Side side) implements Term {}

  /** A small word that changes the action around it. */
  public record Particle(ParticleKind kind) implements Term {}

  /** {@code "camera"}, {@code "view"}, {@code "shot"}: starts a clause about the camera. */
  public record CameraNoun() implements Term {}

  /** {@code "pans"}: the camera moves toward the side that follows. */
  public record Pan() implements Term {}

  /** {@code "still"}, {@code "static"}: in a camera clause, the camera does not move. */
  public record Still() implements Term {}

  /** {@code "wall"}, {@code "walls"}, {@code "room"}: a colour bound to it is the wall colour. */
  public record WallNoun() implements Term {}

  /** {@code "it"}, {@code "she"}: the character last talked about. */
  public record Pronoun() implements Term {}

  /**
   * {@code "out of sight"}: the character talked about is not in frame (or, after a motion verb,
   * leaves it).
   */
  public record Absent() implements Term {}

  /** An adjective that may stand between a colour and its noun: {@code "little"}. */
  public record Modifier() implements Term {}

  /** A word that starts a new clause with a new subject: {@code "while"}. */
  public record Break() implements Term {}

  /** A known word that carries nothing for the world: {@code "the"}, {@code "happily"}. */
  public record Filler() implements Term {}

  /** The particles. */
  public enum ParticleKind {
    /** After a motion verb, {@code "in"}: it comes into the picture. */
    IN,
    /** After a motion verb, {@code "out"} or {@code "off"}: it leaves the picture. */
    OUT,
    /** {@code "from"}: the side that follows is where it comes from. */
    FROM,
    /** {@code "to"}, {@code "toward"}: the side that follows is where it goes. */
    TO,
    /** After a motion verb, {@code "after"}: it chases the character that follows. */
    AFTER
  }

  private static final Map<String, Term> TERMS = build();

  private WorldVocabulary() {}

  /** The meaning of a lower-case word or phrase (words separated by one space), or null. */
  public static Term term(String phrase) {
    return TERMS.get(phrase);
  }

  /** Every known word and phrase, sorted. */
  public static List<String> words() {
    return List.copyOf(new TreeSet<>(TERMS.keySet()));
  }

  /** The known words and phrases that mean {@code term}, sorted (for the docs). */
  public static List<String> wordsFor(Term term) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Term> e : TERMS.entrySet()) {
      if (e.getValue().equals(term)) {
        out.add(e.getKey());
      }
    }
    Collections.sort(out);
    return out;
  }

  private static Map<String, Term> build() {
    Map<String, Term> m = new LinkedHashMap<>();
    for (ToonColour c : ToonColour.values()) {
      put(m, new Colour(c), c.word());
      c.synonyms().forEach(s -> put(m, new Colour(c), s));
    }
    for (Room r : Room.values()) {
      r.words().forEach(w -> put(m, new Place(r), w));
    }
    for (Furniture f : Furniture.values()) {
      Piece p = new Piece(f);
      put(m, p, f.word());
      f.synonyms().forEach(s -> put(m, p, s));
      if (f != Furniture.STAIRS) {
        put(m, p, f.word() + "s");
      }
    }
    put(m, new Piece(Furniture.WARDROBE), "cupboards", "closet");
    put(m, new Who(Character.CAT), "cat", "cats", "kitty", "kitten", "tomcat");
    put(m, new Who(Character.MOUSE), "mouse", "mice", "mousie");
    verbs(m);
    put(m, new Direction(Side.LEFT), "left", "leftward", "leftwards");
    put(m, new Direction(Side.RIGHT), "right", "rightward", "rightwards");
    put(m, new Particle(ParticleKind.IN), "in", "into view", "in view");
    put(m, new Particle(ParticleKind.OUT), "out", "off", "off screen", "offscreen");
    put(m, new Absent(), "out of sight", "out of view", "not in sight", "not in view", "absent");
    put(m, new Particle(ParticleKind.FROM), "from");
    put(m, new Particle(ParticleKind.TO), "to", "toward", "towards", "heading");
    put(m, new Particle(ParticleKind.AFTER), "after");
    put(m, new CameraNoun(), "camera", "view", "shot");
    put(m, new Pan(), "pan", "pans", "panning", "panned", "sweeps", "sweeping", "slides");
    put(m, new Still(), "still", "static", "steady", "fixed", "unmoving", "stays", "holds");
    put(m, new WallNoun(), "wall", "walls", "backdrop", "room", "rooms", "paint", "wallpaper");
    put(m, new Pronoun(), "it", "he", "she", "him", "her", "its", "his", "itself", "they");
    put(
        m,
        new Modifier(),
        "little",
        "small",
        "tiny",
        "big",
        "large",
        "fat",
        "plump",
        "fluffy",
        "furry",
        "sleepy",
        "hungry",
        "curious",
        "playful",
        "clever",
        "cheeky",
        "young",
        "old",
        "bright",
        "pale",
        "dark",
        "painted",
        "coloured",
        "colored",
        "cosy",
        "cozy",
        "sunny",
        "quiet",
        "busy",
        "same");
    put(m, new Break(), "while", "whilst", "as", "but", "meanwhile", "then", "when");
    fillers(m);
    return Collections.unmodifiableMap(m);
  }

  private static void verbs(Map<String, Term> m) {
    put(m, new Verb(ActionKind.WALK), "walk", "walks", "walking", "stroll", "strolls");
    put(m, new Verb(ActionKind.WALK), "strolling", "trots", "trotting", "wanders", "wandering");
    put(m, new Verb(ActionKind.WALK), "ambles", "ambling", "pads", "padding", "tiptoes");
    put(m, new Verb(ActionKind.WALK), "goes", "going", "heads", "moves", "moving", "comes");
    put(m, new Verb(ActionKind.WALK), "coming", "creeps", "creeping", "sneaks", "sneaking");
    put(m, new Verb(ActionKind.RUN), "run", "runs", "running", "dashes", "dashing", "races");
    put(m, new Verb(ActionKind.RUN), "racing", "sprints", "sprinting", "scurries", "scurrying");
    put(m, new Verb(ActionKind.RUN), "scampers", "scampering", "rushes", "rushing", "hurries");
    put(m, new Verb(ActionKind.RUN), "hurrying", "bolts", "darts", "flees", "fleeing");
    put(m, new Verb(ActionKind.CHASE), "chase", "chases", "chasing", "pursues", "pursuing");
    put(m, new Verb(ActionKind.JUMP), "jump", "jumps", "jumping", "leaps", "leaping", "hops");
    put(m, new Verb(ActionKind.JUMP), "hopping", "bounces", "bouncing", "springs", "climbs");
    put(m, new Verb(ActionKind.JUMP), "climbing", "bounds", "bounding");
    put(m, new Verb(ActionKind.SLEEP), "sleep", "sleeps", "sleeping", "asleep", "naps");
    put(m, new Verb(ActionKind.SLEEP), "napping", "dozes", "dozing", "snoozes", "snoozing");
    put(m, new Verb(ActionKind.SLEEP), "lies", "lying", "curls");
    put(m, new Verb(ActionKind.SIT), "sit", "sits", "sitting", "settles", "waits", "waiting");
    put(m, new Verb(ActionKind.SIT), "rests", "resting", "perches", "stands", "standing");
    put(m, new Verb(ActionKind.EAT), "eat", "eats", "eating", "nibbles", "nibbling", "munches");
    put(m, new Verb(ActionKind.EAT), "munching", "chews", "chewing", "feeds", "snacks");
    put(m, new Verb(ActionKind.HIDE), "hide", "hides", "hiding", "ducks", "ducking", "crouches");
    put(m, new Verb(ActionKind.HIDE), "slips", "slipping");
    put(m, new Verb(ActionKind.ENTER), "enter", "enters", "entering", "arrives", "arriving");
    put(m, new Verb(ActionKind.ENTER), "appears", "appearing");
    put(m, new Verb(ActionKind.LEAVE), "leave", "leaves", "leaving", "exits", "exiting");
    put(m, new Verb(ActionKind.LEAVE), "departs", "departing", "disappears", "vanishes");
  }

  private static void fillers(Map<String, Term> m) {
    String[] words = {
      "a",
      "an",
      "the",
      "this",
      "that",
      "these",
      "those",
      "and",
      "or",
      "with",
      "without",
      "of",
      "on",
      "onto",
      "upon",
      "at",
      "by",
      "near",
      "beside",
      "next",
      "behind",
      "under",
      "over",
      "across",
      "along",
      "around",
      "through",
      "past",
      "up",
      "down",
      "top",
      "back",
      "away",
      "inside",
      "outside",
      "here",
      "there",
      "is",
      "are",
      "was",
      "were",
      "be",
      "been",
      "has",
      "have",
      "had",
      "its",
      "their",
      "one",
      "two",
      "both",
      "each",
      "other",
      "again",
      "now",
      "soon",
      "later",
      "first",
      "finally",
      "suddenly",
      "slowly",
      "quickly",
      "fast",
      "happily",
      "quietly",
      "lazily",
      "gently",
      "softly",
      "calmly",
      "briskly",
      "busily",
      "peacefully",
      "all",
      "scene",
      "segment",
      "new",
      "opens",
      "begins",
      "starts",
      "meanwhile",
      "also",
      "still",
      "side",
      "edge",
      "screen",
      "corner",
      "middle",
      "floor",
      "ground",
      "window",
      "sky",
      "grass",
      "picture",
      "frame",
      "cheese",
      "crumb",
      "crumbs",
      "bowl",
      "food",
      "snack",
      "tail",
      "ears",
      "eyes",
      "whiskers",
      "nose",
      "paws",
      "place",
      "spot",
      "moment",
      "while",
      "long",
      "very",
      "so",
      "too",
      "just",
      "keeps",
      "keep",
      "seems",
      "looks",
      "looking",
      "watches",
      "watching",
      "follows",
      "following",
      "close",
      "closely",
      "behind",
      "ahead",
      "front",
      "same",
      "way",
      "direction",
      "into",
      "for",
      "not",
      "no",
      "where",
      "who",
      "which",
      "what",
      "hard",
      "nap",
      "meal",
      "bite",
      "inside",
      "shadow",
      "shadows",
      "out",
      "sight",
      "reach",
      "we",
      "whose",
      "does",
      "do",
      "move",
      "yet",
      "somewhere",
      "dinner",
      "light",
      "calm",
      "clear",
      "day",
      "spot",
      "place"
    };
    for (String w : words) {
      m.putIfAbsent(w, new Filler());
    }
  }

  private static void put(Map<String, Term> m, Term t, String... words) {
    for (String w : words) {
      if (w.split(" ").length > MAX_PHRASE) {
        throw new IllegalStateException("phrase longer than " + MAX_PHRASE + " words: " + w);
      }
      Term old = m.putIfAbsent(w, t);
      if (old != null && !old.equals(t)) {
        throw new IllegalStateException(
            "\"" + w + "\" would mean both " + old + " and " + t + "; a word has one meaning");
      }
    }
  }
}
