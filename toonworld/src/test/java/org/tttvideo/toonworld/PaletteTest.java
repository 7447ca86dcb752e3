package org.tttvideo.toonworld;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tttvideo.toonworld.testutils.Specs;

class PaletteTest {

  @Test
  void sceneryKeepsClearOfEveryNamedFill() {
    for (int s : Palette.SCENERY) {
      for (ToonColour c : ToonColour.values()) {
        assertThat(c.distanceSquared(s))
            .as("scenery %06x against %s", s, c)
            .isGreaterThanOrEqualTo(55 * 55);
      }
    }
  }

  @Test
  void everyFillIsItsOwnNearestColour() {
    for (ToonColour c : ToonColour.values()) {
      assertThat(ToonColour.nearest(c.rgb())).isEqualTo(c);
    }
  }

  @Test
  void aRenderHoldsOnlyPaletteAndFillColoursNothingBlended() {
    Set<Integer> allowed = new HashSet<>();
    for (int s : Palette.SCENERY) {
      allowed.add(s);
    }
    allowed.add(Palette.EYE);
    for (ToonColour c : ToonColour.values()) {
      allowed.add(c.rgb());
    }
    Clip clip = Renderer.render(Specs.twoScenes(), 3);
    Set<Integer> seen = new HashSet<>();
    for (int n = 0; n < clip.frameCount(); n++) {
      for (int y = 0; y < clip.height(); y++) {
        for (int x = 0; x < clip.width(); x++) {
          seen.add(clip.pixel(n, x, y));
        }
      }
    }
    assertThat(allowed).containsAll(seen);
  }
}
