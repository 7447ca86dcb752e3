package org.tttvideo.toonworld;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a {@link WorldSpec} as storyboard text in the world's words, three ways (the paper's
 * formats): Format 3, a paragraph of 2 to 5 sentences per segment; Format 2, one sentence per
 * segment; Format 1, a summary of 5 to 8 sentences. The seed picks among synonyms, sentence orders
 * and optional details ({@link Phrases}), so the same spec gets many texts.
 *
 * <p><b>What persists is said once.</b> In Formats 3 and 2 the first segment of a scene names the
 * room, the wall colour and the colour of every character of the scene (one not yet in frame is
 * said to be out of sight); later segments say "the cat", "the mouse", "the room" and name no
 * colour and no room. A model that draws segment 6 must remember segment 0.
 *
 * <pre>{@code
 * WorldStoryboard b = StoryboardWriter.write(spec, 42L);
 * b.format3().get(0);  // "The scene opens in a kitchen with blue walls. A grey mouse runs ..."
 * b.annotationText();  // <scene start> ... <scene end>, for StoryboardParser
 * }</pre>
 */
public final class StoryboardWriter {

  private static final String[] NUMBERS = {"one", "two", "three", "four", "five"};
  private static final String[] ORDINALS = {"First", "Then", "Next", "After that", "Finally"};

  private StoryboardWriter() {}

  /** The three formats of {@code spec}, varied by {@code seed}. */
  public static WorldStoryboard write(WorldSpec spec, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
    List<String> f3 = new ArrayList<>();
    List<String> f2 = new ArrayList<>();
    List<Boolean> starts = new ArrayList<>();
    for (int i = 0; i < spec.segmentCount(); i++) {
      SceneSpec scene = spec.scenes().get(spec.sceneOf(i));
      boolean first = spec.sceneStart(i);
      f3.add(format3(scene, spec.segment(i), first, rnd));
      f2.add(format2(scene, spec.segment(i), first, rnd));
      starts.add(first);
    }
    return new WorldStoryboard(f3, f2, format1(spec, rnd), starts);
  }

  // ---------------------------------------------------------------- format 3

