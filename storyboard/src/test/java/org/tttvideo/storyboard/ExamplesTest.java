package org.tttvideo.storyboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tttvideo.storyboard.testutils.SharedTestData;

class ExamplesTest {
  private static final StoryboardParser PARSER = new StoryboardParser();

  static List<Path> files() {
    return Examples.files();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void eachExampleParsesToItsStoryboardsSegmentsAndScenes(Path file) throws IOException {
    Examples.Expected expected = Examples.EXPECTED.get(file.getFileName().toString());
    assertThat(expected).as("no expectation listed for %s", file.getFileName()).isNotNull();

    ParseResult r = PARSER.parse(Files.readAllBytes(file));

    assertThat(r.rejections()).as("rejections").isEmpty();
    List<Storyboard> boards = r.storyboards();
    assertThat(boards).hasSize(expected.storyboards());
    assertThat(boards.stream().map(b -> b.segments().size()).toList())
        .isEqualTo(expected.segments());
    assertThat(boards.stream().map(Storyboard::sceneCount).toList()).isEqualTo(expected.scenes());
    assertThat(boards.stream().map(b -> b.scenes().size()).toList()).isEqualTo(expected.scenes());
  }

  @Test
  void everyListedExampleExists() {
    assertThat(files().stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet()))
        .isEqualTo(Examples.EXPECTED.keySet());
  }

  @Test
  void theFullMinuteExampleIsAMinuteOfFormatThree() throws IOException {
    Storyboard s = parseOne("full-minute-storyboard.json");
    assertThat(s.format()).isEqualTo(StoryboardFormat.STORYBOARD);
    assertThat(s.durationSeconds()).isEqualTo(63);
    assertThat(s.scenes()).extracting(Scene::segmentCount).containsExactly(4, 5, 4, 4, 4);
    assertThat(s.videoId()).isEqualTo("lighthouse-cat-full-minute");
    assertThat(s.seed()).isEqualTo(1234);
    assertThat(s.segments().get(5).negativeText()).startsWith("blurry frames");
  }

  @Test
  void theAnnotationTextExampleHoldsTheSameSegmentsAsTheJsonOne() throws IOException {
    Storyboard json = parseOne("full-minute-storyboard.json");
    Storyboard text = parseOne("full-minute-storyboard.txt");
    assertThat(text.inputForm()).isEqualTo(InputForm.ANNOTATION_TEXT);
    assertThat(text.segments().stream().map(Segment::text).toList())
        .isEqualTo(json.segments().stream().map(Segment::text).toList());
    assertThat(text.segments().stream().map(Segment::sceneStart).toList())
        .isEqualTo(json.segments().stream().map(Segment::sceneStart).toList());
  }

  @Test
  void thePlotIsSplitRobustly() throws IOException {
    Storyboard s = parseOne("plot.json");
    List<String> texts = s.segments().stream().map(Segment::text).toList();
    assertThat(texts.get(0)).startsWith("Mr. Okafor, a retired postman");
    assertThat(texts.get(2))
        .isEqualTo("The kite lifts, dips... and climbs high into the blue sky.");
    assertThat(texts.get(3))
        .isEqualTo(
            "Ada cheers, \"Look, Grandpa, it's flying!\" and the string pulls taut in her small"
                + " hands.");
    assertThat(s.segments().get(5).sceneStart()).isTrue();
    assertThat(s.segments().get(5).text()).startsWith("That evening");
  }

  @Test
  void theSummaryIsExpandedByTheHeuristicAndMarkedSo() throws IOException {
    Storyboard s = parseOne("summary.json");
    assertThat(s.format()).isEqualTo(StoryboardFormat.SUMMARY);
    assertThat(s.expandedBy()).isEqualTo("heuristic");
    assertThat(s.heuristic()).isTrue();
    assertThat(s.summary()).startsWith("A small delivery robot");
    // six sentences over 21 segments: each sentence covers 3 or 4 consecutive segments
    assertThat(s.segments().stream().map(Segment::text).distinct().count()).isEqualTo(6);
  }

  @Test
  void theReferenceImplementationsOwnExampleParsesUnchanged() throws IOException {
    Path file = SharedTestData.resolve("testdata/reference-inputs/example-9s.json");
    ParseResult r = PARSER.parse(Files.readAllBytes(file));
    assertThat(r.rejections()).isEmpty();
    assertThat(r.storyboards()).hasSize(3);
    for (Storyboard s : r.storyboards()) {
      assertThat(s.inputForm()).isEqualTo(InputForm.REFERENCE_ARRAY);
      assertThat(s.segments()).hasSize(3);
      assertThat(s.sceneCount()).isEqualTo(3);
      assertThat(s.segments().get(0).negativeText()).isNotEmpty();
    }
    assertThat(r.storyboards().get(0).segments().get(0).text()).startsWith("Jerry the brown mouse");
    assertThat(r.storyboards().stream().map(Storyboard::videoId).distinct()).hasSize(3);
  }

  private static Storyboard parseOne(String name) throws IOException {
    ParseResult r = PARSER.parse(Files.readAllBytes(Examples.dir().resolve(name)));
    assertThat(r.rejections()).isEmpty();
    assertThat(r.storyboards()).hasSize(1);
    return r.storyboards().get(0);
  }
}
