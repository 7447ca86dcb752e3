package org.tttvideo.toonworld;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tttvideo.toonworld.testutils.Specs;

class RendererTest {

  private static final int N = Geometry.FRAMES_PER_SEGMENT;

  private static WorldSpec kitchen(Camera camera, Action cat, Action mouse) {
    return Specs.oneSegment(Room.KITCHEN, camera, cat, mouse);
  }

  /** {@link Renderer#renderWithTruth} of {@link #kitchen} for {@code seed}. */
  private static Rendered inKitchen(Camera camera, Action cat, Action mouse, long seed) {
    return Renderer.renderWithTruth(kitchen(camera, cat, mouse), seed);
  }

  @Test
  void theGeometryOfTheSmallPreset() {
    Clip c = Renderer.render(Specs.twoScenes(), 1);
    assertThat(List.of(c.width(), c.height(), c.fps(), c.frameCount()))
        .containsExactly(192, 128, 8, 96);
    assertThat(c.rgb()).hasSize(96 * 128 * 192 * 3);
  }

  @Test
  void isDeterministicInSpecAndSeed() {
    assertThat(Renderer.render(Specs.twoScenes(), 5).rgb())
        .isEqualTo(Renderer.render(Specs.twoScenes(), 5).rgb());
  }

  @Test
  void wallFloorWindowAndFurnitureAtTheirPlaces() {
    Clip c = Renderer.render(kitchen(Camera.STILL, null, Action.of(ActionKind.SIT)), 1);
    // still camera: picture x = world x - 12
    assertThat(c.pixel(0, 2, 2)).isEqualTo(ToonColour.BLUE.rgb());
    assertThat(c.pixel(0, 2, 126)).isEqualTo(Palette.KITCHEN_FLOOR);
    assertThat(c.pixel(0, 2, Layout.HORIZON)).isEqualTo(Palette.OUTLINE);
    assertThat(c.pixel(0, 100 - 12, 30)).isEqualTo(Palette.SKY); // window glass
    assertThat(c.pixel(0, 68 - 12, 78)).isEqualTo(Palette.WOOD); // table top, rows 76-80
    assertThat(c.pixel(0, 68 - 12, 100)).isEqualTo(Palette.CLOTH); // table cloth
    assertThat(c.pixel(0, 136 - 12, 50)).isEqualTo(Palette.FRIDGE); // fridge, rows 38-115
    assertThat(c.pixel(0, 136 - 12, 62)).isEqualTo(Palette.OUTLINE); // freezer door line
  }

  @Test
  void aPanMovesTheRoomOnePixelAFrame() {
    Clip c = Renderer.render(kitchen(Camera.PAN_RIGHT, Action.of(ActionKind.SIT), null), 1);
    // the window's outer outline column is world x 91: picture 91 at frame 0, 67 at frame 23
    assertThat(c.pixel(0, 91, 30)).isEqualTo(Palette.OUTLINE);
    assertThat(c.pixel(0, 92, 30)).isEqualTo(Palette.FENCE);
    assertThat(c.pixel(0, 94, 30)).isEqualTo(Palette.SKY);
    assertThat(c.pixel(0, 90, 30)).isEqualTo(ToonColour.BLUE.rgb());
    assertThat(c.pixel(N - 1, 67, 30)).isEqualTo(Palette.OUTLINE);
    assertThat(c.pixel(N - 1, 70, 30)).isEqualTo(Palette.SKY);
    assertThat(c.pixel(12, 78, 30)).isEqualTo(Palette.OUTLINE); // 91 - round(24 * 12 / 23)
  }

  @Test
  void charactersInTheirColoursWithTheCatSeveralTimesTheMouse() {
    Rendered r =
        inKitchen(
            Camera.STILL, Action.of(ActionKind.WALK, Side.RIGHT), Action.of(ActionKind.EAT), 4);
    FrameTruth t = r.truth().get(0);
    int catX = (int) Math.floor(t.cat().screenX());
    int mouseX = (int) Math.floor(t.mouse().screenX());
    assertThat(r.clip().pixel(0, catX, Layout.GROUND - 14)).isEqualTo(ToonColour.ORANGE.rgb());
    assertThat(r.clip().pixel(0, mouseX, Layout.GROUND - 5)).isEqualTo(ToonColour.GREY.rgb());
    assertThat(t.cat().visiblePixels()).isGreaterThan(4 * t.mouse().visiblePixels());
    // the walking cat's box: Body.CAT's extent, feet (outline) on row 115
    assertThat(t.cat().y1()).isEqualTo(Layout.GROUND);
    assertThat(t.cat().y0()).isEqualTo(Layout.GROUND - Body.CAT.height());
    assertThat(t.cat().x1() - t.cat().x0()).isEqualTo(Body.CAT.back() + Body.CAT.front());
    assertThat(t.mouse().y1()).isEqualTo(Layout.GROUND);
  }

