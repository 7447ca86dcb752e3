package org.tttvideo.toonworld;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tttvideo.toonworld.WorldVocabulary.CameraNoun;
import org.tttvideo.toonworld.WorldVocabulary.Direction;
import org.tttvideo.toonworld.WorldVocabulary.Modifier;
import org.tttvideo.toonworld.WorldVocabulary.Pan;
import org.tttvideo.toonworld.WorldVocabulary.Particle;
import org.tttvideo.toonworld.WorldVocabulary.ParticleKind;
import org.tttvideo.toonworld.WorldVocabulary.Piece;
import org.tttvideo.toonworld.WorldVocabulary.Place;
import org.tttvideo.toonworld.WorldVocabulary.Pronoun;
import org.tttvideo.toonworld.WorldVocabulary.Still;
import org.tttvideo.toonworld.WorldVocabulary.Term;
import org.tttvideo.toonworld.WorldVocabulary.Verb;
import org.tttvideo.toonworld.WorldVocabulary.WallNoun;
import org.tttvideo.toonworld.WorldVocabulary.Who;

/**
 * Reads the sentences of one segment into what that segment says: the camera, each character's
 * action (as a {@link Draft} still to be resolved), the rooms and colours it names. Used by {@link
 * WorldTextParser}, which resolves the drafts with the scene's persisting facts.
 *
 * <p>The reading is a left-to-right walk of each sentence's terms: characters named before a verb
 * are its subjects; a verb's direction, "from" side and furniture follow it; a character after
 * "chases" is chased; a character after a verb starts a new clause; "while", "as" and the like
 * start one too. A pronoun stands for the subjects of the last clause. A colour binds to the noun
 * right after it (skipping adjectives), else to the last noun before it in the sentence.
 */
final class SegmentReader {

  /** A token of the text: its word and what it means ({@code null} when unknown or a comma). */
  record Token(String word, Term term) {}

  /** One character's action as the text says it, before the scene fills in what it leaves out. */
  static final class Draft {
    ActionKind kind;
    Side side;
    Side from;
    boolean toward;
    Furniture target;
    Character object;

    Draft(ActionKind kind) {
      this.kind = kind;
    }
  }

  final int segment;
  Camera camera;
  final Map<Character, Draft> actions = new EnumMap<>(Character.class);
  final Set<Character> mentioned = new LinkedHashSet<>();
  final Set<Character> absent = new LinkedHashSet<>();
  final List<Room> rooms = new ArrayList<>();
  final List<ToonColour> walls = new ArrayList<>();
  final Map<Character, List<ToonColour>> colours = new EnumMap<>(Character.class);

  private List<Character> lastSubjects = List.of();

  SegmentReader(int segment) {
    this.segment = segment;
  }

