package org.tttvideo.storyboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BadCorpusTest {
  private static final StoryboardParser PARSER = new StoryboardParser();
  private static final RecordSource SOURCE = new RecordSource("storyboards", 1, 42);

  static List<BadCorpus.Entry> corpus() {
    return BadCorpus.load();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void eachBadInputGivesExactlyItsCodeAndField(BadCorpus.Entry e) {
    ParseResult r = PARSER.parse(e.value(), SOURCE);

    assertThat(r.outcomes()).as(e.description()).hasSize(1);
    Rejection x = r.outcomes().get(0).rejection();
    assertThat(x).as("%s should be rejected", e.description()).isNotNull();
    assertThat(x.code()).as(x.summary()).isEqualTo(e.code());
    assertThat(x.field()).as(x.summary()).isEqualTo(e.field());
    assertThat(x.message()).isNotBlank();
    if (!x.field().equals(Rejection.ROOT)) {
      // the message names the field it is about (or, in annotation text, the segment and line)
      String last = x.field().replaceAll(".*[.\\]]", "").replaceAll("\\[.*", "");
      assertThat(x.message()).contains(last.isEmpty() ? "" : last);
    }
    assertThat(x.source()).isEqualTo(SOURCE);
    assertThat(x.payload().sizeBytes()).isEqualTo(e.value() == null ? -1 : e.value().length);
    // the rejection serializes and reads back: nothing in it breaks the rejected topic
    assertThat(RejectionJson.read(RejectionJson.write(x))).isEqualTo(x);
  }

  @Test
  void theCorpusHoldsAtLeastSixtyInputsAndCoversTheIssuesList() {
    List<BadCorpus.Entry> all = corpus();
    assertThat(all).hasSizeGreaterThanOrEqualTo(60);
    Set<RejectionCode> codes = all.stream().map(BadCorpus.Entry::code).collect(Collectors.toSet());
    // every code a user's input can produce is exercised (EXPANDER_FAILED needs an endpoint and
    // INTERNAL_ERROR a bug: they are tested elsewhere)
    Set<RejectionCode> expected = new TreeSet<>(Set.of(RejectionCode.values()));
    expected.remove(RejectionCode.EXPANDER_FAILED);
    expected.remove(RejectionCode.INTERNAL_ERROR);
    // found by the generation operator, not by parsing one record
    expected.remove(RejectionCode.DUPLICATE_VIDEO_ID);
    expected.remove(RejectionCode.VIDEO_ID_CONFLICT);
    expected.remove(RejectionCode.QUEUE_FULL);
    assertThat(codes).containsAll(expected);
  }

  @Test
  void everyFileIsInTheManifestAndEveryManifestFileExists() throws IOException {
    Path dir = Path.of("src/test/resources/storyboard/bad");
    Set<String> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.map(p -> p.getFileName().toString())
              .filter(n -> !n.equals("expected.tsv"))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> listed =
        corpus().stream()
            .map(BadCorpus.Entry::name)
            .filter(n -> !n.startsWith("generated:"))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(listed).isEqualTo(files);
  }

  @Test
  void largePayloadsAreCutInTheRejectionAndSaySo() {
    BadCorpus.Entry big =
        corpus().stream().filter(e -> e.name().equals("generated:payload-5mib")).findFirst().get();
    Rejection x = PARSER.parse(big.value()).rejections().get(0);
    assertThat(x.payload().truncated()).isTrue();
    assertThat(x.payload().sizeBytes()).isEqualTo(5 * 1024 * 1024);
    // the limit counts the value as written: the storyboard's 10 quotes take 2 bytes each
    assertThat(x.payload().bytes()).hasSize(262_144 - 10);
    assertThat(x.payload().bytes())
        .isEqualTo(java.util.Arrays.copyOf(big.value(), x.payload().bytes().length));
    assertThat(x.payload().encoding()).isEqualTo(Payload.Encoding.UTF_8);
    assertThat(x.payload().sha256())
        .isEqualTo("467a66c8a2e2f576ca3e9f01fe4f0dc04c08833f490f8d819fda14b05badded7");
  }

  @Test
  void invalidUtf8IsKeptAsBase64() {
    byte[] bad = BadCorpus.generated("utf8-invalid-byte-ff");
    Rejection x = PARSER.parse(bad).rejections().get(0);
    assertThat(x.payload().encoding()).isEqualTo(Payload.Encoding.BASE64);
    assertThat(x.payload().bytes()).isEqualTo(bad);
    assertThat(x.message()).contains("byte offset 33");
  }
}