  @Test
  void aCharacterThatHidesBehindAWidePieceStartsInFullView() {
    record Piece(Room room, Furniture piece) {}
    for (Piece p :
        List.of(
            new Piece(Room.LIVING_ROOM, Furniture.SOFA),
            new Piece(Room.GARDEN, Furniture.FENCE),
            new Piece(Room.CELLAR, Furniture.STAIRS))) {
      Action hide = Action.of(ActionKind.HIDE, p.piece());
      for (long seed = 0; seed < 8; seed++) {
        for (Character who : Character.values()) {
          Rendered r =
              Renderer.renderWithTruth(
                  Specs.oneSegment(
                      p.room(),
                      Camera.STILL,
                      who == Character.CAT ? hide : null,
                      who == Character.MOUSE ? hide : null),
                  seed);
          int most = 0;
          for (FrameTruth t : r.truth()) {
            most = Math.max(most, t.of(who).visiblePixels());
          }
          // at the start at most a tenth hidden (a walking body's pixels vary a little)
          assertThat(10 * r.truth().get(0).of(who).visiblePixels())
              .as("%s %s seed %d", p.piece(), who, seed)
              .isGreaterThanOrEqualTo(9 * most);
          assertThat(r.truth().get(23).of(who).visiblePixels()).isLessThan(most / 4);
        }
      }
    }
  }

  @Test
  void exactPixelCountsOfAGoldenFrame() {
    Rendered r = Renderer.renderWithTruth(Specs.twoScenes(), 7);
    FrameTruth t = r.truth().get(0);
    assertThat(t.cat().visiblePixels()).isEqualTo(GOLDEN_CAT_PIXELS);
    assertThat(t.mouse().visiblePixels()).isEqualTo(GOLDEN_MOUSE_PIXELS);
    assertThat(List.of(t.cat().x0(), t.cat().y0(), t.cat().x1(), t.cat().y1()))
        .isEqualTo(GOLDEN_CAT_BOX);
  }

  // measured on this renderer; a change to any drawing code changes them (update deliberately)
  private static final int GOLDEN_CAT_PIXELS = 936;
  private static final int GOLDEN_MOUSE_PIXELS = 228;
  private static final List<Integer> GOLDEN_CAT_BOX = List.of(28, 78, 72, 116);

  @Test
  void bodySizesMatchTheDrawings() {
    for (Character who : Character.values()) {
      Action walk = Action.of(ActionKind.WALK, Side.RIGHT);
      Rendered r =
          inKitchen(
              Camera.STILL,
              who == Character.CAT ? walk : null,
              who == Character.MOUSE ? walk : null,
              1);
      CharacterTruth c = r.truth().get(0).of(who);
      Body b = Body.of(who);
      assertThat(c.x0()).isEqualTo((int) Math.floor(c.screenX()) - b.back());
      assertThat(c.x1()).isEqualTo((int) Math.floor(c.screenX()) + b.front());
      assertThat(c.y0()).isEqualTo(Layout.GROUND - b.height());
    }
  }

  @Test
  void aHidingCharacterIsFullyCoveredAndOneOnTopStandsOnIt() {
    Rendered r =
        inKitchen(
            Camera.STILL,
            Action.of(ActionKind.JUMP_ONTO, Furniture.TABLE),
            Action.of(ActionKind.HIDE, Furniture.FRIDGE),
            2);
    for (int f = 14; f < N; f++) {
      assertThat(r.truth().get(f).mouse().visiblePixels()).as("frame %d", f).isZero();
      assertThat(r.truth().get(f).mouse().x0()).isEqualTo(-1);
    }
    assertThat(r.truth().get(0).mouse().visiblePixels()).isPositive();
    CharacterTruth cat = r.truth().get(N - 1).cat();
    assertThat(cat.y1()).isEqualTo(76); // feet on the table top, rows 76-80
    assertThat(r.clip().pixel(N - 1, (int) Math.floor(cat.screenX()), 76 - 14))
        .isEqualTo(ToonColour.ORANGE.rgb());
  }

  @Test
  void enteringFromOffScreenAndLeavingOffScreen() {
    Rendered r =
        inKitchen(
            Camera.STILL,
            Action.of(ActionKind.ENTER, Side.RIGHT),
            Action.of(ActionKind.LEAVE, Side.LEFT),
            2);
    assertThat(r.truth().get(0).cat().visiblePixels()).isZero();
    assertThat(r.truth().get(N - 1).cat().x1()).isLessThanOrEqualTo(192);
    assertThat(r.truth().get(N - 1).cat().x0()).isGreaterThan(100);
    assertThat(r.truth().get(0).mouse().visiblePixels()).isPositive();
    assertThat(r.truth().get(N - 1).mouse().visiblePixels()).isZero();
  }
}