  private static String format3(SceneSpec scene, SegmentSpec s, boolean first, SplittableRandom r) {
    List<String> sentences = new ArrayList<>();
    for (Character who : order(s, first, r)) {
      sentences.add(clause(who, s, first ? scene.colour(who) : null, r));
    }
    if (first) {
      for (Character who : Character.values()) {
        if (scene.colour(who) != null && s.action(who) == null) {
          sentences.add(
              fill(pick(Phrases.NOT_YET, r), "{s}", introduce(who, scene.colour(who), r)));
        }
      }
      String wall = colourWord(scene.wall(), r);
      String setting =
          pick(Phrases.settings(scene.room()), r)
              .replace("{r}", pick(scene.room().words(), r))
              .replace("{a}", article(wall))
              .replace("{w}", wall);
      // "A new scene: ..." opens the paragraph; the others may follow the first character
      boolean second = r.nextInt(4) == 0 && !setting.startsWith("A new scene");
      sentences.add(second ? 1 : 0, setting);
    }
    boolean camera = s.camera() != Camera.STILL || r.nextBoolean() || sentences.size() < 2;
    if (camera) {
      String c = pick(Phrases.camera(s.camera()), r);
      if (r.nextInt(3) == 0 && !first) {
        sentences.add(0, c);
      } else {
        sentences.add(c);
      }
    }
    if (sentences.size() < 5 && (sentences.size() < 2 || r.nextInt(10) < 3)) {
      sentences.add(pick(Phrases.details(scene.room()), r));
    }
    StringBuilder b = new StringBuilder();
    for (String sentence : sentences) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(capitalise(sentence)).append('.');
    }
    return b.toString();
  }

  /** The characters in frame, in the order their sentences come. */
  private static List<Character> order(SegmentSpec s, boolean first, SplittableRandom r) {
    List<Character> out = new ArrayList<>(2);
    for (Character who : Character.values()) {
      if (s.action(who) != null) {
        out.add(who);
      }
    }
    boolean chase = s.cat() != null && s.cat().kind() == ActionKind.CHASE;
    // a chase names "the mouse": in a first segment the mouse's own sentence must come first
    if (out.size() == 2 && ((chase && first) || (!chase && r.nextBoolean()))) {
      out.add(out.remove(0));
    }
    return out;
  }

  /** What {@code who} does, its subject coloured when {@code colour} is given. */
  private static String clause(
      Character who, SegmentSpec s, ToonColour colour, SplittableRandom r) {
    Action a = s.action(who);
    String subject = colour == null ? "the " + who.word() : introduce(who, colour, r);
    String t = pick(Phrases.verbs(a.kind()), r).replace("{s}", subject).replace("{o}", "the mouse");
    if (a.direction() != null) {
      t = t.replace("{d}", a.direction().word());
    }
    if (a.target() != null) {
      t = t.replace("{f}", furnitureWord(a.target(), r));
    }
    return t;
  }

  // ---------------------------------------------------------------- format 2

  private static String format2(SceneSpec scene, SegmentSpec s, boolean first, SplittableRandom r) {
    StringBuilder b = new StringBuilder();
    if (first) {
      String wall = colourWord(scene.wall(), r);
      b.append("In a ").append(pick(scene.room().words(), r));
      b.append(
          scene.room() == Room.GARDEN
              ? " with " + article(wall) + wall + " wall, "
              : " with " + wall + " walls, ");
    }
    List<Character> order = order(s, first, r);
    for (int k = 0; k < order.size(); k++) {
      Character who = order.get(k);
      if (k > 0) {
        b.append(" while ");
      }
      b.append(clause(who, s, first ? scene.colour(who) : null, r));
    }
    if (first) {
      for (Character who : Character.values()) {
        if (scene.colour(who) != null && s.action(who) == null) {
          b.append(", and ")
              .append(introduce(who, scene.colour(who), r))
              .append(" is not in sight yet");
        }
      }
    }
    if (s.camera() != Camera.STILL) {
      b.append(", and the camera pans ").append(s.camera() == Camera.PAN_LEFT ? "left" : "right");
    }
    return capitalise(b.toString()) + ".";
  }

  // ---------------------------------------------------------------- format 1

  private static String format1(WorldSpec spec, SplittableRandom r) {
    int scenes = spec.scenes().size();
    List<String> head = new ArrayList<>();
    head.add(
        "This video tells a story in "
            + NUMBERS[scenes - 1]
            + (scenes == 1 ? " scene" : " scenes"));
    for (int i = 0; i < scenes; i++) {
      SceneSpec sc = spec.scenes().get(i);
      StringBuilder b =
          new StringBuilder(scenes == 1 ? "It plays" : ORDINALS[ordinal(i, scenes)] + ",");
      b.append(" in a ").append(pick(sc.room().words(), r));
      String wall = colourWord(sc.wall(), r);
      b.append(sc.room() == Room.GARDEN ? " with " + article(wall) : " with ");
      b.append(wall).append(sc.room() == Room.GARDEN ? " wall" : " walls");
      List<CharacterSpec> cs = sc.characters();
      b.append(", we meet ").append(introduce(cs.get(0).who(), cs.get(0).colour(), r));
      if (cs.size() > 1) {
        b.append(" and ").append(introduce(cs.get(1).who(), cs.get(1).colour(), r));
      }
      head.add(b.toString());
    }
    String closing =
        "The video lasts " + spec.segmentCount() * Geometry.SECONDS_PER_SEGMENT + " seconds";
    int budget = 8 - head.size() - 1;
    int n = spec.segmentCount();
    List<String> actions = new ArrayList<>();
    int take = Math.min(budget, n);
    for (int k = 0; k < take; k++) {
      int seg = take == 1 ? 0 : (int) Math.round((double) k * (n - 1) / (take - 1));
      SegmentSpec s = spec.segment(seg);
      StringBuilder b = new StringBuilder();
      List<Character> order = order(s, false, r);
      for (int j = 0; j < order.size(); j++) {
        b.append(j == 0 ? "" : " while ").append(clause(order.get(j), s, null, r));
      }
      actions.add(b.toString());
    }
    List<String> all = new ArrayList<>(head);
    all.addAll(actions);
    if (all.size() + 1 < 5) {
      all.add(
          n == 1
              ? "There is one segment of three seconds"
              : "There are " + n + " segments of three seconds each");
    }
    all.add(closing);
    StringBuilder b = new StringBuilder();
    for (String sentence : all) {
      b.append(b.length() == 0 ? "" : " ").append(capitalise(sentence)).append('.');
    }
    return b.toString();
  }

  private static int ordinal(int i, int scenes) {
    return i == scenes - 1 ? 4 : Math.min(i, 3);
  }

  // ---------------------------------------------------------------- words

  /** "an orange cat", "a ginger cat". */
  private static String introduce(Character who, ToonColour colour, SplittableRandom r) {
    String c = colourWord(colour, r);
    return article(c) + c + " " + who.word();
  }

  private static String article(String word) {
    return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ";
  }

  /** The colour's word, or one of its synonyms one time in four. */
  private static String colourWord(ToonColour c, SplittableRandom r) {
    return r.nextInt(4) == 0 ? pick(c.synonyms(), r) : c.word();
  }

  private static String furnitureWord(Furniture f, SplittableRandom r) {
    return f.synonyms().isEmpty() || r.nextInt(3) > 0 ? f.word() : pick(f.synonyms(), r);
  }

  private static String fill(String template, String key, String value) {
    return template.replace(key, value);
  }

  private static <T> T pick(List<T> options, SplittableRandom r) {
    return options.get(r.nextInt(options.size()));
  }

  private static String capitalise(String s) {
    return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }
}
