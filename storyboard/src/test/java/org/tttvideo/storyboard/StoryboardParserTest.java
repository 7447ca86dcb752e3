package org.tttvideo.storyboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoryboardParserTest {
  private final StoryboardParser parser = new StoryboardParser();

  private ParseResult parse(String s) {
    return parser.parse(s.getBytes(StandardCharsets.UTF_8));
  }

  private Storyboard one(String s) {
    ParseResult r = parse(s);
    assertThat(r.rejections()).as("rejections").isEmpty();
    assertThat(r.storyboards()).hasSize(1);
    return r.storyboards().get(0);
  }

  private Rejection rejected(String s) {
    ParseResult r = parse(s);
    assertThat(r.outcomes()).hasSize(1);
    assertThat(r.rejections()).as("expected a rejection").hasSize(1);
    return r.rejections().get(0);
  }

  @Test
  void ourJsonWithDefaults() {
    Storyboard s =
        one("{\"format\": \"storyboard\", \"segments\": [{\"text\": \"  A  cat\\n sits. \"}]}");
    assertThat(s.format()).isEqualTo(StoryboardFormat.STORYBOARD);
    assertThat(s.inputForm()).isEqualTo(InputForm.JSON);
    assertThat(s.seed()).isZero();
    assertThat(s.settings()).isEqualTo(new GenerationSettings(50, 6.0));
    assertThat(s.title()).isEmpty();
    assertThat(s.segments()).containsExactly(new Segment(0, "A cat sits.", "", true));
    assertThat(s.videoId()).matches("sb-[0-9a-f]{16}");
    assertThat(s.expandedBy()).isEmpty();
  }

  @Test
  void everythingGivenIsKept() {
    Storyboard s =
        one(
            "{\"schemaVersion\": 1, \"format\": \"storyboard\", \"videoId\": \"my.video_1-a\","
                + " \"title\": \"T\", \"seed\": 4294967295, \"negativeText\": \"blur\","
                + " \"settings\": {\"denoisingSteps\": 200, \"guidanceScale\": 1},"
                + " \"segments\": [{\"text\": \"A.\", \"sceneStart\": false},"
                + " {\"text\": \"B.\", \"negativeText\": \"\"}, {\"text\": \"C.\", \"sceneStart\": true,"
                + " \"negativeText\": \"dark\"}]}");
    assertThat(s.videoId()).isEqualTo("my.video_1-a");
    assertThat(s.title()).isEqualTo("T");
    assertThat(s.seed()).isEqualTo(4294967295L);
    assertThat(s.settings()).isEqualTo(new GenerationSettings(200, 1.0));
    assertThat(s.segments())
        .containsExactly(
            new Segment(0, "A.", "blur", true),
            new Segment(1, "B.", "", false),
            new Segment(2, "C.", "dark", true));
    assertThat(s.sceneCount()).isEqualTo(2);
    assertThat(s.scenes()).containsExactly(new Scene(0, 0, 2), new Scene(1, 2, 1));
  }

  @Test
  void segmentsWithIndexesAreOrderedByIndex() {
    Storyboard s =
        one(
            "{\"format\": \"storyboard\", \"segments\": [{\"index\": 2, \"text\": \"C.\"},"
                + " {\"index\": 0, \"text\": \"A.\"}, {\"index\": 1, \"text\": \"B.\", \"sceneStart\": true}]}");
    assertThat(s.segments()).extracting(Segment::text).containsExactly("A.", "B.", "C.");
    assertThat(s.segments()).extracting(Segment::sceneStart).containsExactly(true, true, false);
  }

  @Test
  void nullOptionalFieldsMeanAbsent() {
    Storyboard s =
        one(
            "{\"format\": \"plot\", \"text\": \"A cat.\", \"videoId\": null, \"seed\": null,"
                + " \"settings\": null, \"title\": null}");
    assertThat(s.seed()).isZero();
    assertThat(s.videoId()).startsWith("sb-");
  }

  @Test
  void theSameSubmissionGetsTheSameDerivedIdWhateverItsLayoutOrTitle() {
    String a =
        "{\"format\": \"storyboard\", \"segments\": [{\"text\": \"A cat.\"}, {\"text\": \"B.\"}]}";
    String b =
        "{ \"title\": \"other\",\n \"segments\": [ {\"text\": \"A   cat.\"},{\"text\":\" B.\"} ],"
            + " \"format\": \"storyboard\", \"seed\": 0, \"settings\": {\"denoisingSteps\": 50}}";
    assertThat(one(a).videoId()).isEqualTo(one(b).videoId());
    assertThat(one(a).videoId()).isEqualTo(one(a).videoId());
    // and the same video written in annotation text or the reference format
    assertThat(one("<scene start>\nA cat.\n\nB.\n<scene end>").videoId())
        .isEqualTo(one(a).videoId());
    assertThat(one("[{\"text\": \"A cat.\"}, {\"text\": \"B.\"}]").videoId())
        .isEqualTo(one(a).videoId());
  }

  @Test
  void theDerivedIdChangesWithSeedSettingsTextAndScenes() {
    String base =
        "{\"format\": \"storyboard\", \"segments\": [{\"text\": \"A.\"}, {\"text\": \"B.\"}]";
    String id = one(base + "}").videoId();
    assertThat(one(base + ", \"seed\": 1}").videoId()).isNotEqualTo(id);
    assertThat(one(base + ", \"settings\": {\"guidanceScale\": 7}}").videoId()).isNotEqualTo(id);
    assertThat(one(base + ", \"negativeText\": \"x\"}").videoId()).isNotEqualTo(id);
    assertThat(
            one("{\"format\": \"storyboard\", \"segments\": [{\"text\": \"A.\"}, {\"text\": \"B.\","
                    + " \"sceneStart\": true}]}")
                .videoId())
        .isNotEqualTo(id);
  }

  @Test
  void annotationTextAsAPayloadAndInsideJson() {
    String text =
        "\uFEFF<scene start>\r\nTom sits in the kitchen.\r\n\r\nJerry peeks out.\r\n<scene end>\r\n"
            + "<Scene_Start>\nThe garden at night.\n<END SCENE>\n";
    Storyboard raw = one(text);
    assertThat(raw.inputForm()).isEqualTo(InputForm.ANNOTATION_TEXT);
    assertThat(raw.segments())
        .containsExactly(
            new Segment(0, "Tom sits in the kitchen.", "", true),
            new Segment(1, "Jerry peeks out.", "", false),
            new Segment(2, "The garden at night.", "", true));
    Storyboard wrapped =
        one(
            "{\"format\": \"storyboard\", \"negativeText\": \"blur\", \"text\": \"<scene start>A.\\n\\nB."
                + "<scene end>\"}");
    assertThat(wrapped.inputForm()).isEqualTo(InputForm.ANNOTATION_TEXT);
    assertThat(wrapped.segments())
        .containsExactly(new Segment(0, "A.", "blur", true), new Segment(1, "B.", "blur", false));
    // text without markers inside JSON is one scene
    assertThat(one("{\"format\": \"storyboard\", \"text\": \"A.\\n\\nB.\"}").sceneCount())
        .isEqualTo(1);
  }

  @Test
  void annotationErrorsGiveTheLine() {
    Rejection x = rejected("<scene start>\nA.\n<scene end>\n\nstray\n");
    assertThat(x.code()).isEqualTo(RejectionCode.MALFORMED_ANNOTATION);
    assertThat(x.message()).contains("line 5").contains("text outside a scene");
    Rejection y = rejected("<scene start>\nA.\n\n" + "w".repeat(2001) + "\n<scene end>");
    assertThat(y.message()).startsWith("segment 1 (line 4): has 2001 characters");
  }

  @Test
  void plotSentencesAndParagraphScenes() {
    Storyboard s =
        one("{\"format\": \"plot\", \"text\": \"A cat sits. Mr. Lee waves.\\n\\nNight falls.\"}");
    assertThat(s.segments())
        .extracting(Segment::text)
        .containsExactly("A cat sits.", "Mr. Lee waves.", "Night falls.");
    assertThat(s.segments()).extracting(Segment::sceneStart).containsExactly(true, false, true);
    Storyboard list =
        one("{\"format\": \"plot\", \"sentences\": [\"A cat sits. It naps.\", \"B.\"]}");
    // a list item is one segment even when it holds two sentences
    assertThat(list.segments())
        .extracting(Segment::text)
        .containsExactly("A cat sits. It naps.", "B.");
  }

  @Test
  void summaryExpandsToTheRequestedSegmentCount() {
    Storyboard s =
        one(
            "{\"format\": \"summary\", \"segmentCount\": 4, \"negativeText\": \"blur\","
                + " \"text\": \"A robot rolls. It finds a dog.\"}");
    assertThat(s.segments()).hasSize(4);
    assertThat(s.segments())
        .extracting(Segment::text)
        .containsExactly("A robot rolls.", "A robot rolls.", "It finds a dog.", "It finds a dog.");
    assertThat(s.segments()).extracting(Segment::negativeText).containsOnly("blur");
    assertThat(s.summary()).isEqualTo("A robot rolls. It finds a dog.");
    assertThat(s.heuristic()).isTrue();
    // the default count is a full minute
    assertThat(one("{\"format\": \"summary\", \"text\": \"A robot rolls.\"}").segments())
        .hasSize(21);
  }

  @Test
  void anExpanderThatFailsOrAnswersNonsenseGivesARejectionNotACrash() {
    String summary =
        "{\"format\": \"summary\", \"videoId\": \"v1\", \"segmentCount\": 2, \"text\": \"A. B.\"}";
    StoryboardExpander failing =
        new StoryboardExpander() {
          public String name() {
            return "failing";
          }

          public Result expand(Request r) {
            return Result.failed("service down");
          }
        };
    Rejection x =
        new StoryboardParser(StoryboardOptions.defaults(), failing)
            .parse(summary.getBytes(StandardCharsets.UTF_8))
            .rejections()
            .get(0);
    assertThat(x.code()).isEqualTo(RejectionCode.EXPANDER_FAILED);
    assertThat(x.field()).isEqualTo("text");
    assertThat(x.message()).contains("service down").contains("failing");
    assertThat(x.videoId()).isEqualTo("v1");

    StoryboardExpander tooFew =
        new StoryboardExpander() {
          public String name() {
            return "short";
          }

          public Result expand(Request r) {
            return Result.ok(List.of(new Segment(0, "A.", "", true)));
          }
        };
    Rejection y =
        new StoryboardParser(StoryboardOptions.defaults(), tooFew)
            .parse(summary.getBytes(StandardCharsets.UTF_8))
            .rejections()
            .get(0);
    assertThat(y.code()).isEqualTo(RejectionCode.EXPANDER_FAILED);
    assertThat(y.message()).contains("1 segments, not 2");

    StoryboardExpander throwing =
        new StoryboardExpander() {
          public String name() {
            return "buggy";
          }

          public Result expand(Request r) {
            throw new IllegalStateException("boom");
          }
        };
    Rejection z =
        new StoryboardParser(StoryboardOptions.defaults(), throwing)
            .parse(summary.getBytes(StandardCharsets.UTF_8))
            .rejections()
            .get(0);
    assertThat(z.code()).isEqualTo(RejectionCode.INTERNAL_ERROR);
    assertThat(z.message()).contains("boom");
  }

  @Test
  void reexpandReplacesTheHeuristicSegmentsOrRejects() {
    Storyboard s = one("{\"format\": \"summary\", \"segmentCount\": 2, \"text\": \"A. B.\"}");
    StoryboardExpander other =
        new StoryboardExpander() {
          public String name() {
            return "chat-completions:test";
          }

          public Result expand(Request r) {
            return Result.ok(
                List.of(new Segment(0, "First.", "", true), new Segment(1, "Second.", "", true)));
          }
        };
    ParseOutcome o = parser.reexpand(s, other, Payload.absent(), null);
    assertThat(o.storyboard().expandedBy()).isEqualTo("chat-completions:test");
    assertThat(o.storyboard().heuristic()).isFalse();
    assertThat(o.storyboard().videoId()).isEqualTo(s.videoId());
    assertThat(o.storyboard().segments())
        .extracting(Segment::text)
        .containsExactly("First.", "Second.");
    assertThat(o.storyboard().sceneCount()).isEqualTo(2);
  }

  @Test
  void aReferenceRecordGivesOneOutcomePerVideoInOrder() {
    ParseResult r =
        parse(
            "[[{\"text\": \"A.\"}], [{\"text\": \"\"}], [{\"text\": \"C.\", \"neg_text\": \"n\"}]]");
    assertThat(r.outcomes()).hasSize(3);
    assertThat(r.outcomes()).extracting(ParseOutcome::isOk).containsExactly(true, false, true);
    Rejection x = r.outcomes().get(1).rejection();
    assertThat(x.code()).isEqualTo(RejectionCode.EMPTY_TEXT);
    assertThat(x.field()).isEqualTo("[1][0].text");
    assertThat(x.videoIndex()).isEqualTo(1);
    assertThat(r.outcomes().get(2).storyboard().segments().get(0).negativeText()).isEqualTo("n");
  }

  /** The segment fields both object formats share: text required, flags booleans. */
  @Test
  void segmentTextIsRequiredAndFlagsAreBooleansInBothObjectFormats() {
    Rejection noText = rejected("[[{\"neg_text\": \"n\"}]]");
    assertThat(noText.code()).isEqualTo(RejectionCode.MISSING_FIELD);
    assertThat(noText.field()).isEqualTo("[0][0].text");
    assertThat(noText.message())
        .isEqualTo("every segment needs text: the prompt for its 3 seconds");
    Rejection flag = rejected("[[{\"text\": \"A.\", \"requires_scene_transition\": \"yes\"}]]");
    assertThat(flag.field()).isEqualTo("[0][0].requires_scene_transition");
    assertThat(flag.message()).contains("true or false");

    Rejection noText2 =
        rejected("{\"format\": \"storyboard\", \"segments\": [{\"sceneStart\": true}]}");
    assertThat(noText2.code()).isEqualTo(RejectionCode.MISSING_FIELD);
    assertThat(noText2.field()).isEqualTo("segments[0].text");
    assertThat(noText2.message())
        .isEqualTo("every segment needs text: the prompt for its 3 seconds");
    Rejection flag2 =
        rejected(
            "{\"format\": \"storyboard\", \"segments\": [{\"text\": \"A.\", \"sceneStart\": 1}]}");
    assertThat(flag2.field()).isEqualTo("segments[0].sceneStart");
    assertThat(flag2.message()).contains("true or false");
    Storyboard ok =
        one(
            "{\"format\": \"storyboard\", \"segments\": [{\"text\": \"A.\"},"
                + " {\"text\": \"B.\", \"sceneStart\": true, \"negativeText\": \"dark\"}]}");
    assertThat(ok.segments())
        .extracting(Segment::negativeText)
        .containsExactly(StoryboardOptions.defaults().defaultNegativeText(), "dark");
    assertThat(ok.sceneCount()).isEqualTo(2);
  }

  @Test
  void optionsChangeTheLimits() {
    StoryboardOptions o =
        StoryboardOptions.fromMap(
            Map.of(
                "storyboard.max-segments", "2",
                "storyboard.default-summary-segments", "2",
                "storyboard.default-seed", "9",
                "storyboard.default-negative-text", "ugly"));
    StoryboardParser p = new StoryboardParser(o, new HeuristicExpander());
    ParseResult r =
        p.parse(
            "{\"format\": \"plot\", \"text\": \"A cat. A dog. A cow.\"}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(r.rejections().get(0).code()).isEqualTo(RejectionCode.TOO_MANY_SEGMENTS);
    assertThat(r.rejections().get(0).message()).contains("at most 2");
    Storyboard s =
        p.parse(
                "{\"format\": \"plot\", \"text\": \"A cat. A dog.\"}"
                    .getBytes(StandardCharsets.UTF_8))
            .storyboards()
            .get(0);
    assertThat(s.seed()).isEqualTo(9);
    assertThat(s.segments().get(0).negativeText()).isEqualTo("ugly");
  }

  @Test
  void theVideoIdIsKeptInLaterRejections() {
    Rejection x =
        rejected(
            "{\"format\": \"storyboard\", \"videoId\": \"v-7\", \"segments\": [{\"text\": \" \"}]}");
    assertThat(x.videoId()).isEqualTo("v-7");
  }

  @Test
  void payloadsAreKeptAsTextAndCutAtACharacterBoundary() {
    byte[] bytes = "{\"format\": \"plot\", \"text\": \"\"}".getBytes(StandardCharsets.UTF_8);
    Rejection x = parser.parse(bytes).rejections().get(0);
    assertThat(x.payload())
        .isEqualTo(
            new Payload(
                Payload.Encoding.UTF_8,
                new String(bytes, StandardCharsets.UTF_8),
                bytes.length,
                false));
    Payload cut = Payload.of("aé".getBytes(StandardCharsets.UTF_8), 2);
    assertThat(cut)
        .isEqualTo(
            new Payload(
                Payload.Encoding.UTF_8,
                "a",
                3,
                true,
                "561951c2b8c47984b8b4b8ae1f173a03d9c703f66cf36f145e27bc6145499f74"));
  }
}
