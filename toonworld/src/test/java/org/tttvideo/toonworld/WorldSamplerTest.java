package org.tttvideo.toonworld;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tttvideo.toonworld.testutils.Words;

class WorldSamplerTest {

  @Test
  void theSplitHoldsOutAFixedEighthOfTheSceneLooks() {
    int all = 0;
    int held = 0;
    ToonColour[] cs = ToonColour.values();
    for (Room room : Room.values()) {
      for (ToonColour wall : cs) {
        for (int c = -1; c < cs.length; c++) {
          for (int m = -1; m < cs.length; m++) {
            ToonColour cat = c < 0 ? null : cs[c];
            ToonColour mouse = m < 0 ? null : cs[m];
            if ((cat == null && mouse == null)
                || cat == wall
                || mouse == wall
                || (cat != null && cat == mouse)) {
              continue;
            }
            all++;
            held += WorldSampler.isHeldOut(room, wall, cat, mouse) ? 1 : 0;
          }
        }
      }
    }
    assertThat(all).isEqualTo(6050); // 5 rooms x 11 walls x (10 x 9 + 10 + 10)
    assertThat(held).isEqualTo(GOLDEN_HELD_OUT);
    // FNV-1a 64 of "kitchen/blue/orange/grey" (offset basis 0xcbf29ce484222325, prime
    // 0x100000001b3)
    assertThat(
            WorldSampler.comboHash(
                Room.KITCHEN, ToonColour.BLUE, ToonColour.ORANGE, ToonColour.GREY))
        .isEqualTo(GOLDEN_HASH);
  }

  private static final int GOLDEN_HELD_OUT = 739; // of 6050, 12.2%
  // computed with Python: FNV-1a 64 over the UTF-8 bytes
  private static final long GOLDEN_HASH = 0x0fb4967a0c99983bL;

  @Test
  void trainingNeverSeesAHeldOutSceneAndHeldOutOnlyHeldOutScenes() {
    for (long i = 0; i < 150; i++) {
      for (Split split : Split.values()) {
        WorldSpec w = WorldSampler.sample(split, WorldSampler.seedOf(split, i), 1 + (int) (i % 21));
        for (SceneSpec s : w.scenes()) {
          assertThat(WorldSampler.isHeldOut(s)).isEqualTo(split == Split.HELD_OUT);
        }
      }
    }
  }

  @Test
  void seedRangesAreDisjoint() {
    assertThat(WorldSampler.seedOf(Split.TRAIN, 5)).isEqualTo(5L);
    assertThat(WorldSampler.seedOf(Split.HELD_OUT, 5)).isEqualTo((1L << 62) + 5);
    assertThat(WorldSampler.splitOfSeed((1L << 62) - 1)).isEqualTo(Split.TRAIN);
    assertThat(WorldSampler.splitOfSeed(1L << 62)).isEqualTo(Split.HELD_OUT);
    assertThatThrownBy(() -> WorldSampler.sample(Split.TRAIN, 1L << 62, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("seed: 4611686018427387904 is a held_out seed; train seeds are [0, 2^62)");
    assertThatThrownBy(() -> WorldSampler.sample(Split.TRAIN, 1, 22))
        .hasMessage("segments must be in [1, 21], was 22");
  }

  @Test
  void samplesHaveTheAskedLengthAndEveryCharacterInItsScenesFirstSegment() {
    Set<ActionKind> seen = EnumSet.noneOf(ActionKind.class);
    for (int n = 1; n <= 21; n++) {
      for (long seed = 0; seed < 10; seed++) {
        WorldSpec w = WorldSampler.sample(Split.TRAIN, seed * 100 + n, n);
        assertThat(w).isEqualTo(WorldSampler.sample(Split.TRAIN, seed * 100 + n, n));
        assertThat(w.segmentCount()).isEqualTo(n);
        for (SceneSpec s : w.scenes()) {
          SegmentSpec first = s.segments().get(0);
          assertThat(first.cat() != null).isEqualTo(s.catColour() != null);
          assertThat(first.mouse() != null).isEqualTo(s.mouseColour() != null);
          for (SegmentSpec g : s.segments()) {
            for (Character who : Character.values()) {
              if (g.action(who) != null) {
                seen.add(g.action(who).kind());
              }
            }
          }
        }
      }
    }
    assertThat(seen).containsExactlyInAnyOrder(ActionKind.values());
  }

  @Test
  void everySampledCharacterStaysInViewUnlessItHidesEntersOrLeaves() {
    for (long seed = 0; seed < 40; seed++) {
      WorldSpec w = WorldSampler.sample(Split.TRAIN, seed, 6);
      Rendered r = Renderer.renderWithTruth(w, seed);
      for (FrameTruth t : r.truth()) {
        SegmentSpec g = w.segment(t.segment());
        for (Character who : Character.values()) {
          Action a = g.action(who);
          if (a == null) {
            assertThat(t.of(who)).isNull();
            continue;
          }
          boolean mayVanish =
              switch (a.kind()) {
                case HIDE, ENTER, LEAVE -> true;
                case CHASE -> g.mouse().kind() == ActionKind.LEAVE;
                default -> false;
              };
          if (!mayVanish) {
            CharacterTruth c = t.of(who);
            assertThat(c.x0())
                .as("seed %d frame %d %s %s", seed, t.frame(), who, a)
                .isGreaterThanOrEqualTo(0);
            assertThat(c.x1())
                .as("seed %d frame %d %s %s", seed, t.frame(), who, a)
                .isLessThanOrEqualTo(Geometry.WIDTH);
            assertThat(c.visiblePixels())
                .as("seed %d frame %d %s %s", seed, t.frame(), who, a)
                .isGreaterThan(who == Character.CAT ? 300 : 60);
          }
        }
      }
    }
  }

  @Test
  void sampledStoryboardsNamePersistentFactsOnlyAtSceneStarts() {
    for (long seed = 0; seed < 100; seed++) {
      WorldSpec w =
          WorldSampler.sample(Split.HELD_OUT, WorldSampler.seedOf(Split.HELD_OUT, seed), 21);
      WorldStoryboard b = StoryboardWriter.write(w, seed);
      for (int i = 0; i < w.segmentCount(); i++) {
        if (!w.sceneStart(i)) {
          assertThat(Words.persistentWords(b.format3().get(i))).isEmpty();
          assertThat(Words.persistentWords(b.format2().get(i))).isEmpty();
        }
      }
      assertThat(List.of(Words.sentences(b.format1()))).allMatch(n -> n >= 5 && n <= 8);
    }
  }
}
