package org.tttvideo.toonworld.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tttvideo.toonworld.Action;
import org.tttvideo.toonworld.ActionKind;
import org.tttvideo.toonworld.Camera;
import org.tttvideo.toonworld.Clip;
import org.tttvideo.toonworld.Renderer;
import org.tttvideo.toonworld.Room;
import org.tttvideo.toonworld.SceneSpec;
import org.tttvideo.toonworld.SegmentSpec;
import org.tttvideo.toonworld.Side;
import org.tttvideo.toonworld.ToonColour;
import org.tttvideo.toonworld.WorldSpec;
import org.tttvideo.toonworld.judge.JudgeReport.Overall;
import org.tttvideo.toonworld.testutils.Perturb;

/**
 * Each damage to a render is caught on the axis it belongs to, with exact scores. The spec: a
 * kitchen with blue walls, an orange cat and a grey mouse, four segments; 20 text items (the room
 * and each character's colour and action, per segment).
 */
class JudgePerturbationTest {

  private static final long SEED = 7;

  private static List<SegmentSpec> segments() {
    return List.of(
        new SegmentSpec(
            Camera.STILL, Action.of(ActionKind.WALK, Side.RIGHT), Action.of(ActionKind.SIT)),
        new SegmentSpec(
            Camera.STILL, Action.of(ActionKind.SIT), Action.of(ActionKind.WALK, Side.LEFT)),
        new SegmentSpec(
            Camera.PAN_RIGHT, Action.of(ActionKind.RUN, Side.LEFT), Action.of(ActionKind.EAT)),
        new SegmentSpec(
            Camera.STILL, Action.of(ActionKind.SLEEP), Action.of(ActionKind.RUN, Side.RIGHT)));
  }

  private static SceneSpec scene(Room room, ToonColour wall, List<SegmentSpec> segments) {
    return new SceneSpec(room, wall, ToonColour.ORANGE, ToonColour.GREY, segments);
  }

  private static final WorldSpec SPEC =
      WorldSpec.of(scene(Room.KITCHEN, ToonColour.BLUE, segments()));

  private static final Clip CLIP = Renderer.render(SPEC, SEED);

  @Test
  void theUndamagedRenderScoresOneOnEveryAxis() {
    assertThat(Judge.judge(CLIP, SPEC).overall()).isEqualTo(new Overall(1.0, 1.0, 1.0));
  }

  @Test
  void aColourSwappedMidSceneCostsConsistencyAndTheColourItems() {
    Clip swapped = Perturb.recolour(CLIP, 2, 4, ToonColour.ORANGE, ToonColour.RED);

    JudgeReport r = Judge.judge(swapped, SPEC);

    // segments 2 and 3 show a red cat: 2 of 20 text items, 2 of 4 segments inconsistent
    assertThat(r.overall()).isEqualTo(new Overall(18 / 20.0, 2 / 4.0, 1.0));
    assertThat(r.segments().get(2).characters().get(0).measuredColour()).isEqualTo(ToonColour.RED);
    assertThat(r.segments().get(2).characters().get(0).actionOk()).isTrue();
  }

  @Test
  void aRoomChangedMidSceneCostsConsistencyAndTheRoomItems() {
    List<SegmentSpec> s = segments();
    WorldSpec changed =
        new WorldSpec(
            List.of(
                scene(Room.KITCHEN, ToonColour.BLUE, s.subList(0, 2)),
                scene(Room.CELLAR, ToonColour.GREEN, s.subList(2, 4))));

    JudgeReport r = Judge.judge(Renderer.render(changed, SEED), SPEC);

    assertThat(r.overall()).isEqualTo(new Overall(18 / 20.0, 2 / 4.0, 1.0));
    assertThat(r.segments().get(3).measuredRoom()).isEqualTo(Room.CELLAR);
    assertThat(r.segments().get(3).measuredWall()).isEqualTo(ToonColour.GREEN);
  }

  @Test
  void aCharacterRemovedCostsPresenceOnly() {
    List<SegmentSpec> s = new ArrayList<>(segments());
    s.set(1, new SegmentSpec(Camera.STILL, Action.of(ActionKind.SIT), null));
    WorldSpec noMouse = WorldSpec.of(scene(Room.KITCHEN, ToonColour.BLUE, s));

    JudgeReport r = Judge.judge(Renderer.render(noMouse, SEED), SPEC);

    // segment 1 shows 1 of its 2 characters; the missing mouse is not text-judged
    assertThat(r.overall()).isEqualTo(new Overall(1.0, 1.0, (1 + 0.5 + 1 + 1) / 4));
    assertThat(r.segments().get(1).characters().get(1).present()).isFalse();
    assertThat(r.segments().get(1).textItems()).isEqualTo(3);
  }

  @Test
  void motionPlayedBackwardsCostsTheActionItemsOfEveryMove() {
    Clip reversed = Perturb.reverse(CLIP, 0, 1, 2, 3);

    JudgeReport r = Judge.judge(reversed, SPEC);

    // four moves (cat walk, mouse walk, cat run, mouse run) go the wrong way; sit, eat and sleep
    // read the same backwards
    assertThat(r.overall()).isEqualTo(new Overall(16 / 20.0, 1.0, 1.0));
  }

  @Test
  void framesOfNoiseCostPresenceOnly() {
    Clip noisy = Perturb.noise(Perturb.noise(CLIP, 30, 36, 1), 72, 84, 2);

    JudgeReport r = Judge.judge(noisy, SPEC);

    // 6 of segment 1's frames and 12 of segment 3's are noise
    assertThat(r.overall()).isEqualTo(new Overall(1.0, 1.0, (1 + 18 / 24.0 + 1 + 12 / 24.0) / 4));
    assertThat(r.segments().get(3).validFrames()).isEqualTo(12);
  }

  @Test
  void aClipThatEndsEarlyHasNoPictureForTheMissingSegments() {
    JudgeReport r = Judge.judge(CLIP.frames(0, 48), SPEC);

    assertThat(r.overall().presence()).isEqualTo(0.5);
    assertThat(r.segments().get(3).measuredWall()).isNull();
    assertThat(r.segments().get(3).validFrames()).isZero();
  }
}