  /** Reads one sentence. */
  void sentence(List<Token> tokens) {
    bindColours(tokens);
    List<Character> subjects = new ArrayList<>();
    List<Character> carry = List.of();
    boolean verbSeen = false;
    boolean cameraClause = false;
    boolean panPending = false;
    ParticleKind pendingSide = null;
    Draft current = null;
    for (int i = 0; i < tokens.size(); i++) {
      Term t = tokens.get(i).term();
      if (t instanceof Who w) {
        mentioned.add(w.who());
        if (chasing(current, subjects, w.who())) {
          current.object = w.who();
          continue;
        }
        if (verbSeen) {
          subjects = new ArrayList<>();
          verbSeen = false;
          current = null;
        }
        cameraClause = false;
        if (!subjects.contains(w.who())) {
          subjects.add(w.who());
        }
        lastSubjects = List.copyOf(subjects);
        carry = lastSubjects;
      } else if (t instanceof Pronoun) {
        if (current != null && current.kind == ActionKind.CHASE && current.object == null) {
          current.object = Character.MOUSE;
          mentioned.add(Character.MOUSE);
        } else if (verbSeen || subjects.isEmpty()) {
          subjects = new ArrayList<>(lastSubjects);
          carry = lastSubjects;
          verbSeen = false;
          current = null;
        }
      } else if (t instanceof WorldVocabulary.Absent) {
        if (current != null
            && (current.kind == ActionKind.WALK || current.kind == ActionKind.RUN)) {
          current.kind = ActionKind.LEAVE;
        } else if (current == null) {
          absent.addAll(subjects.isEmpty() ? carry : subjects);
        }
      } else if (t instanceof CameraNoun) {
        cameraClause = true;
        subjects = new ArrayList<>();
        verbSeen = false;
        current = null;
      } else if (t instanceof Pan) {
        cameraClause = true;
        panPending = true;
        current = null;
      } else if (t instanceof Still) {
        if (cameraClause && camera == null) {
          camera = Camera.STILL;
        }
      } else if (t instanceof Verb v) {
        if (cameraClause) {
          panPending |= v.kind() == ActionKind.WALK;
          continue;
        }
        List<Character> who = subjects.isEmpty() ? carry : subjects;
        if (who.isEmpty()) {
          continue;
        }
        current = new Draft(v.kind());
        for (Character c : who) {
          actions.putIfAbsent(c, current);
        }
        subjects = new ArrayList<>(who);
        lastSubjects = List.copyOf(who);
        carry = lastSubjects;
        verbSeen = true;
        pendingSide = null;
      } else if (t instanceof Particle p) {
        boolean motion =
            current != null && (current.kind == ActionKind.WALK || current.kind == ActionKind.RUN);
        switch (p.kind()) {
          case FROM, TO -> pendingSide = p.kind();
          case IN -> {
            if (motion && endsPhrase(tokens, i + 1)) {
              current.kind = ActionKind.ENTER;
            }
          }
          case OUT -> {
            if (motion) {
              current.kind = ActionKind.LEAVE;
            }
          }
          case AFTER -> {
            if (motion) {
              current.kind = ActionKind.CHASE;
            }
          }
        }
      } else if (t instanceof Direction d) {
        if (cameraClause) {
          if (panPending && (camera == null || camera == Camera.STILL)) {
            camera = d.side() == Side.LEFT ? Camera.PAN_LEFT : Camera.PAN_RIGHT;
          }
          panPending = false;
        } else if (current != null) {
          if (pendingSide == ParticleKind.FROM) {
            current.from = current.from == null ? d.side() : current.from;
          } else if (current.side == null) {
            current.side = d.side();
            current.toward = pendingSide == ParticleKind.TO;
          }
        }
        pendingSide = null;
      } else if (t instanceof Piece p) {
        if (current != null && current.target == null) {
          current.target = p.piece();
        }
      } else if (t instanceof Place r) {
        rooms.add(r.room());
      } else if (t instanceof WorldVocabulary.Break) {
        subjects = new ArrayList<>();
        verbSeen = false;
        current = null;
        cameraClause = false;
        pendingSide = null;
      }
    }
  }

  private static boolean chasing(Draft current, List<Character> subjects, Character who) {
    return current != null
        && current.kind == ActionKind.CHASE
        && current.object == null
        && !subjects.contains(who);
  }

  /** Whether "in" at {@code i - 1} ends its phrase: "walks in", "walks in from the left". */
  private static boolean endsPhrase(List<Token> tokens, int i) {
    if (i >= tokens.size()) {
      return true;
    }
    Token next = tokens.get(i);
    Term t = next.term();
    return next.word().equals(",")
        || next.word().equals("and")
        || t instanceof Direction
        || t instanceof WorldVocabulary.Break
        || (t instanceof Particle p && p.kind() == ParticleKind.FROM);
  }

  /** Binds each colour word to the noun it describes. */
  private void bindColours(List<Token> tokens) {
    for (int i = 0; i < tokens.size(); i++) {
      if (!(tokens.get(i).term() instanceof WorldVocabulary.Colour c)) {
        continue;
      }
      int j = i + 1;
      while (j < tokens.size() && tokens.get(j).term() instanceof Modifier) {
        j++;
      }
      Term noun = j < tokens.size() && isNoun(tokens.get(j).term()) ? tokens.get(j).term() : null;
      for (int k = i - 1; noun == null && k >= 0; k--) {
        if (isNoun(tokens.get(k).term())) {
          noun = tokens.get(k).term();
        }
      }
      if (noun instanceof Who w) {
        colours.computeIfAbsent(w.who(), x -> new ArrayList<>()).add(c.colour());
        mentioned.add(w.who());
      } else if (noun instanceof WallNoun || noun instanceof Place) {
        walls.add(c.colour());
      }
    }
  }

  private static boolean isNoun(Term t) {
    return t instanceof Who || t instanceof WallNoun || t instanceof Place || t instanceof Piece;
  }
}
