package org.tttvideo.toonworld;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tttvideo.storyboard.Segment;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.storyboard.StoryboardParser;
import org.tttvideo.toonworld.testutils.Specs;

class WorldTextParserTest {

  /** Segments from texts; a text starting with "* " starts a scene (the first always does). */
  static List<Segment> segments(String... texts) {
    List<Segment> out = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      boolean start = i == 0 || texts[i].startsWith("* ");
      out.add(new Segment(i, texts[i].replaceFirst("^\\* ", ""), "", start));
    }
    return out;
  }

  @Test
  void readsAHandWrittenFormat3StoryboardIntoTheExactSpec() {
    ParsedWorld w =
        WorldTextParser.parse(
            segments(
                "In a kitchen with blue walls, an orange cat chases a grey mouse to the right."
                    + " The camera holds still.",
                "The camera pans to the right. The cat jumps up onto the dining table, while the"
                    + " mouse hides behind the fridge.",
                "* A garden with a green wall. A little white mouse enters from the left.",
                "The camera pans left. The mouse sleeps soundly."));

    assertThat(w.spec()).isEqualTo(Specs.twoScenes());
    assertThat(w.unknownWords()).containsExactly(new UnknownWord(3, "soundly"));
  }

  @Test
  void theCatOfALaterSegmentKeepsTheColourItsSceneFirstNamed() {
    ParsedWorld w =
        WorldTextParser.parse(
            segments(
                "A black cat sleeps in the bedroom. The walls are yellow.",
                "* The cellar has grey walls. A ginger cat walks in from the left.",
                "The cat sits by the barrel.",
                "The cat eats.",
                "The cat runs to the left."));

    SceneSpec cellar = w.spec().scenes().get(1);
    assertThat(w.spec().scenes().get(0).catColour()).isEqualTo(ToonColour.BLACK);
    assertThat(cellar.catColour()).isEqualTo(ToonColour.ORANGE);
    assertThat(cellar.wall()).isEqualTo(ToonColour.GREY);
    assertThat(cellar.segments().get(3))
        .isEqualTo(new SegmentSpec(Camera.STILL, Action.of(ActionKind.RUN, Side.LEFT), null));
    assertThat(cellar.segments().get(0).cat()).isEqualTo(Action.of(ActionKind.ENTER, Side.LEFT));
    assertThat(w.unknownWords()).isEmpty();
  }

  @Test
  void aSceneStartForgetsTheColoursOfTheSceneBefore() {
    assertThatThrownBy(
            () ->
                WorldTextParser.parse(
                    segments(
                        "An orange cat sits in a kitchen with blue walls.",
                        "* The garden wall is red. The cat runs to the right.")))
        .isInstanceOf(WorldTextException.class)
        .hasMessage(
            "segment 1: the cat is here but its scene never says its colour; say for example"
                + " \"a grey cat\" in the scene's first segment");
  }

  @Test
  void readsAFormat2PlotWhoseBlankLineStartsAScene() {
    String json =
        "{\"format\":\"plot\",\"seed\":3,\"text\":\"In a kitchen with blue walls, an orange cat"
            + " chases a grey mouse to the right. The camera pans right as the cat leaps onto the"
            + " table and the mouse ducks behind the fridge.\\n\\nIn a garden with a green wall, a"
            + " white mouse comes in from the left. The camera pans left and the mouse naps.\"}";
    Storyboard sb =
        new StoryboardParser().parse(json.getBytes(StandardCharsets.UTF_8)).storyboards().get(0);

    ParsedWorld w = WorldTextParser.parse(sb);

    assertThat(w.spec()).isEqualTo(Specs.twoScenes());
    assertThat(w.unknown()).isEmpty();
  }

  @Test
  void reportsEveryUnknownWordOncePerSegmentInTextOrder() {
    ParsedWorld w =
        WorldTextParser.parse(
            segments(
                "A purple cat purrs in the lounge with pink walls, and the cat strolls to the left"
                    + " purring happily.",
                "The purple cat purrs again and naps on the couch. Zzz!"));

    assertThat(w.unknownWords())
        .containsExactly(
            new UnknownWord(0, "purrs"),
            new UnknownWord(0, "purring"),
            new UnknownWord(1, "purrs"),
            new UnknownWord(1, "zzz"));
    assertThat(w.unknown()).containsExactly("purrs", "purring", "zzz");
    assertThat(w.spec().segment(0).cat()).isEqualTo(Action.of(ActionKind.WALK, Side.LEFT));
    assertThat(w.spec().segment(1).cat()).isEqualTo(Action.of(ActionKind.SLEEP));
    assertThat(w.spec().scenes().get(0).room()).isEqualTo(Room.LIVING_ROOM);
  }

  @Test
  void readsEveryActionAndDirectionPhrase() {
    ParsedWorld w =
        WorldTextParser.parse(
            segments(
                "In a bedroom with white walls, a blue cat walks from the left and a red mouse"
                    + " runs off to the right.",
                "The cat runs after the mouse to the left.",
                "The mouse jumps. The cat leaves towards the left.",
                "The cat enters heading left. The mouse nibbles a crumb.",
                "The cat hides behind the wardrobe. The mouse hops onto the bed."));

    SceneSpec s = w.spec().scenes().get(0);
    List<Action> cats = new ArrayList<>();
    List<Action> mice = new ArrayList<>();
    for (SegmentSpec seg : s.segments()) {
      cats.add(seg.cat());
      mice.add(seg.mouse());
    }
    assertThat(cats)
        .containsExactly(
            Action.of(ActionKind.WALK, Side.RIGHT),
            Action.of(ActionKind.CHASE, Side.LEFT),
            Action.of(ActionKind.LEAVE, Side.LEFT),
            Action.of(ActionKind.ENTER, Side.RIGHT),
            Action.of(ActionKind.HIDE, Furniture.WARDROBE));
    assertThat(mice)
        .containsExactly(
            Action.of(ActionKind.LEAVE, Side.RIGHT),
            Action.of(ActionKind.RUN, Side.LEFT),
            Action.of(ActionKind.JUMP),
            Action.of(ActionKind.EAT),
            Action.of(ActionKind.JUMP_ONTO, Furniture.BED));
    assertThat(w.unknownWords()).isEmpty();
  }

  @Test
  void aSecondRoomInTheSameSceneIsAnError() {
    assertThatThrownBy(
            () ->
                WorldTextParser.parse(
                    segments(
                        "A grey mouse eats in the cellar. The walls are green.",
                        "The mouse runs into the kitchen to the left.")))
        .isInstanceOf(WorldTextException.class)
        .hasMessage(
            "segment 1: the room is kitchen here but cellar in segment 0 of the same scene; a new"
                + " room needs a new scene");
  }

  @Test
  void aWalkWithoutADirectionIsAnError() {
    assertThatThrownBy(
            () ->
                WorldTextParser.parse(
                    segments("A grey mouse walks around the yard. The wall is orange.")))
        .isInstanceOf(WorldTextException.class)
        .hasMessage(
            "segment 0: the mouse walks but the text says not which way; add \"to the left\" or"
                + " \"to the right\"");
  }

  @Test
  void aHideTargetNotInTheRoomIsAnErrorNamingTheField() {
    assertThatThrownBy(
            () ->
                WorldTextParser.parse(
                    segments("In the kitchen with red walls a white cat hides behind the sofa.")))
        .isInstanceOf(WorldTextException.class)
        .hasMessage(
            "segment 0: segments[0].cat.target: there is no sofa in the kitchen; it has table and"
                + " fridge");
  }

  @Test
  void theVocabularyKnowsEachWordOnce() {
    assertThat(WorldVocabulary.term("ginger"))
        .isEqualTo(new WorldVocabulary.Colour(ToonColour.ORANGE));
    assertThat(WorldVocabulary.term("living room"))
        .isEqualTo(new WorldVocabulary.Place(Room.LIVING_ROOM));
    assertThat(WorldVocabulary.term("dining table"))
        .isEqualTo(new WorldVocabulary.Piece(Furniture.TABLE));
    assertThat(WorldVocabulary.term("purrs")).isNull();
    assertThat(WorldVocabulary.wordsFor(new WorldVocabulary.Verb(ActionKind.CHASE)))
        .containsExactly("chase", "chases", "chasing", "pursues", "pursuing");
  }
}
