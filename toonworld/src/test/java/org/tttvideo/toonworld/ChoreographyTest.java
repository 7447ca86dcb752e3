package org.tttvideo.toonworld;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tttvideo.toonworld.testutils.Specs;

class ChoreographyTest {

  private static final int N = Geometry.FRAMES_PER_SEGMENT;

  /** The plan of {@link Specs#oneSegment} for {@code seed}. */
  private static List<FramePlan> plan(
      Room room, Camera camera, Action cat, Action mouse, long seed) {
    return Choreography.plan(Specs.oneSegment(room, camera, cat, mouse), seed);
  }

  @Test
  void theSameSpecAndSeedGiveTheSamePlanAndAnotherSeedAnother() {
    WorldSpec w =
        Specs.oneSegment(
            Room.KITCHEN, Camera.STILL, Action.of(ActionKind.SIT), Action.of(ActionKind.EAT));
    assertThat(Choreography.plan(w, 7)).isEqualTo(Choreography.plan(w, 7));
    assertThat(Choreography.plan(w, 8).get(0).cat().x())
        .isNotEqualTo(Choreography.plan(w, 7).get(0).cat().x());
  }

  @Test
  void walksAndRunsAtTheirSpeedsTowardTheirSide() {
    List<FramePlan> p =
        plan(
            Room.KITCHEN,
            Camera.STILL,
            Action.of(ActionKind.WALK, Side.RIGHT),
            Action.of(ActionKind.RUN, Side.LEFT),
            3);
    for (int f = 1; f < N; f++) {
      assertThat(p.get(f).cat().x() - p.get(f - 1).cat().x()).isCloseTo(2.5, within(1e-9));
      assertThat(p.get(f).mouse().x() - p.get(f - 1).mouse().x()).isCloseTo(-3.5, within(1e-9));
    }
    assertThat(p.get(0).cat().facing()).isEqualTo(Side.RIGHT);
    assertThat(p.get(0).mouse().facing()).isEqualTo(Side.LEFT);
    assertThat(p.get(5).cat().posture()).isEqualTo(Posture.WALK);
    assertThat(p.get(5).mouse().posture()).isEqualTo(Posture.RUN);
  }

  @Test
  void theChasingCatClosesFrom42To28PixelsBehindTheMouse() {
    List<FramePlan> p =
        plan(
            Room.KITCHEN,
            Camera.PAN_RIGHT,
            Action.of(ActionKind.CHASE, Side.RIGHT),
            Action.of(ActionKind.RUN, Side.RIGHT),
            11);
    assertThat(p.get(0).mouse().x() - p.get(0).cat().x()).isCloseTo(42, within(1e-9));
    assertThat(p.get(12).mouse().x() - p.get(12).cat().x()).isCloseTo(35, within(1e-9));
    // both whole in every frame of the pan: centres inside [24 + margin, 192 - margin]
    for (FramePlan f : p) {
      assertThat(f.cat().x()).isBetween(48.0, 168.0);
      assertThat(f.mouse().x()).isBetween(41.0, 175.0);
    }
  }

  @Test
  void entersFromFullyOffScreenAndLeavesToFullyOffScreen() {
    List<FramePlan> p =
        plan(
            Room.BEDROOM,
            Camera.STILL,
            Action.of(ActionKind.ENTER, Side.LEFT),
            Action.of(ActionKind.LEAVE, Side.RIGHT),
            5);
    int cam = Layout.STILL_CAMERA_X;
    assertThat(p.get(0).cat().x() - cam).isEqualTo(-24.0);
    assertThat(p.get(N - 1).cat().x() - cam).isEqualTo(64.0);
    assertThat(p.get(0).mouse().x() - cam).isEqualTo(192.0 - 48);
    assertThat(p.get(N - 1).mouse().x() - cam).isEqualTo(192.0 + 17);
    assertThat(p.get(0).cat().facing()).isEqualTo(Side.RIGHT);
  }

