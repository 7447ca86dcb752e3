package org.tttvideo.toonworld.testutils;

import java.util.List;
import org.tttvideo.toonworld.Action;
import org.tttvideo.toonworld.ActionKind;
import org.tttvideo.toonworld.Camera;
import org.tttvideo.toonworld.Furniture;
import org.tttvideo.toonworld.Room;
import org.tttvideo.toonworld.SceneSpec;
import org.tttvideo.toonworld.SegmentSpec;
import org.tttvideo.toonworld.Side;
import org.tttvideo.toonworld.ToonColour;
import org.tttvideo.toonworld.WorldSpec;

/** World specs the tests share. */
public final class Specs {

  private Specs() {}

  /** Kitchen, blue wall, orange cat chasing a grey mouse to the right, then both hide. */
  public static SceneSpec kitchenChase() {
    return new SceneSpec(
        Room.KITCHEN,
        ToonColour.BLUE,
        ToonColour.ORANGE,
        ToonColour.GREY,
        List.of(
            new SegmentSpec(
                Camera.STILL,
                Action.of(ActionKind.CHASE, Side.RIGHT),
                Action.of(ActionKind.RUN, Side.RIGHT)),
            new SegmentSpec(
                Camera.PAN_RIGHT,
                Action.of(ActionKind.JUMP_ONTO, Furniture.TABLE),
                Action.of(ActionKind.HIDE, Furniture.FRIDGE))));
  }

  /** Garden, green wall, a lone white mouse that enters from the left and sleeps. */
  public static SceneSpec gardenMouse() {
    return new SceneSpec(
        Room.GARDEN,
        ToonColour.GREEN,
        null,
        ToonColour.WHITE,
        List.of(
            new SegmentSpec(Camera.STILL, null, Action.of(ActionKind.ENTER, Side.LEFT)),
            new SegmentSpec(Camera.PAN_LEFT, null, Action.of(ActionKind.SLEEP))));
  }

  /**
   * A video of one segment in {@code room} with a blue wall, the cat orange and the mouse grey
   * (either may be {@code null}: not in frame).
   */
  public static WorldSpec oneSegment(Room room, Camera camera, Action cat, Action mouse) {
    return WorldSpec.of(
        new SceneSpec(
            room,
            ToonColour.BLUE,
            cat == null ? null : ToonColour.ORANGE,
            mouse == null ? null : ToonColour.GREY,
            List.of(new SegmentSpec(camera, cat, mouse))));
  }

  /** The two scenes above, in that order: 4 segments. */
  public static WorldSpec twoScenes() {
    return new WorldSpec(List.of(kitchenChase(), gardenMouse()));
  }
}
