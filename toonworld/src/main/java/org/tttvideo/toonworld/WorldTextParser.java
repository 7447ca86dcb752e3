package org.tttvideo.toonworld;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tttvideo.storyboard.Segment;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.toonworld.SegmentReader.Draft;
import org.tttvideo.toonworld.SegmentReader.Token;
import org.tttvideo.toonworld.WorldVocabulary.Term;

/**
 * Reads a storyboard written in the world's words ({@link WorldVocabulary}) into the {@link
 * WorldSpec} it describes, and lists the words it did not know (it skips them). Reads Format 3
 * paragraphs and Format 2 sentences alike: each segment's text is one or more sentences.
 *
 * <pre>{@code
 * ParsedWorld w = WorldTextParser.parse(storyboard);
 * Clip clip = Renderer.render(w.spec(), seed);
 * w.unknown();   // e.g. ["purrs"]
 * }</pre>
 *
 * <p><b>What persists.</b> A scene starts where the storyboard says ({@link Segment#sceneStart()}:
 * Format 3's {@code <scene start>}, a blank line in Format 2 prose) and resets everything. Within a
 * scene the room, the wall colour and each character's colour are said once, anywhere in it
 * (usually its first segment), and hold for every segment: "the cat" in segment 4 is the orange cat
 * of segment 0. Saying a different room or colour later in the same scene is an error.
 *
 * <p><b>What a segment says.</b> A character is in frame in a segment when its text names it; its
 * action is its first verb there ({@code SIT} when it has none), and "out of sight" or "not in
 * sight" names it without putting it in frame. A chase puts the chased mouse in frame, running the
 * same way unless the text gives it another action. The camera is still unless a sentence pans it.
 * Directions: "walks to the left", "runs right", "walks from the left" (so toward the right);
 * "enters from the left", "walks in from the left", "leaves to the right", "runs off to the right".
 */
public final class WorldTextParser {

  private static final Pattern WORD = Pattern.compile("[a-z0-9']+|,");

  private WorldTextParser() {}

  /** The world of a storyboard's segments. */
  public static ParsedWorld parse(Storyboard storyboard) {
    return parse(storyboard.segments());
  }

