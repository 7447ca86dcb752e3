package org.tttvideo.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.tttvideo.connectors.kafka.testutils.WorstCases;
import org.tttvideo.storyboard.Payload;
import org.tttvideo.storyboard.RecordSource;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.RejectionCode;
import org.tttvideo.storyboard.RejectionJson;
import org.tttvideo.storyboard.StoryboardOptions;

/**
 * Every rejection record fits: the bytes {@link RejectionSerializationSchema} hands to the Kafka
 * producer are at most {@code storyboard.max-rejected-payload-bytes} + 16 KiB, well-formed UTF-8
 * JSON that {@link RejectionJson#read} reads back with the right code and source, for every input
 * up to {@code storyboard.max-payload-bytes} (and beyond), and it never throws.
 */
class RejectionSerializationSchemaTest {
  private static final StoryboardOptions OPTIONS = StoryboardOptions.defaults();
  private static final int BUDGET = OPTIONS.maxRejectedPayloadBytes(); // 262,144
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final StoryboardDeserializationSchema source =
      new StoryboardDeserializationSchema(OPTIONS);
  private final RejectionSerializationSchema sink =
      new RejectionSerializationSchema("storyboards.rejected", OPTIONS);

  private static ConsumerRecord<byte[], byte[]> record(long offset, byte[] value) {
    return new ConsumerRecord<>("storyboards", 0, offset, null, value);
  }

  @Test
  void twoHundredThousandNulBytesBecomeARejectionThatFits() throws IOException {
    ParsedRecord parsed = source.parse(record(7, new byte[200_000]));
    Rejection x = parsed.rejections().get(0);

    ProducerRecord<byte[], byte[]> out = sink.serialize(x, null, 5L);

    // before the bound, the whole payload was kept: 200,000 * 6 bytes of escapes, 1,200,390 in all
    // (over the producer's 1 MiB, so the sink failed and the job restarted onto the same offset)
    int rest = RejectionJson.write(withValue(x, "")).length;
    assertThat(out.value()).hasSize(43_690 * 6 + rest);
    assertThat(out.value().length).isEqualTo(262_605).isLessThanOrEqualTo(278_528);
    assertThat(sink.maxValueBytes()).isEqualTo(278_528);
    assertThat(out.key()).isNull();
    assertThat(out.timestamp()).isEqualTo(5L);
    assertThat(MAPPER.readTree(out.value()).has("minimal")).isFalse();

    Rejection back = RejectionJson.read(out.value());
    assertThat(back.code()).isEqualTo(RejectionCode.MALFORMED_JSON);
    assertThat(back.source()).isEqualTo(new RecordSource("storyboards", 0, 7));
    assertThat(back.payload())
        .isEqualTo(
            new Payload(
                Payload.Encoding.UTF_8,
                "\0".repeat(43_690),
                200_000,
                true,
                // python3: hashlib.sha256(bytes(200000)).hexdigest()
                "4cbbd9be0cba685835755f827758705db5a413c5494c34262cd25946a73e7582"));
    assertThat(back).isEqualTo(x);
  }

