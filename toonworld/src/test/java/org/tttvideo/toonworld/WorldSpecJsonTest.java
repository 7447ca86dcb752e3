package org.tttvideo.toonworld;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.tttvideo.toonworld.testutils.Specs;

class WorldSpecJsonTest {

  private static final String TWO_SCENES =
      "{\"version\":1,\"scenes\":["
          + "{\"room\":\"kitchen\",\"wall\":\"blue\",\"catColour\":\"orange\","
          + "\"mouseColour\":\"grey\",\"segments\":["
          + "{\"camera\":\"still\",\"cat\":{\"kind\":\"chase\",\"direction\":\"right\"},"
          + "\"mouse\":{\"kind\":\"run\",\"direction\":\"right\"}},"
          + "{\"camera\":\"pan_right\",\"cat\":{\"kind\":\"jump_onto\",\"target\":\"table\"},"
          + "\"mouse\":{\"kind\":\"hide\",\"target\":\"fridge\"}}]},"
          + "{\"room\":\"garden\",\"wall\":\"green\",\"mouseColour\":\"white\",\"segments\":["
          + "{\"camera\":\"still\",\"mouse\":{\"kind\":\"enter\",\"direction\":\"left\"}},"
          + "{\"camera\":\"pan_left\",\"mouse\":{\"kind\":\"sleep\"}}]}]}";

  @Test
  void writesTheExactCanonicalText() {
    assertThat(WorldSpecJson.write(Specs.twoScenes())).isEqualTo(TWO_SCENES);
  }

  @Test
  void roundTripsExactly() {
    WorldSpec read = WorldSpecJson.read(TWO_SCENES);
    assertThat(read).isEqualTo(Specs.twoScenes());
    assertThat(WorldSpecJson.write(read)).isEqualTo(TWO_SCENES);
  }

  @Test
  void rejectsUnknownFieldsNamingThem() {
    assertReadingRejects("\"wall\":\"blue\"", "\"wall\":\"blue\",\"sky\":\"red\"")
        .isInstanceOf(InvalidWorldSpecException.class)
        .hasMessage(
            "scenes[0].sky: unknown field; allowed: catColour, mouseColour, room, segments, wall")
        .extracting(e -> ((InvalidWorldSpecException) e).field())
        .isEqualTo("scenes[0].sky");
  }

  @Test
  void rejectsBadValuesNamingTheFieldAndTheAllowedValues() {
    assertReadingRejects("\"garden\"", "\"attic\"")
        .hasMessage(
            "scenes[1].room: \"attic\" is not allowed; allowed: kitchen, living_room, bedroom,"
                + " garden, cellar");
    assertReadingRejects("\"pan_left\"", "\"zoom\"")
        .hasMessage(
            "scenes[1].segments[1].camera: \"zoom\" is not allowed; allowed: still, pan_left,"
                + " pan_right");
    assertReadingRejects("\"fridge\"", "\"lamp\"")
        .hasMessage(
            "scenes[0].segments[1].mouse.target: cannot hide behind the lamp; allowed: table,"
                + " fridge, sofa, wardrobe, fence, barrel, stairs");
    assertReadingRejects("\"table\"", "\"bed\"")
        .hasMessage(
            "scenes[0].segments[1].cat.target: there is no bed in the kitchen; it has table and"
                + " fridge");
    assertReadingRejects("\"catColour\":\"orange\"", "\"catColour\":\"blue\"")
        .hasMessage("scenes[0].catColour: the cat must differ from the blue wall");
  }

  @Test
  void rejectsNullsMissingFieldsVersionsAndDuplicates() {
    assertReadingRejects("\"mouseColour\":\"white\"", "\"mouseColour\":null")
        .hasMessage("scenes[1].mouseColour: null is not allowed; leave the field out instead");
    assertReadingRejects("{\"kind\":\"sleep\"}", "{}")
        .hasMessage("scenes[1].segments[1].mouse.kind: required field is missing");
    assertReadingRejects("\"version\":1", "\"version\":2")
        .hasMessage("version: version 2 is not known; this reader knows 1");
    assertReadingRejects("\"wall\":\"blue\"", "\"wall\":\"blue\",\"wall\":\"red\"")
        .isInstanceOf(InvalidWorldSpecException.class)
        .hasMessageStartingWith(": not valid JSON: Duplicate field 'wall'");
    assertThatThrownBy(() -> WorldSpecJson.read(TWO_SCENES + "{}"))
        .isInstanceOf(InvalidWorldSpecException.class)
        .hasMessageStartingWith(": not valid JSON: Trailing token");
    assertThatThrownBy(() -> WorldSpecJson.read("[]"))
        .hasMessage(": a world spec is a JSON object");
  }

  /** Asserts that reading {@code TWO_SCENES} with {@code from} replaced by {@code to} throws. */
  private static AbstractThrowableAssert<?, ? extends Throwable> assertReadingRejects(
      String from, String to) {
    return assertThatThrownBy(() -> WorldSpecJson.read(TWO_SCENES.replace(from, to)));
  }
}
