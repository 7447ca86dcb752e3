package org.tttvideo.operators.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.tttvideo.connectors.kafka.ParsedRecord;
import org.tttvideo.storyboard.BadCorpus;
import org.tttvideo.storyboard.RecordSource;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.RejectionCode;
import org.tttvideo.storyboard.Segment;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.storyboard.StoryboardExpander;
import org.tttvideo.storyboard.StoryboardOptions;
import org.tttvideo.storyboard.StoryboardParser;

class StoryboardValidationFunctionTest {
  private static final StoryboardParser PARSER = new StoryboardParser();

  private static ParsedRecord parsed(String json, long offset) {
    return ParsedRecord.of(
        PARSER.parse(
            json.getBytes(StandardCharsets.UTF_8), new RecordSource("storyboards", 0, offset)));
  }

  /** What a test does with an opened harness. */
  private interface HarnessTest {
    void run(OneInputStreamOperatorTestHarness<ParsedRecord, Storyboard> h) throws Exception;
  }

  private static void withHarness(StoryboardExpander.Factory factory, HarnessTest test)
      throws Exception {
    OneInputStreamOperatorTestHarness<ParsedRecord, Storyboard> h =
        ProcessFunctionTestHarnesses.forProcessFunction(
            new StoryboardValidationFunction(StoryboardOptions.defaults(), factory));
    try {
      h.open();
      test.run(h);
    } finally {
      h.close();
    }
  }

  private static List<Rejection> rejections(
      OneInputStreamOperatorTestHarness<ParsedRecord, Storyboard> h) {
    ConcurrentLinkedQueue<StreamRecord<Rejection>> side =
        h.getSideOutput(StoryboardValidationFunction.REJECTED);
    return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void everyStoryboardAndRejectionComesOutOnceOnItsSide() throws Exception {
    withHarness(
        null,
        h -> {
          h.processElement(
              parsed("{\"format\": \"plot\", \"videoId\": \"a\", \"text\": \"A cat.\"}", 0), 1);
          h.processElement(
              parsed("[[{\"text\": \"B.\"}], [{\"text\": \"\"}], [{\"text\": \"C.\"}]]", 1), 2);
          h.processElement(parsed("{\"format\": \"plot\"", 2), 3);
          for (BadCorpus.Entry e : BadCorpus.load()) {
            h.processElement(
                ParsedRecord.of(PARSER.parse(e.value(), new RecordSource("s", 0, 9))), 4);
          }

          List<Storyboard> valid = h.extractOutputValues();
          assertThat(valid).hasSize(3);
          assertThat(valid.get(0).videoId()).isEqualTo("a");
          List<Rejection> rejected = rejections(h);
          assertThat(rejected).hasSize(2 + BadCorpus.load().size());
          assertThat(rejected.get(0).code()).isEqualTo(RejectionCode.EMPTY_TEXT);
          assertThat(rejected.get(0).source()).isEqualTo(new RecordSource("storyboards", 0, 1));
          assertThat(rejected.get(1).code()).isEqualTo(RejectionCode.MALFORMED_JSON);
        });
  }

  @Test
  void eachValidStoryboardCarriesItsRecordsSourcePositionAndPayload() throws Exception {
    withHarness(
        null,
        h -> {
          String single = "{\"format\": \"plot\", \"videoId\": \"a\", \"text\": \"A cat.\"}";
          String three = "[[{\"text\": \"B.\"}], [{\"text\": \"\"}], [{\"text\": \"C.\"}]]";
          h.processElement(parsed(single, 7), 1);
          h.processElement(parsed(three, 8), 2);
          List<Storyboard> valid = h.extractOutputValues();
          assertThat(valid).hasSize(3);
          assertThat(valid)
              .extracting(s -> s.origin().source(), s -> s.origin().videoIndex())
              .containsExactly(
                  tuple(new RecordSource("storyboards", 0, 7), 0),
                  tuple(new RecordSource("storyboards", 0, 8), 0),
                  // video 1 of the record is rejected (empty text): C is at position 2
                  tuple(new RecordSource("storyboards", 0, 8), 2));
          assertThat(valid.get(0).origin().payload().value()).isEqualTo(single);
          assertThat(valid.get(2).origin().payload().value()).isEqualTo(three);
          assertThat(rejections(h)).extracting(Rejection::videoIndex).containsExactly(1);
          // the origin is provenance only: the storyboard is the parser's otherwise
          assertThat(valid.get(0).withOrigin(null))
              .isEqualTo(parsed(single, 7).storyboards().get(0));
        });
  }

  /** Serializable expanders for the factory (the function is serialized with the job graph). */
  static final class Fixed implements StoryboardExpander {
    @Override
    public String name() {
      return "fixed";
    }

    @Override
    public Result expand(Request r) {
      return Result.ok(
          java.util.stream.IntStream.range(0, r.segmentCount())
              .mapToObj(i -> new Segment(i, "Shot " + i + ".", r.negativeText(), i % 2 == 0))
              .toList());
    }
  }

  static final class Down implements StoryboardExpander {
    @Override
    public String name() {
      return "down";
    }

    @Override
    public Result expand(Request r) {
      return Result.failed("endpoint down");
    }
  }

  @Test
  void aConfiguredExpanderReplacesTheHeuristicExpansion() throws Exception {
    withHarness(
        Fixed::new,
        h -> {
          h.processElement(
              parsed("{\"format\": \"summary\", \"segmentCount\": 4, \"text\": \"A. B.\"}", 0), 1);
          h.processElement(parsed("{\"format\": \"plot\", \"text\": \"Not a summary.\"}", 1), 2);
          List<Storyboard> valid = h.extractOutputValues();
          assertThat(valid).hasSize(2);
          assertThat(valid.get(0).expandedBy()).isEqualTo("fixed");
          assertThat(valid.get(0).segments())
              .extracting(Segment::text)
              .containsExactly("Shot 0.", "Shot 1.", "Shot 2.", "Shot 3.");
          assertThat(valid.get(0).sceneCount()).isEqualTo(2);
          assertThat(valid.get(1).segments())
              .extracting(Segment::text)
              .containsExactly("Not a summary.");
        });
  }

  @Test
  void aFailingExpanderGivesARejectionWithTheOriginalPayload() throws Exception {
    withHarness(
        Down::new,
        h -> {
          String json =
              "{\"format\": \"summary\", \"videoId\": \"s1\", \"text\": \"A robot rolls.\"}";
          h.processElement(parsed(json, 5), 1);
          assertThat(h.extractOutputValues()).isEmpty();
          List<Rejection> rejected = rejections(h);
          assertThat(rejected).hasSize(1);
          Rejection x = rejected.get(0);
          assertThat(x.code()).isEqualTo(RejectionCode.EXPANDER_FAILED);
          assertThat(x.field()).isEqualTo("text");
          assertThat(x.message()).contains("endpoint down");
          assertThat(x.videoId()).isEqualTo("s1");
          assertThat(x.payload().value()).isEqualTo(json);
          assertThat(x.source()).isEqualTo(new RecordSource("storyboards", 0, 5));
        });
  }
}