  @Test
  void generatedWorstCasesFitAndReadBackWithTheirCodeAndSource() throws IOException {
    Random random = new Random(0x5EED_2026L);
    int max = OPTIONS.maxPayloadBytes();
    Set<RejectionCode> codes = EnumSet.noneOf(RejectionCode.class);
    int checked = 0;
    for (int n = 0; n < 48; n++) {
      int size =
          switch (n % 6) {
            case 0 -> random.nextInt(64);
            case 1 -> random.nextInt(4096);
            case 2 -> random.nextInt(300_000);
            case 3 -> random.nextInt(max + 1);
            case 4 -> max; // the largest record the job accepts
            default -> max + 1 + random.nextInt(4096); // too large: still rejected, and it fits
          };
      byte[] value =
          switch (n % 4) {
            case 0 -> WorstCases.bytes(random, size, false);
            case 1 -> WorstCases.bytes(random, size, true);
            case 2 -> WorstCases.storyboardAround(WorstCases.text(random, size / 6), false);
            default -> WorstCases.storyboardAround(WorstCases.text(random, size / 6), true);
          };
      ConsumerRecord<byte[], byte[]> in = record(n, value);
      for (Rejection x : source.parse(in).rejections()) {
        assertFitsAndReadsBack(x, value, new RecordSource("storyboards", 0, n));
        codes.add(x.code());
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(45);
    assertThat(codes)
        .contains(
            RejectionCode.MALFORMED_JSON,
            RejectionCode.INVALID_UTF8,
            RejectionCode.PAYLOAD_TOO_LARGE,
            RejectionCode.UNKNOWN_FIELD);
  }

  @Test
  void rejectionsWithHugeTextsFitToo() throws IOException {
    Random random = new Random(0xBAD_7E47L);
    RejectionCode[] all = RejectionCode.values();
    for (int n = 0; n < 20; n++) {
      byte[] value =
          WorstCases.bytes(random, random.nextInt(OPTIONS.maxPayloadBytes() + 1), n % 2 == 0);
      RecordSource from =
          new RecordSource(
              WorstCases.text(random, random.nextInt(5000)),
              random.nextInt(100),
              random.nextLong() & Long.MAX_VALUE);
      Rejection x =
          new Rejection(
              all[random.nextInt(all.length)],
              WorstCases.text(random, 1 + random.nextInt(50_000)),
              WorstCases.text(random, random.nextInt(50_000)),
              WorstCases.text(random, random.nextInt(20_000)),
              random.nextInt(16),
              Payload.of(value, BUDGET),
              from);
      assertFitsAndReadsBack(x, value, from);
    }
  }

  private void assertFitsAndReadsBack(Rejection x, byte[] original, RecordSource from)
      throws IOException {
    ProducerRecord<byte[], byte[]> out = sink.serialize(x, null, 1L);
    byte[] v = out.value();

    assertThat(v.length).isLessThanOrEqualTo(BUDGET + RejectionJson.OVERHEAD_BYTES);
    if (out.key() != null) {
      assertThat(out.key().length).isLessThanOrEqualTo(RejectionJson.MAX_VIDEO_ID_BYTES);
    }
    assertWellFormed(v);
    assertThat(MAPPER.readTree(v).has("minimal")).as(x.summary()).isFalse();

    Rejection back = RejectionJson.read(v);
    assertThat(back.code()).isEqualTo(x.code());
    assertThat(back.source())
        .isEqualTo(
            new RecordSource(
                RejectionJson.clip(from.topic(), RejectionJson.MAX_TOPIC_BYTES),
                from.partition(),
                from.offset()));
    assertThat(back.field())
        .isEqualTo(RejectionJson.clip(x.field(), RejectionJson.MAX_FIELD_BYTES));
    assertThat(back.message())
        .isEqualTo(RejectionJson.clip(x.message(), RejectionJson.MAX_MESSAGE_BYTES));
    assertThat(back.videoId())
        .isEqualTo(RejectionJson.clip(x.videoId(), RejectionJson.MAX_VIDEO_ID_BYTES));
    assertThat(back.payload()).isEqualTo(x.payload());

    // the payload as written (measured: the record less the same record with an empty value)
    Payload p = back.payload();
    int written = v.length - RejectionJson.write(withValue(back, "")).length;
    assertThat(written).isLessThanOrEqualTo(BUDGET);
    assertThat(p.sizeBytes()).isEqualTo(original.length);
    byte[] kept = p.bytes();
    if (!p.truncated()) {
      assertThat(kept).isEqualTo(original);
      assertThat(p.sha256()).isNull();
      return;
    }
    // truncated is truthful: a proper prefix, the hash of the whole, and cut no earlier than needed
    assertThat(kept.length).isLessThan(original.length);
    assertThat(kept).isEqualTo(Arrays.copyOf(original, kept.length));
    assertThat(p.sha256()).isEqualTo(sha256(original));
    if (p.encoding() == Payload.Encoding.BASE64) {
      assertThat(kept.length).isEqualTo(BUDGET / 4 * 3);
    } else {
      int next =
          new String(
                  original,
                  kept.length,
                  Math.min(4, original.length - kept.length),
                  StandardCharsets.UTF_8)
              .codePointAt(0);
      assertThat(written + RejectionJson.encodedLength(next)).isGreaterThan(BUDGET);
    }
  }

  @Test
  void aRejectionTooLargeToWriteBecomesMinimal() throws IOException {
    // a payload made by hand, not cut by Payload.of: 50,000 NULs take 300,000 bytes as written
    Rejection x =
        new Rejection(
            RejectionCode.EXPANDER_FAILED,
            "text",
            "the endpoint failed",
            "vid-1",
            0,
            new Payload(Payload.Encoding.UTF_8, "\0".repeat(50_000), 50_000, false),
            new RecordSource("storyboards", 2, 40));
    assertThat(RejectionJson.write(x).length).isEqualTo(300_261);

    ProducerRecord<byte[], byte[]> out = sink.serialize(x, null, 9L);

    assertThat(new String(out.key(), StandardCharsets.UTF_8)).isEqualTo("vid-1");
    assertThat(out.timestamp()).isEqualTo(9L);
    assertThat(MAPPER.readTree(out.value()))
        .isEqualTo(
            MAPPER.readTree(
                """
                {"schemaVersion": 1, "minimal": true, "code": "EXPANDER_FAILED", "field": "$",
                 "message": "minimal rejection: the full rejection took 300261 bytes, more than\
                 the 278528; the field, the message and the payload's value are left out, and\
                 payload.sizeBytes and payload.sha256 identify the record",
                 "videoId": "vid-1", "videoIndex": 0,
                 "payload": {"encoding": "utf-8", "value": "", "sizeBytes": 50000,
                   "truncated": true,
                   "sha256": "5b4b67b5d68e02c992760de07640472efe53a7f7553865f83262d0a74efc3e5d"},
                 "source": {"topic": "storyboards", "partition": 2, "offset": 40}}
                """));
    assertThat(out.value().length).isLessThanOrEqualTo(RejectionJson.OVERHEAD_BYTES);
    assertThat(RejectionJson.read(out.value()).code()).isEqualTo(RejectionCode.EXPANDER_FAILED);
  }

  @Test
  void nothingThrowsNotEvenForANullRejectionOrANegativeTimestamp() throws IOException {
    ProducerRecord<byte[], byte[]> none = sink.serialize(null, null, null);
    assertThat(none.key()).isNull();
    assertThat(none.topic()).isEqualTo("storyboards.rejected");
    Rejection back = RejectionJson.read(none.value());
    assertThat(back.code()).isEqualTo(RejectionCode.INTERNAL_ERROR);
    assertThat(back.message())
        .startsWith(
            "minimal rejection: the full rejection could not be written"
                + " (java.lang.NullPointerException");
    assertThat(back.payload()).isEqualTo(Payload.absent());
    assertThat(back.source()).isNull();

    // a negative timestamp (which ProducerRecord refuses) is left to the producer
    Rejection small =
        new Rejection(RejectionCode.EMPTY_PAYLOAD, "$", "empty", "", 0, Payload.absent(), null);
    assertThat(sink.serialize(small, null, -1L).timestamp()).isNull();

    // too large, and its base64 does not decode: minimal, without a hash
    Rejection broken =
        new Rejection(
            RejectionCode.INVALID_UTF8,
            "$",
            "bad",
            "../escape",
            0,
            new Payload(Payload.Encoding.BASE64, "!".repeat(300_000), 9, false),
            new RecordSource("storyboards", 0, 1));
    ProducerRecord<byte[], byte[]> out = sink.serialize(broken, null, null);
    assertThat(out.key()).isNull(); // not a valid video id
    JsonNode payload = MAPPER.readTree(out.value()).get("payload");
    assertThat(payload)
        .isEqualTo(
            MAPPER.readTree(
                "{\"encoding\": \"utf-8\", \"value\": \"\", \"sizeBytes\": 9, \"truncated\": true}"));
  }

  @Test
  void withNoPayloadKeptARejectionIsAtMostTheOverhead() throws IOException {
    StoryboardOptions none =
        StoryboardOptions.fromMap(Map.of("storyboard.max-rejected-payload-bytes", "0"));
    RejectionSerializationSchema tight = new RejectionSerializationSchema("r", none);
    ParsedRecord parsed =
        new StoryboardDeserializationSchema(none).parse(record(3, new byte[200_000]));

    byte[] v = tight.serialize(parsed.rejections().get(0), null, null).value();

    assertThat(tight.maxValueBytes()).isEqualTo(16_384);
    assertThat(v.length).isLessThanOrEqualTo(16_384);
    Payload p = RejectionJson.read(v).payload();
    assertThat(p.value()).isEmpty();
    assertThat(p.truncated()).isTrue();
    assertThat(p.sha256())
        .isEqualTo("4cbbd9be0cba685835755f827758705db5a413c5494c34262cd25946a73e7582");
  }

  private static Rejection withValue(Rejection r, String value) {
    Payload p = r.payload();
    return new Rejection(
        r.code(),
        r.field(),
        r.message(),
        r.videoId(),
        r.videoIndex(),
        new Payload(p.encoding(), value, p.sizeBytes(), p.truncated(), p.sha256()),
        r.source());
  }

  /** Strict UTF-8, one JSON object, and no unpaired surrogate in any text. */
  private static void assertWellFormed(byte[] v) throws IOException {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(v));
    } catch (CharacterCodingException e) {
      throw new AssertionError("the record is not UTF-8", e);
    }
    JsonNode tree = MAPPER.readTree(v);
    assertThat(tree.isObject()).isTrue();
    assertNoUnpairedSurrogate(tree);
  }

  private static void assertNoUnpairedSurrogate(JsonNode node) {
    if (node.isTextual()) {
      String s = node.textValue();
      for (int i = 0; i < s.length(); ) {
        int cp = s.codePointAt(i);
        assertThat(Character.isSurrogate((char) cp) && cp < 0x10000)
            .as("unpaired surrogate at %d", i)
            .isFalse();
        i += Character.charCount(cp);
      }
    }
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      assertNoUnpairedSurrogate(it.next());
    }
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
