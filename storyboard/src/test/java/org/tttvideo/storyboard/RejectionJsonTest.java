package org.tttvideo.storyboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/** The size bound of written rejections, the cutting of texts and the minimal form. */
class RejectionJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final RecordSource SOURCE = new RecordSource("storyboards", 3, 1234);

  private static Rejection withMessage(String message) {
    return new Rejection(
        RejectionCode.EMPTY_TEXT, "text", message, "", 0, Payload.absent(), SOURCE);
  }

  private static Rejection withValue(String value) {
    return new Rejection(
        RejectionCode.EMPTY_TEXT,
        "text",
        "",
        "",
        0,
        new Payload(Payload.Encoding.UTF_8, value, 0, false),
        SOURCE);
  }

  @Test
  void encodedLengthIsWhatTheWriterWritesForEveryCodePoint() {
    int base = RejectionJson.write(withMessage("")).length;
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      // every BMP code point, then every 97th supplementary one and the last
      boolean checked = cp < 0x10000 || cp % 97 == 0 || cp == Character.MAX_CODE_POINT;
      if (!checked || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) {
        continue;
      }
      int written = RejectionJson.write(withMessage(Character.toString(cp))).length - base;
      assertThat(RejectionJson.encodedLength(cp)).as("U+%04X", cp).isEqualTo(written);
    }
    // a 4-byte character is written as two 6-byte escapes, wherever it falls in a long text (the
    // payload's value, which is not cut here)
    int empty = RejectionJson.write(withValue("")).length;
    for (String before : new String[] {"", "x", "xy"}) {
      String emoji = before + "\uD83D\uDE00".repeat(100_000);
      assertThat(RejectionJson.write(withValue(emoji)).length - empty)
          .isEqualTo(before.length() + 1_200_000);
    }
  }

  @Test
  void clipCutsByWrittenBytesAtCodePointsAndKeepsUnicodeWellFormed() {
    // 9 NULs (54 bytes) and the mark (3) fit in 60; a 10th would not
    assertThat(RejectionJson.clip("\0".repeat(1000), 60)).isEqualTo("\0".repeat(9) + "...");
    // 2 emoji (24 bytes) and the mark fit in 27 bytes; the third is not cut in half
    assertThat(RejectionJson.clip("\uD83D\uDE00".repeat(100), 27))
        .isEqualTo("\uD83D\uDE00\uD83D\uDE00...");
    // unpaired surrogates become U+FFFD, in both orders
    assertThat(RejectionJson.clip("a\uD800b\uDC00", 100)).isEqualTo("a\uFFFDb\uFFFD");
    assertThat(RejectionJson.clip("\uDE00\uD83D", 100)).isEqualTo("\uFFFD\uFFFD");
    String fits = "quote \" and backslash \\";
    assertThat(RejectionJson.clip(fits, 25)).isSameAs(fits);
    assertThat(RejectionJson.clip(fits, 24)).isEqualTo("quote \" and backslas...");
    assertThatThrownBy(() -> RejectionJson.clip("x", 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBytes must be >= 3, was 2");
  }

  @Test
  void longTextsAreCutToTheirBudgets() throws IOException {
    Rejection huge =
        new Rejection(
            RejectionCode.UNKNOWN_FIELD,
            "\0".repeat(100_000),
            "\"".repeat(100_000),
            "\uD83D\uDE00".repeat(100_000),
            7,
            Payload.of(new byte[300_000], 262_144),
            new RecordSource("\\".repeat(100_000), 2, 99));

    byte[] json = RejectionJson.write(huge);
    Rejection back = RejectionJson.read(json);

    // (budget - 3) / cost characters, then the mark
    assertThat(back.field()).isEqualTo("\0".repeat(340) + "...");
    assertThat(back.message()).isEqualTo("\"".repeat(4094) + "...");
    assertThat(back.videoId()).isEqualTo("\uD83D\uDE00".repeat(85) + "...");
    assertThat(back.source()).isEqualTo(new RecordSource("\\".repeat(510) + "...", 2, 99));
    assertThat(back.payload()).isEqualTo(huge.payload());
    // payload value 43,690 * 6 = 262,140; field 2,043; message 8,191; id 1,023; topic 1,023;
    // the rest of the record 296 (counted by hand)
    assertThat(json.length).isEqualTo(274_716).isLessThanOrEqualTo(RejectionJson.maxBytes(262_144));
    assertThat(RejectionJson.maxBytes(262_144)).isEqualTo(278_528);
  }

  @Test
  void everythingButThePayloadTakesLessThanTheOverhead() {
    String longestCode =
        Arrays.stream(RejectionCode.values())
            .map(Enum::name)
            .max(Comparator.comparingInt(String::length))
            .orElseThrow();
    // every text at its budget (NULs, 6 bytes each, overshoot it most), the largest numbers and
    // the longest encoding with a hash; the payload value itself is empty
    Rejection worst =
        new Rejection(
            RejectionCode.valueOf(longestCode),
            "\0".repeat(RejectionJson.MAX_FIELD_BYTES),
            "\0".repeat(RejectionJson.MAX_MESSAGE_BYTES),
            "\0".repeat(RejectionJson.MAX_VIDEO_ID_BYTES),
            Integer.MAX_VALUE,
            new Payload(Payload.Encoding.BASE64, "", Integer.MAX_VALUE, true, "f".repeat(64)),
            new RecordSource("\0".repeat(RejectionJson.MAX_TOPIC_BYTES), Integer.MAX_VALUE, -1));

    assertThat(RejectionJson.write(worst).length)
        // texts 2,043 + 8,187 + 1,023 + 1,023 bytes, the rest 332 (counted by hand)
        .isEqualTo(12_608)
        .isLessThanOrEqualTo(RejectionJson.OVERHEAD_BYTES);
    assertThat(
            RejectionJson.writeMinimal(
                    worst, "\0".repeat(100_000) + "the full rejection could not be written")
                .length)
        // reason and topic 1,023 bytes each, the rest 489 (counted by hand)
        .isEqualTo(2_535)
        .isLessThanOrEqualTo(RejectionJson.OVERHEAD_BYTES);
  }

  @Test
  void aMinimalRejectionKeepsCodeSourceSizeAndHash() throws IOException {
    Rejection full =
        new Rejection(
            RejectionCode.MALFORMED_JSON,
            "$",
            "not JSON",
            "vid-1",
            2,
            new Payload(Payload.Encoding.UTF_8, "\0".repeat(50_000), 50_000, false),
            SOURCE);

    byte[] json = RejectionJson.writeMinimal(full, "it took 300099 bytes");

    assertThat(MAPPER.readTree(json))
        .isEqualTo(
            MAPPER.readTree(
                """
                {"schemaVersion": 1, "minimal": true, "code": "MALFORMED_JSON", "field": "$",
                 "message": "minimal rejection: it took 300099 bytes; the field, the message and\
                 the payload's value are left out, and payload.sizeBytes and payload.sha256\
                 identify the record",
                 "videoId": "vid-1", "videoIndex": 2,
                 "payload": {"encoding": "utf-8", "value": "", "sizeBytes": 50000,
                   "truncated": true,
                   "sha256": "5b4b67b5d68e02c992760de07640472efe53a7f7553865f83262d0a74efc3e5d"},
                 "source": {"topic": "storyboards", "partition": 3, "offset": 1234}}
                """));
    Rejection back = RejectionJson.read(json);
    assertThat(back.code()).isEqualTo(RejectionCode.MALFORMED_JSON);
    assertThat(back.source()).isEqualTo(SOURCE);
    assertThat(back.payload().originalSha256())
        .isEqualTo("5b4b67b5d68e02c992760de07640472efe53a7f7553865f83262d0a74efc3e5d");

    // without a rejection: an INTERNAL_ERROR that says so, with no payload and no source
    JsonNode none = MAPPER.readTree(RejectionJson.writeMinimal(null, null));
    assertThat(none.get("code").asText()).isEqualTo("INTERNAL_ERROR");
    assertThat(none.get("message").asText()).startsWith("minimal rejection: no reason given;");
    assertThat(none.get("payload"))
        .isEqualTo(
            MAPPER.readTree(
                "{\"encoding\": \"utf-8\", \"value\": \"\", \"sizeBytes\": -1,"
                    + " \"truncated\": false}"));
    assertThat(none.get("source").isNull()).isTrue();
    assertThat(RejectionJson.read(RejectionJson.writeMinimal(null, null)).videoId()).isEmpty();
  }

  @Test
  void theHashIsWrittenForTruncatedPayloadsOnlyAndReadStrictly() throws IOException {
    Rejection cut =
        new Rejection(
            RejectionCode.PAYLOAD_TOO_LARGE,
            "$",
            "too large",
            "",
            0,
            Payload.of(new byte[200_000], 60),
            SOURCE);
    ObjectNode tree = (ObjectNode) MAPPER.readTree(RejectionJson.write(cut));
    assertThat(tree.get("payload").get("sha256").asText())
        .isEqualTo("4cbbd9be0cba685835755f827758705db5a413c5494c34262cd25946a73e7582");
    assertThat(RejectionJson.read(RejectionJson.write(cut))).isEqualTo(cut);
    assertThat(MAPPER.readTree(RejectionJson.write(withMessage("m"))).get("payload").has("sha256"))
        .isFalse();

    ((ObjectNode) tree.get("payload")).put("truncated", false);
    assertThatThrownBy(() -> RejectionJson.read(MAPPER.writeValueAsBytes(tree)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "rejection record payload: sha256 is given only for a truncated payload (a whole one"
                + " is its own value)");
    tree.put("minimal", "yes");
    assertThatThrownBy(() -> RejectionJson.read(MAPPER.writeValueAsBytes(tree)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rejection record: field minimal must be true or false");
  }
}
