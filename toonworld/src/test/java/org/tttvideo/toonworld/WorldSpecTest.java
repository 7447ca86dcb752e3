package org.tttvideo.toonworld;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tttvideo.toonworld.testutils.Specs;

class WorldSpecTest {

  private static final SegmentSpec SIT =
      new SegmentSpec(Camera.STILL, Action.of(ActionKind.SIT), null);

  @Test
  void segmentsAreNumberedThroughTheVideo() {
    WorldSpec w = Specs.twoScenes();
    assertThat(w.segmentCount()).isEqualTo(4);
    assertThat(w.frameCount()).isEqualTo(96);
    assertThat(List.of(w.sceneOf(0), w.sceneOf(1), w.sceneOf(2), w.sceneOf(3)))
        .containsExactly(0, 0, 1, 1);
    assertThat(List.of(w.sceneStart(0), w.sceneStart(1), w.sceneStart(2), w.sceneStart(3)))
        .containsExactly(true, false, true, false);
    assertThat(w.firstSegmentOf(1)).isEqualTo(2);
    assertThat(w.segment(3).mouse()).isEqualTo(Action.of(ActionKind.SLEEP));
    assertThatThrownBy(() -> w.segment(4))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("segment must be in [0, 4), was 4");
  }

  @Test
  void actionsTakeExactlyTheArgumentsOfTheirKind() {
    assertThatThrownBy(() -> Action.of(ActionKind.WALK))
        .hasMessage("direction: walk needs a direction (left or right)");
    assertThatThrownBy(() -> Action.of(ActionKind.SLEEP, Side.LEFT))
        .hasMessage("direction: sleep takes no direction, was left");
    assertThatThrownBy(() -> Action.of(ActionKind.HIDE))
        .hasMessage("target: hide needs a target piece of furniture");
    assertThatThrownBy(() -> Action.of(ActionKind.EAT, Furniture.TABLE))
        .hasMessage("target: eat takes no target, was table");
    assertThatThrownBy(() -> Action.of(ActionKind.JUMP_ONTO, Furniture.LAMP))
        .hasMessage(
            "target: cannot jump onto the lamp; allowed: table, sofa, bed, fence, barrel, stairs");
    assertThatThrownBy(() -> Action.of(ActionKind.HIDE, Furniture.TREE))
        .hasMessage(
            "target: cannot hide behind the tree; allowed: table, fridge, sofa, wardrobe, fence,"
                + " barrel, stairs");
  }

  @Test
  void aChaseNeedsTheMouseAheadAndOnlyTheCatChases() {
    Action chase = Action.of(ActionKind.CHASE, Side.LEFT);
    assertThatThrownBy(() -> new SegmentSpec(Camera.STILL, chase, null))
        .hasMessage(
            "mouse: a chase to the left needs the mouse to run or leave to the left, was not in"
                + " frame");
    assertThatThrownBy(
            () -> new SegmentSpec(Camera.STILL, chase, Action.of(ActionKind.RUN, Side.RIGHT)))
        .hasMessage(
            "mouse: a chase to the left needs the mouse to run or leave to the left, was run right");
    assertThat(new SegmentSpec(Camera.STILL, chase, Action.of(ActionKind.LEAVE, Side.LEFT)).cat())
        .isEqualTo(chase);
    assertThatThrownBy(() -> new SegmentSpec(Camera.STILL, null, chase))
        .hasMessage("mouse: only the cat chases; the mouse may run instead");
    assertThatThrownBy(() -> new SegmentSpec(Camera.STILL, null, null))
        .hasMessage(
            "cat: a segment needs at least one character in frame, and neither cat nor mouse is");
  }

  @Test
  void scenesCheckColoursTargetsAndLength() {
    assertThatThrownBy(
            () -> new SceneSpec(Room.CELLAR, ToonColour.RED, ToonColour.RED, null, List.of(SIT)))
        .hasMessage("catColour: the cat must differ from the red wall");
    assertThatThrownBy(
            () ->
                new SceneSpec(
                    Room.CELLAR, ToonColour.RED, ToonColour.BLUE, ToonColour.BLUE, List.of(SIT)))
        .hasMessage("mouseColour: the mouse is in no segment, so it takes no colour (was blue)");
    assertThatThrownBy(() -> new SceneSpec(Room.CELLAR, ToonColour.RED, null, null, List.of(SIT)))
        .hasMessage("catColour: the cat is in frame in some segment, so its colour must be given");
    SegmentSpec both =
        new SegmentSpec(Camera.STILL, Action.of(ActionKind.SIT), Action.of(ActionKind.EAT));
    assertThatThrownBy(
            () ->
                new SceneSpec(
                    Room.CELLAR, ToonColour.RED, ToonColour.BLUE, ToonColour.BLUE, List.of(both)))
        .hasMessage("mouseColour: the mouse must differ from the cat, both were blue");
    SegmentSpec sofa =
        new SegmentSpec(Camera.STILL, Action.of(ActionKind.JUMP_ONTO, Furniture.SOFA), null);
    assertThatThrownBy(
            () -> new SceneSpec(Room.CELLAR, ToonColour.RED, ToonColour.BLUE, null, List.of(sofa)))
        .hasMessage(
            "segments[0].cat.target: there is no sofa in the cellar; it has barrel and stairs");
    assertThatThrownBy(
            () ->
                new SceneSpec(
                    Room.CELLAR,
                    ToonColour.RED,
                    ToonColour.BLUE,
                    null,
                    Collections.nCopies(8, SIT)))
        .hasMessage("segments: a scene has 1 to 7 segments, was 8");
  }

  @Test
  void aVideoHasAtMostFiveScenesAndTwentyOneSegments() {
    SceneSpec seven =
        new SceneSpec(
            Room.BEDROOM, ToonColour.PINK, ToonColour.BLACK, null, Collections.nCopies(7, SIT));
    assertThat(new WorldSpec(List.of(seven, seven, seven)).segmentCount()).isEqualTo(21);
    SceneSpec one =
        new SceneSpec(Room.BEDROOM, ToonColour.PINK, ToonColour.BLACK, null, List.of(SIT));
    assertThatThrownBy(() -> new WorldSpec(List.of(seven, seven, seven, one)))
        .hasMessage("scenes: a video has at most 21 segments, these scenes have 22");
    assertThatThrownBy(() -> new WorldSpec(Collections.nCopies(6, one)))
        .hasMessage("scenes: a video has 1 to 5 scenes, was 6");
  }

  @Test
  void vocabularyOfTheEnums() {
    assertThat(Room.LIVING_ROOM.words()).containsExactly("living room", "lounge", "sitting room");
    assertThat(Room.GARDEN.furniture()).containsExactly(Furniture.TREE, Furniture.FENCE);
    assertThat(ToonColour.ORANGE.word()).isEqualTo("orange");
    assertThat(ToonColour.ORANGE.synonyms()).containsExactly("ginger", "tangerine");
    assertThat(ToonColour.nearest(0xf08c10)).isEqualTo(ToonColour.ORANGE);
    assertThat(Camera.PAN_LEFT.word()).isEqualTo("pan left");
    assertThat(ActionKind.JUMP_ONTO.jsonName()).isEqualTo("jump_onto");
    assertThat(java.util.Arrays.stream(Furniture.values()).filter(Furniture::canJumpOnto).toList())
        .containsExactly(
            Furniture.TABLE,
            Furniture.SOFA,
            Furniture.BED,
            Furniture.FENCE,
            Furniture.BARREL,
            Furniture.STAIRS);
  }
}
