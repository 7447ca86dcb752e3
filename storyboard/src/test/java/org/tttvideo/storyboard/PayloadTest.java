package org.tttvideo.storyboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Payload#of} cuts by the bytes the value takes as written in a rejection's JSON. */
class PayloadTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void twoHundredThousandNulBytesKeepAsManyAsFitEscaped() {
    Payload p = Payload.of(new byte[200_000], 262_144);

    // each NUL is written as the six bytes of an escape: 262,144 / 6 = 43,690 of them fit
    assertThat(p.encoding()).isEqualTo(Payload.Encoding.UTF_8);
    assertThat(p.value()).isEqualTo("\0".repeat(43_690));
    assertThat(p.sizeBytes()).isEqualTo(200_000);
    assertThat(p.truncated()).isTrue();
    // sha256 of 200,000 zero bytes (python3: hashlib.sha256(bytes(200000)).hexdigest())
    assertThat(p.sha256())
        .isEqualTo("4cbbd9be0cba685835755f827758705db5a413c5494c34262cd25946a73e7582");
    assertThat(p.originalSha256()).isEqualTo(p.sha256());
  }

  @Test
  void escapesAreCountedAndSurrogatePairsAreNeverCut() {
    byte[] quoted = utf8("a\"b\\c"); // written as a\"b\\c: 7 bytes
    assertThat(Payload.of(quoted, 7))
        .isEqualTo(new Payload(Payload.Encoding.UTF_8, "a\"b\\c", 5, false));
    Payload cut = Payload.of(quoted, 6);
    assertThat(cut.value()).isEqualTo("a\"b\\");
    assertThat(cut.truncated()).isTrue();

    // tab and line feed have short escapes (2 bytes), U+0001 does not (6)
    assertThat(Payload.of(utf8("\t\n\u0001"), 9).truncated()).isTrue();
    assertThat(Payload.of(utf8("\t\n\u0001"), 10).truncated()).isFalse();

    // U+1F600 is one code point, written as two escapes (12 bytes): kept whole or not at all
    byte[] emoji = utf8("x\uD83D\uDE00");
    assertThat(Payload.of(emoji, 12).value()).isEqualTo("x");
    assertThat(Payload.of(emoji, 12).truncated()).isTrue();
    assertThat(Payload.of(emoji, 13).value()).isEqualTo("x\uD83D\uDE00");
    assertThat(Payload.of(emoji, 13).truncated()).isFalse();
    // 2- and 3-byte characters take their UTF-8 length
    assertThat(Payload.of(utf8("é€"), 4).value()).isEqualTo("é");
    assertThat(Payload.of(utf8("é€"), 5).value()).isEqualTo("é€");
  }

  @Test
  void invalidUtf8IsBase64CutToWholeGroupsOfThreeBytes() {
    byte[] ff = new byte[10];
    java.util.Arrays.fill(ff, (byte) 0xFF);
    Payload cut = Payload.of(ff, 11); // 11 / 4 = 2 groups of 4 characters: 6 bytes
    assertThat(cut.encoding()).isEqualTo(Payload.Encoding.BASE64);
    assertThat(cut.value()).isEqualTo("////////");
    assertThat(cut.truncated()).isTrue();
    assertThat(cut.sizeBytes()).isEqualTo(10);
    // python3: hashlib.sha256(b'\xff' * 10).hexdigest()
    assertThat(cut.sha256())
        .isEqualTo("0083af118d18a63c6bb552f21d0c4ee78741f988ecd319d3cd06cb6c85a68a63");
    assertThat(Payload.of(ff, 16))
        .isEqualTo(new Payload(Payload.Encoding.BASE64, "/////////////w==", 10, false));

    // an encoded surrogate (CESU-8) is not UTF-8
    assertThat(Payload.of(new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80}, 100).value())
        .isEqualTo("Ye2ggA==");
    // bad bytes after the cut do not matter: the kept prefix is text
    byte[] badTail = {'a', 'b', 'c', (byte) 0xFF};
    assertThat(Payload.of(badTail, 2))
        .isEqualTo(
            new Payload(
                Payload.Encoding.UTF_8,
                "ab",
                4,
                true,
                // python3: hashlib.sha256(b'abc\xff').hexdigest()
                "8e3b08dc1236880bf0c55873db58b12d8bf0398b1b17c9686e015ccfe098d35d"));
    assertThat(Payload.of(badTail, 8))
        .isEqualTo(new Payload(Payload.Encoding.BASE64, "YWJj/w==", 4, false));
  }

  @Test
  void utf8IsTextExactlyWhenTheJdkDecoderAcceptsIt() {
    // every 1- and 2-byte value, then seeded random short sequences around the boundaries
    for (int a = 0; a < 256; a++) {
      assertAgrees(new byte[] {(byte) a});
      for (int b = 0; b < 256; b++) {
        assertAgrees(new byte[] {(byte) a, (byte) b});
      }
    }
    int[] interesting = {
      0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
      0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF
    };
    Random random = new Random(20_260_421L);
    for (int n = 0; n < 50_000; n++) {
      byte[] b = new byte[1 + random.nextInt(7)];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) interesting[random.nextInt(interesting.length)];
      }
      assertAgrees(b);
    }
  }

  private static void assertAgrees(byte[] b) {
    boolean jdk;
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b));
      jdk = true;
    } catch (CharacterCodingException e) {
      jdk = false;
    }
    Payload p = Payload.of(b, 6 * b.length);
    assertThat(p.encoding() == Payload.Encoding.UTF_8)
        .as("%s", java.util.HexFormat.of().formatHex(b))
        .isEqualTo(jdk);
    assertThat(p.truncated()).isFalse();
    assertThat(p.bytes()).isEqualTo(b);
  }

  @Test
  void theHashIsGivenOnlyForTruncatedPayloadsAndTextIsValidUnicode() {
    assertThatThrownBy(() -> new Payload(Payload.Encoding.UTF_8, "x", 1, false, "0".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sha256 is given only for a truncated payload (a whole one is its own value)");
    assertThatThrownBy(() -> new Payload(Payload.Encoding.UTF_8, "x", 9, true, "ABC"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sha256 must be 64 lower-case hex digits, was \"ABC\"");
    assertThatThrownBy(() -> new Payload(Payload.Encoding.UTF_8, "a\uD800", 4, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a utf-8 payload value must be valid Unicode; it holds an unpaired surrogate at char 1");

    // a whole payload is its own value: its hash is computed from it
    assertThat(Payload.of(utf8("abc"), 100).sha256()).isNull();
    assertThat(Payload.of(utf8("abc"), 100).originalSha256())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Payload.absent().originalSha256()).isNull();
    assertThat(new Payload(Payload.Encoding.UTF_8, "a", 9, true).originalSha256()).isNull();
  }
}
