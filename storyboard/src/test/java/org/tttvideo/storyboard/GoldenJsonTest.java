package org.tttvideo.storyboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round trips against the committed golden records of each schema version ({@code
 * storyboard/golden/v1/}). A change to the serialized form breaks these tests: add a new version
 * with its own golden files instead of editing the old ones.
 */
class GoldenJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static byte[] golden(String name) throws IOException {
    try (InputStream in =
        GoldenJsonTest.class.getResourceAsStream("/storyboard/golden/v1/" + name)) {
      assertThat(in).as("golden file %s", name).isNotNull();
      return in.readAllBytes();
    }
  }

  private static JsonNode tree(byte[] json) throws IOException {
    return MAPPER.readTree(json);
  }

  @Test
  void theInputGoldenParsesToTheStoryboardGolden() throws IOException {
    Storyboard parsed =
        new StoryboardParser().parse(golden("input-storyboard.json")).storyboards().get(0);

    assertThat(tree(StoryboardJson.write(parsed))).isEqualTo(tree(golden("storyboard.json")));
    assertThat(parsed)
        .isEqualTo(
            new Storyboard(
                "golden-v1",
                "Golden record, version 1",
                StoryboardFormat.STORYBOARD,
                InputForm.JSON,
                77,
                new GenerationSettings(30, 4.5),
                List.of(
                    new Segment(0, "A heron stands in a misty pond at dawn.", "blurry", true),
                    new Segment(1, "The heron spears a fish and swallows it.", "", false),
                    new Segment(2, "Night. The empty pond reflects the moon.", "blurry", true)),
                "",
                ""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"storyboard.json", "storyboard-summary.json"})
  void storyboardRecordsRoundTrip(String name) throws IOException {
    Storyboard read = StoryboardJson.read(golden(name));
    assertThat(tree(StoryboardJson.write(read))).isEqualTo(tree(golden(name)));
    assertThat(StoryboardJson.read(StoryboardJson.write(read))).isEqualTo(read);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rejection.json", "rejection-base64.json"})
  void rejectionRecordsRoundTrip(String name) throws IOException {
    Rejection read = RejectionJson.read(golden(name));
    assertThat(tree(RejectionJson.write(read))).isEqualTo(tree(golden(name)));
    assertThat(RejectionJson.read(RejectionJson.write(read))).isEqualTo(read);
  }

  @Test
  void theRejectionGoldensAreWhatTheParserWrites() throws IOException {
    Rejection fromGolden = RejectionJson.read(golden("rejection.json"));
    byte[] payload = fromGolden.payload().bytes();
    Rejection parsed =
        new StoryboardParser()
            .parse(payload, new RecordSource("storyboards", 1, 42))
            .rejections()
            .get(0);
    assertThat(parsed).isEqualTo(fromGolden);

    Rejection base64 = RejectionJson.read(golden("rejection-base64.json"));
    assertThat(base64.payload().bytes()).isEqualTo(new byte[] {'{', (byte) 0xFF, '}'});
    assertThat(new StoryboardParser().parse(base64.payload().bytes()).rejections().get(0))
        .isEqualTo(base64);
  }

  @Test
  void unknownSchemaVersionsAreRefusedWithAClearError() throws IOException {
    for (String name : List.of("storyboard.json", "rejection.json")) {
      ObjectNode n = (ObjectNode) tree(golden(name));
      n.put("schemaVersion", 2);
      byte[] v2 = MAPPER.writeValueAsBytes(n);
      assertThatThrownBy(
              () -> {
                if (name.startsWith("storyboard")) {
                  StoryboardJson.read(v2);
                } else {
                  RejectionJson.read(v2);
                }
              })
          .isInstanceOf(UnsupportedSchemaVersionException.class)
          .hasMessageContaining("schemaVersion 2 is not supported")
          .hasMessageContaining("knows schemaVersion 1");
      n.remove("schemaVersion");
      byte[] none = MAPPER.writeValueAsBytes(n);
      assertThatThrownBy(() -> StoryboardJson.read(none))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("schemaVersion");
    }
  }

  @Test
  void missingOrMistypedFieldsAreNamed() throws IOException {
    ObjectNode n = (ObjectNode) tree(golden("storyboard.json"));
    n.remove("videoId");
    assertThatThrownBy(() -> StoryboardJson.read(MAPPER.writeValueAsBytes(n)))
        .hasMessageContaining("videoId is missing");
    ObjectNode r = (ObjectNode) tree(golden("rejection.json"));
    r.put("code", "NOT_A_CODE");
    assertThatThrownBy(() -> RejectionJson.read(MAPPER.writeValueAsBytes(r)))
        .hasMessageContaining("unknown code NOT_A_CODE");
    assertThatThrownBy(() -> RejectionJson.read("[".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not valid JSON");
  }
}
