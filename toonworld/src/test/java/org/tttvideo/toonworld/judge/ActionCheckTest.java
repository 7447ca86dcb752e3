package org.tttvideo.toonworld.judge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.tttvideo.toonworld.Action;
import org.tttvideo.toonworld.ActionKind;
import org.tttvideo.toonworld.Character;
import org.tttvideo.toonworld.Room;

/** The stillness check on tracks built by hand: which frames it trusts when a character is near. */
class ActionCheckTest {

  private static final Action SLEEP = new Action(ActionKind.SLEEP, null, null);

  /** A cat seen in all 24 frames at x 166, feet 114; frames [from, to) drift 15 px left. */
  private static Track cat(int from, int to, boolean nearInDrift, boolean nearElsewhere) {
    Track t = new Track(Character.CAT, 24);
    for (int f = 0; f < 24; f++) {
      boolean drift = f >= from && f < to;
      t.valid[f] = true;
      t.area[f] = 400;
      t.worldX[f] = drift ? 151 : 166;
      t.feet[f] = 114;
      t.nearOther[f] = drift ? nearInDrift : nearElsewhere;
    }
    return t;
  }

  @Test
  void aSleeperWhoseBlobDriftsOnlyWhileTheOtherCharacterIsNearIsStill() {
    assertThat(ActionCheck.matches(SLEEP, cat(2, 19, true, false), Room.CELLAR)).isTrue();
  }

  @Test
  void aSleeperThatDriftsWithNobodyNearIsNotStill() {
    assertThat(ActionCheck.matches(SLEEP, cat(2, 19, false, false), Room.CELLAR)).isFalse();
  }

  @Test
  void withTheOtherCharacterNearInEveryFrameAllFramesAreJudged() {
    assertThat(ActionCheck.matches(SLEEP, cat(2, 19, true, true), Room.CELLAR)).isFalse();
    assertThat(ActionCheck.matches(SLEEP, cat(0, 0, true, true), Room.CELLAR)).isTrue();
  }
}