  @Test
  void aMouseLeavingAtTheCatsSideKeepsClearOfTheCat() {
    Action leave = Action.of(ActionKind.LEAVE, Side.LEFT);
    List<FramePlan> p = plan(Room.BEDROOM, Camera.STILL, leave, leave, 5);
    int cam = Layout.STILL_CAMERA_X;
    assertThat(p.get(0).cat().x() - cam).isEqualTo(64.0);
    assertThat(p.get(0).mouse().x() - cam).isEqualTo(112.0);
    assertThat(p.get(N - 1).mouse().x() - cam).isEqualTo(-17.0);
  }

  @Test
  void jumpsOntoTheTableInAnArcAndStaysOnTop() {
    List<FramePlan> p =
        plan(Room.KITCHEN, Camera.STILL, Action.of(ActionKind.JUMP_ONTO, Furniture.TABLE), null, 1);
    assertThat(p.get(11).cat().feetY()).isEqualTo(116.0);
    assertThat(p.get(12).cat().posture()).isEqualTo(Posture.AIR);
    // u = 4/8: y = 116 + (76 - 116) / 2 - 14 = 82
    assertThat(p.get(16).cat().feetY()).isCloseTo(82.0, within(1e-9));
    for (int f = 20; f < N; f++) {
      assertThat(p.get(f).cat().x()).isEqualTo(68.0);
      assertThat(p.get(f).cat().feetY()).isEqualTo(76.0);
      assertThat(p.get(f).cat().posture()).isEqualTo(Posture.STAND);
    }
  }

  @Test
  void jumpsInPlaceTwiceAlongAParabola() {
    List<FramePlan> p = plan(Room.GARDEN, Camera.STILL, null, Action.of(ActionKind.JUMP), 1);
    assertThat(p.get(0).mouse().feetY()).isEqualTo(116.0);
    assertThat(p.get(6).mouse().feetY()).isEqualTo(106.0); // 116 - 10 * 4 * 0.5 * 0.5
    assertThat(p.get(12).mouse().feetY()).isEqualTo(116.0);
    assertThat(p.get(18).mouse().feetY()).isEqualTo(106.0);
    assertThat(p.get(3).mouse().x()).isEqualTo(p.get(20).mouse().x());
  }

  @Test
  void hidesBehindThePieceFromFrame14() {
    List<FramePlan> p =
        plan(Room.CELLAR, Camera.STILL, null, Action.of(ActionKind.HIDE, Furniture.BARREL), 2);
    for (int f = 0; f < N; f++) {
      assertThat(p.get(f).mouse().behind()).isEqualTo(Furniture.BARREL);
    }
    for (int f = 14; f < N; f++) {
      assertThat(p.get(f).mouse().x()).isEqualTo(68.0);
    }
    assertThat(Math.abs(p.get(0).mouse().x() - 68.0)).isGreaterThanOrEqualTo(24.0);
  }

  @Test
  void aSceneCarriesPositionsFromOneSegmentToTheNext() {
    Action walk = Action.of(ActionKind.WALK, Side.LEFT);
    WorldSpec w =
        WorldSpec.of(
            new SceneSpec(
                Room.LIVING_ROOM,
                ToonColour.PINK,
                ToonColour.BLACK,
                null,
                List.of(
                    new SegmentSpec(Camera.STILL, walk, null),
                    new SegmentSpec(Camera.STILL, Action.of(ActionKind.WALK, Side.RIGHT), null))));
    List<FramePlan> p = Choreography.plan(w, 9);
    // the second segment starts where the first would have gone next, then turns right
    assertThat(p.get(N).cat().x() - p.get(N - 1).cat().x()).isCloseTo(-2.5, within(1e-9));
    assertThat(p.get(N + 1).cat().x() - p.get(N).cat().x()).isCloseTo(2.5, within(1e-9));
    assertThat(p.get(N).segment()).isEqualTo(1);
  }

  @Test
  void fitKeepsADisplacementInsideTheRange() {
    assertThat(Choreography.fit(150, 60, 24, 168)).isEqualTo(108.0);
    assertThat(Choreography.fit(30, -60, 24, 168)).isEqualTo(84.0);
    assertThat(Choreography.fit(90, 60, 24, 168)).isEqualTo(90.0);
    assertThat(Choreography.fit(90, 200, 24, 168)).isEqualTo(-4.0);
  }
}
