package org.tttvideo.toonworld.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tttvideo.toonworld.Action;
import org.tttvideo.toonworld.ActionKind;
import org.tttvideo.toonworld.Character;
import org.tttvideo.toonworld.Furniture;
import org.tttvideo.toonworld.Room;
import org.tttvideo.toonworld.Side;
import org.tttvideo.toonworld.ToonColour;
import org.tttvideo.toonworld.judge.JudgeReport.Overall;

/** The report's scores, JSON and table, exactly, on findings written by hand. */
class JudgeReportTest {

  /**
   * Segment 0: all as the text says, the mouse not found (3 of 3 items, presence 1 * 1/2). Segment
   * 1: another room and wall, the cat red and not hiding, half the frames noise (0 of 3 items,
   * presence 1/2 * 1, not consistent).
   */
  private static JudgeReport report() {
    CharacterReport cat0 =
        new CharacterReport(
            Character.CAT,
            ToonColour.ORANGE,
            ToonColour.ORANGE,
            true,
            Action.of(ActionKind.WALK, Side.RIGHT),
            true,
            new int[][] {{10, 20}, null});
    CharacterReport mouse0 =
        new CharacterReport(
            Character.MOUSE,
            ToonColour.GREY,
            null,
            false,
            Action.of(ActionKind.SLEEP),
            false,
            new int[][] {null, null});
    CharacterReport cat1 =
        new CharacterReport(
            Character.CAT,
            ToonColour.ORANGE,
            ToonColour.RED,
            true,
            Action.of(ActionKind.HIDE, Furniture.FRIDGE),
            false,
            new int[][] {null, {5, 6}});
    return new JudgeReport(
        List.of(
            new SegmentReport(
                0,
                0,
                Room.KITCHEN,
                Room.KITCHEN,
                ToonColour.YELLOW,
                ToonColour.YELLOW,
                2,
                2,
                List.of(cat0, mouse0),
                true),
            new SegmentReport(
                1,
                0,
                Room.KITCHEN,
                Room.LIVING_ROOM,
                ToonColour.YELLOW,
                ToonColour.GREEN,
                1,
                2,
                List.of(cat1),
                false)));
  }

  @Test
  void overallSumsItemsAndAveragesSegments() {
    assertThat(report().overall()).isEqualTo(new Overall(0.5, 0.5, 0.5));
  }

  @Test
  void json() {
    assertThat(report().toJson())
        .isEqualTo(
            "{\"overall\":{\"textFollowing\":0.5,\"consistency\":0.5,\"presence\":0.5},"
                + "\"segments\":["
                + "{\"segment\":0,\"scene\":0,\"room\":\"kitchen\",\"measuredRoom\":\"kitchen\","
                + "\"wall\":\"yellow\",\"measuredWall\":\"yellow\",\"roomOk\":true,"
                + "\"validFrames\":2,\"frames\":2,\"characters\":["
                + "{\"who\":\"cat\",\"colour\":\"orange\",\"measuredColour\":\"orange\","
                + "\"present\":true,\"action\":\"walk right\",\"actionOk\":true,"
                + "\"track\":[[10,20],null]},"
                + "{\"who\":\"mouse\",\"colour\":\"grey\",\"measuredColour\":null,"
                + "\"present\":false,\"action\":\"sleep\",\"actionOk\":false,"
                + "\"track\":[null,null]}],"
                + "\"consistent\":true,\"textFollowing\":1.0,\"presence\":0.5},"
                + "{\"segment\":1,\"scene\":0,\"room\":\"kitchen\",\"measuredRoom\":\"living room\","
                + "\"wall\":\"yellow\",\"measuredWall\":\"green\",\"roomOk\":false,"
                + "\"validFrames\":1,\"frames\":2,\"characters\":["
                + "{\"who\":\"cat\",\"colour\":\"orange\",\"measuredColour\":\"red\","
                + "\"present\":true,\"action\":\"hide fridge\",\"actionOk\":false,"
                + "\"track\":[null,[5,6]]}],"
                + "\"consistent\":false,\"textFollowing\":0.0,\"presence\":0.5}]}");
  }

  /** A hider present all segment behind its piece has no measured colour: the table says so. */
  @Test
  void aPresentCharacterNeverSeenIsUnseenInTheTable() {
    CharacterReport hider =
        new CharacterReport(
            Character.MOUSE,
            ToonColour.GREY,
            null,
            true,
            Action.of(ActionKind.HIDE, Furniture.FRIDGE),
            true,
            new int[][] {null, null});
    JudgeReport r =
        new JudgeReport(
            List.of(
                new SegmentReport(
                    0,
                    0,
                    Room.KITCHEN,
                    Room.KITCHEN,
                    ToonColour.YELLOW,
                    ToonColour.YELLOW,
                    2,
                    2,
                    List.of(hider),
                    true)));
    assertThat(r.table().lines().toList().get(1))
        .isEqualTo(
            "0    0     kitchen      yellow  yes  -                                  "
                + "unseen, hide fridge                2/2    "
                + String.format(
                    java.util.Locale.ROOT, "%-5.2f", r.segments().get(0).textFollowing())
                + " yes  ");
  }

  @Test
  void table() {
    assertThat(report().table())
        .isEqualTo(
            "seg  scene room         wall    ok   cat (colour, action)               "
                + "mouse (colour, action)             frames text  cons \n"
                + "0    0     kitchen      yellow  yes  orange, walk right                 "
                + "MISSING (sleep)                    2/2    1.00  yes  \n"
                + "1    0     living room  green   NO   !red, hide fridge NO               "
                + "-                                  1/2    0.00  NO   \n"
                + "textFollowing 0.5000  consistency 0.5000  presence 0.5000\n");
  }
}
