package org.tttvideo.toonworld;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tttvideo.storyboard.ParseResult;
import org.tttvideo.storyboard.Segment;
import org.tttvideo.storyboard.StoryboardParser;
import org.tttvideo.toonworld.testutils.Specs;
import org.tttvideo.toonworld.testutils.Words;

class StoryboardWriterTest {

  /** Two scenes, the second with a cat that enters only in its second segment. */
  static WorldSpec lateCat() {
    SceneSpec garden =
        new SceneSpec(
            Room.GARDEN,
            ToonColour.RED,
            ToonColour.BLACK,
            ToonColour.YELLOW,
            List.of(
                new SegmentSpec(Camera.STILL, null, Action.of(ActionKind.EAT)),
                new SegmentSpec(
                    Camera.PAN_LEFT,
                    Action.of(ActionKind.ENTER, Side.RIGHT),
                    Action.of(ActionKind.JUMP_ONTO, Furniture.FENCE)),
                new SegmentSpec(Camera.STILL, Action.of(ActionKind.SIT), null)));
    return new WorldSpec(List.of(Specs.kitchenChase(), garden));
  }

  @Test
  void goldenTextOfOneSpecAndSeed() {
    WorldStoryboard b = StoryboardWriter.write(Specs.twoScenes(), 1);
    assertThat(b.format3())
        .containsExactly(
            "A new scene: a kitchen with azure walls. A grey mouse dashes toward the right. An"
                + " orange cat races after the mouse to the right.",
            "The cat hops onto the dining table. The mouse hides behind the refrigerator. The"
                + " camera slowly pans right. Light comes in through the window.",
            "A new scene: a yard with a green wall under the sky. A white mouse comes in from the"
                + " left.",
            "The mouse naps. The camera slowly pans left. It is a calm day.");
    assertThat(b.sceneStarts()).containsExactly(true, false, true, false);
  }

  @Test
  void persistentFactsAreNamedInTheFirstSegmentOfASceneOnly() {
    for (WorldSpec spec : List.of(Specs.twoScenes(), lateCat())) {
      for (long seed = 0; seed < 60; seed++) {
        WorldStoryboard b = StoryboardWriter.write(spec, seed);
        for (int i = 0; i < spec.segmentCount(); i++) {
          SceneSpec scene = spec.scenes().get(spec.sceneOf(i));
          for (List<String> format : List.of(b.format3(), b.format2())) {
            String t = format.get(i);
            if (spec.sceneStart(i)) {
              assertThat(Words.names(t, scene.room())).as("room in %s", t).isTrue();
              assertThat(Words.names(t, scene.wall())).as("wall in %s", t).isTrue();
              for (CharacterSpec c : scene.characters()) {
                assertThat(Words.names(t, c.colour())).as("%s in %s", c, t).isTrue();
              }
            } else {
              assertThat(Words.persistentWords(t)).as("seed %d: %s", seed, t).isEmpty();
            }
          }
        }
      }
    }
  }

  @Test
  void sentenceCountsOfTheThreeFormats() {
    for (WorldSpec spec : List.of(Specs.twoScenes(), lateCat())) {
      for (long seed = 0; seed < 60; seed++) {
        WorldStoryboard b = StoryboardWriter.write(spec, seed);
        for (String t : b.format3()) {
          assertThat(Words.sentences(t)).as(t).isBetween(2, 5);
        }
        for (String t : b.format2()) {
          assertThat(Words.sentences(t)).as(t).isEqualTo(1);
        }
        assertThat(Words.sentences(b.format1())).as(b.format1()).isBetween(5, 8);
      }
    }
  }

  @Test
  void aCharacterNotYetInFrameIsIntroducedAsOutOfSight() {
    WorldStoryboard b = StoryboardWriter.write(lateCat(), 3);
    assertThat(b.format3().get(2))
        .containsPattern("(black|ebony|jet) cat is (not in sight yet|somewhere out of sight)");
    assertThat(b.format2().get(2)).containsPattern("(black|ebony|jet) cat is not in sight yet");
  }

  @Test
  void theSeedVariesWordsAndOrder() {
    Set<String> firsts = new HashSet<>();
    for (long seed = 0; seed < 30; seed++) {
      firsts.add(StoryboardWriter.write(Specs.twoScenes(), seed).format3().get(0));
    }
    assertThat(firsts.size()).isGreaterThanOrEqualTo(25);
    assertThat(StoryboardWriter.write(Specs.twoScenes(), 9))
        .isEqualTo(StoryboardWriter.write(Specs.twoScenes(), 9));
  }

  @Test
  void theAnnotationTextReadsBackThroughTheStoryboardParser() {
    WorldStoryboard b = StoryboardWriter.write(lateCat(), 4);
    ParseResult r =
        new StoryboardParser().parse(b.annotationText().getBytes(StandardCharsets.UTF_8));
    assertThat(r.rejections()).isEmpty();
    List<Segment> read = r.storyboards().get(0).segments();
    assertThat(read).isEqualTo(b.segments());
    assertThat(read.stream().map(Segment::sceneStart).toList())
        .containsExactly(true, false, true, false, false);
  }
}