  /**
   * The world of these segments, in order; {@code segments.get(0)} starts a scene.
   *
   * @throws WorldTextException when the text leaves out what the world needs (a scene's room or
   *     wall colour, a character's colour, a walk's direction, what one hides behind) or
   *     contradicts itself
   */
  public static ParsedWorld parse(List<Segment> segments) {
    if (segments == null || segments.isEmpty()) {
      throw new IllegalArgumentException("segments: a storyboard needs at least one segment");
    }
    List<UnknownWord> unknown = new ArrayList<>();
    List<SegmentReader> readers = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      SegmentReader r = new SegmentReader(i);
      Set<String> seen = new LinkedHashSet<>();
      for (List<Token> sentence : sentences(segments.get(i).text(), seen)) {
        r.sentence(sentence);
      }
      for (String w : seen) {
        unknown.add(new UnknownWord(i, w));
      }
      readers.add(r);
    }
    List<SceneSpec> scenes = new ArrayList<>();
    int first = 0;
    for (int i = 1; i <= segments.size(); i++) {
      if (i == segments.size() || segments.get(i).sceneStart()) {
        scenes.add(scene(readers.subList(first, i)));
        first = i;
      }
    }
    try {
      return new ParsedWorld(new WorldSpec(scenes), unknown);
    } catch (IllegalArgumentException e) {
      throw new WorldTextException(0, e.getMessage());
    }
  }

  /** One scene from its segments' readings. */
  private static SceneSpec scene(List<SegmentReader> segs) {
    int start = segs.get(0).segment;
    Room room = persisting(segs, r -> r.rooms, "room", Room::word);
    if (room == null) {
      throw new WorldTextException(
          start,
          "the scene starting here names no room; name one of kitchen, living room, bedroom,"
              + " garden, cellar");
    }
    ToonColour wall = persisting(segs, r -> r.walls, "wall colour", ToonColour::word);
    if (wall == null) {
      throw new WorldTextException(
          start,
          "the scene starting here names no wall colour; say for example \"with blue walls\"");
    }
    Map<Character, ToonColour> colour = new EnumMap<>(Character.class);
    for (Character c : Character.values()) {
      ToonColour k =
          persisting(
              segs,
              r -> r.colours.getOrDefault(c, List.of()),
              c.word() + "'s colour",
              ToonColour::word);
      if (k != null) {
        colour.put(c, k);
      }
    }
    List<SegmentSpec> out = new ArrayList<>();
    for (SegmentReader r : segs) {
      out.add(segment(r, room, colour));
    }
    try {
      return new SceneSpec(room, wall, colour.get(Character.CAT), colour.get(Character.MOUSE), out);
    } catch (IllegalArgumentException e) {
      throw new WorldTextException(start, e.getMessage());
    }
  }

  private interface Facts<T> {
    List<T> of(SegmentReader r);
  }

  private interface Name<T> {
    String of(T t);
  }

  /** The one value the scene's segments give, or null; two different ones are an error. */
  private static <T> T persisting(
      List<SegmentReader> segs, Facts<T> facts, String what, Name<T> n) {
    T value = null;
    int where = -1;
    for (SegmentReader r : segs) {
      for (T t : facts.of(r)) {
        if (value == null) {
          value = t;
          where = r.segment;
        } else if (!value.equals(t)) {
          throw new WorldTextException(
              r.segment,
              "the "
                  + what
                  + " is "
                  + n.of(t)
                  + " here but "
                  + n.of(value)
                  + " in segment "
                  + where
                  + " of the same scene; a new "
                  + what
                  + " needs a new scene");
        }
      }
    }
    return value;
  }

  private static SegmentSpec segment(SegmentReader r, Room room, Map<Character, ToonColour> col) {
    Map<Character, Draft> drafts = new EnumMap<>(Character.class);
    drafts.putAll(r.actions);
    Draft cat = drafts.get(Character.CAT);
    if (cat != null && cat.kind == ActionKind.CHASE && !drafts.containsKey(Character.MOUSE)) {
      Draft run = new Draft(ActionKind.RUN);
      run.side = direction(cat);
      drafts.put(Character.MOUSE, run);
    }
    for (Character c : r.mentioned) {
      if (!r.absent.contains(c)) {
        drafts.putIfAbsent(c, new Draft(ActionKind.SIT));
      }
    }
    Action[] actions = new Action[2];
    for (Map.Entry<Character, Draft> e : drafts.entrySet()) {
      Character who = e.getKey();
      if (!col.containsKey(who)) {
        throw new WorldTextException(
            r.segment,
            "the "
                + who.word()
                + " is here but its scene never says its colour; say for example \"a grey "
                + who.word()
                + "\" in the scene's first segment");
      }
      actions[who.ordinal()] = action(r.segment, who, e.getValue(), drafts, room);
    }
    try {
      return new SegmentSpec(
          r.camera == null ? Camera.STILL : r.camera,
          actions[Character.CAT.ordinal()],
          actions[Character.MOUSE.ordinal()]);
    } catch (IllegalArgumentException e) {
      throw new WorldTextException(r.segment, e.getMessage());
    }
  }

  private static Action action(
      int segment, Character who, Draft d, Map<Character, Draft> all, Room room) {
    String name = "the " + who.word() + " ";
    try {
      return switch (d.kind) {
        case WALK, RUN, CHASE -> {
          Side side = direction(d);
          if (side == null && d.kind == ActionKind.CHASE && all.get(Character.MOUSE) != null) {
            side = direction(all.get(Character.MOUSE));
          }
          if (side == null) {
            throw new WorldTextException(
                segment,
                name
                    + d.kind.jsonName()
                    + "s but the text says not which way; add \"to the left\" or \"to the"
                    + " right\"");
          }
          yield Action.of(d.kind, side);
        }
        case ENTER -> {
          Side from =
              d.from != null
                  ? d.from
                  : d.side == null ? null : d.toward ? d.side.opposite() : d.side;
          if (from == null) {
            throw new WorldTextException(
                segment, name + "enters but the text says not from where; add \"from the left\"");
          }
          yield Action.of(ActionKind.ENTER, from);
        }
        case LEAVE -> {
          Side to = d.side != null ? d.side : d.from;
          if (to == null) {
            throw new WorldTextException(
                segment, name + "leaves but the text says not which way; add \"to the right\"");
          }
          yield Action.of(ActionKind.LEAVE, to);
        }
        case JUMP, JUMP_ONTO ->
            d.target == null
                ? Action.of(ActionKind.JUMP)
                : Action.of(ActionKind.JUMP_ONTO, d.target);
        case HIDE -> {
          if (d.target == null) {
            throw new WorldTextException(
                segment,
                name
                    + "hides but the text says not behind what; add \"behind the "
                    + room.furniture().get(0).word()
                    + "\"");
          }
          yield Action.of(ActionKind.HIDE, d.target);
        }
        case SLEEP, SIT, EAT -> Action.of(d.kind);
      };
    } catch (WorldTextException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new WorldTextException(segment, who.word() + "." + e.getMessage());
    }
  }

  /** The side a walk, run or chase goes toward: "to the left", or away from its "from" side. */
  private static Side direction(Draft d) {
    return d.side != null ? d.side : d.from == null ? null : d.from.opposite();
  }

  /**
   * The text's sentences as tokens, longest phrases matched first; unknown words go into {@code
   * unknown} and are left out. Sentences end at . ! ? ; : and line breaks.
   */
  static List<List<Token>> sentences(String text, Set<String> unknown) {
    String t = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    t = t.replace('\u2019', '\'').replace('\u2018', '\'');
    List<List<Token>> out = new ArrayList<>();
    for (String sentence : t.split("[.!?;:\\n]+")) {
      List<String> words = new ArrayList<>();
      Matcher m = WORD.matcher(sentence);
      while (m.find()) {
        String w = m.group().replaceAll("^'+|'+$", "");
        if (w.endsWith("'s")) {
          w = w.substring(0, w.length() - 2);
        }
        if (!w.isEmpty()) {
          words.add(w);
        }
      }
      List<Token> tokens = new ArrayList<>();
      for (int i = 0; i < words.size(); ) {
        if (words.get(i).equals(",")) {
          tokens.add(new Token(",", null));
          i++;
          continue;
        }
        int len = Math.min(WorldVocabulary.MAX_PHRASE, words.size() - i);
        Term term = null;
        for (; len >= 1; len--) {
          term = WorldVocabulary.term(String.join(" ", words.subList(i, i + len)));
          if (term != null) {
            break;
          }
        }
        if (term == null) {
          unknown.add(words.get(i));
          i++;
        } else {
          tokens.add(new Token(String.join(" ", words.subList(i, i + len)), term));
          i += len;
        }
      }
      if (!tokens.isEmpty()) {
        out.add(tokens);
      }
    }
    return out;
  }
}
