package org.tttvideo.model.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttState;
import org.tttvideo.model.decode.DecoderCache;
import org.tttvideo.model.decode.LinearPatchDecoder;
import org.tttvideo.model.dit.SegmentActs;

/**
 * The state format against committed golden bytes, one file per version ({@code
 * dit/generation-state-v1.hex} to {@code -v3.hex}; v3 is v2 with its version and decoder cache
 * rewritten by hand to the named entries below): a build that changes the format must bump the
 * version, keep reading every older version (its golden file stays, as a read test), and add a
 * golden file for the new one.
 */
class GenerationStateSerializerTest {

  private static final GenerationRequest PER_SEGMENT =
      new GenerationRequest(List.of("a fox", "jumps"), List.of("blur", "dark"), 7L, 3, 6.0);

  /** The version-3 sample: a decoder cache of two named tensors. */
  static GenerationState sample() {
    return sample(
        PER_SEGMENT,
        new DecoderCache(
            Map.of(
                "conv_in",
                Tensor.of(new float[] {9, 8}, 2, 1, 1, 1),
                LinearPatchDecoder.PREVIOUS_FRAME,
                Tensor.of(new float[] {7}, 1, 1, 1)),
            2));
  }

  /** The version-2 sample: a different negative prompt per segment, the patch decoder's cache. */
  static GenerationState sampleV2() {
    return sample(PER_SEGMENT, PATCH_CACHE);
  }

  /** The version-1 sample: one negative prompt, which version 1 holds once for every segment. */
  static GenerationState sampleV1() {
    return sample(
        new GenerationRequest(List.of("a fox", "jumps"), "blur", 7L, 3, 6.0), PATCH_CACHE);
  }

  private static final DecoderCache PATCH_CACHE =
      DecoderCache.of(LinearPatchDecoder.PREVIOUS_FRAME, Tensor.of(new float[] {9}, 1, 1, 1), 2);

  private static GenerationState sample(GenerationRequest req, DecoderCache cache) {
    Tensor text = Tensor.of(new float[] {1, 2, 3, 4}, 2, 1, 2);
    Tensor latents = Tensor.of(new float[] {0.5f, -0.25f}, 2, 1, 1, 1);
    SegmentActs act =
        new SegmentActs(
            Tensor.of(new float[] {1, -1}, 1, 1, 2),
            Tensor.of(new float[] {2, -2}, 1, 1, 2),
            null,
            null);
    TttState ttt =
        new TttState(
            Tensor.of(new float[] {0.1f}, 1, 1, 1, 1),
            Tensor.of(new float[] {0.2f}, 1, 1, 1, 1),
            Tensor.of(new float[] {0.3f}, 1, 1, 1, 1),
            Tensor.of(new float[] {0.4f}, 1, 1, 1, 1));
    return new GenerationState(
        "tiny",
        req,
        17,
        List.of(text, text),
        List.of(latents, latents),
        List.of(act),
        ttt,
        cache,
        0,
        Tensor.of(new float[] {0.5f, 0.5f, 0.5f}, 1, 1, 1, 3));
  }

  private static byte[] golden(int version) throws IOException {
    String name = "dit/generation-state-v" + version + ".hex";
    try (InputStream in = GenerationStateSerializerTest.class.getResourceAsStream("/" + name)) {
      assertThat(in).as("golden file " + name).isNotNull();
      return HexFormat.of()
          .parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  @Test
  void writesTheGoldenBytesOfVersion3() throws IOException {
    assertThat(hex(GenerationStateSerializer.toBytes(sample()))).isEqualTo(hex(golden(3)));
  }

  @Test
  void readsTheGoldenBytesOfVersion3() throws IOException {
    GenerationState s = GenerationStateSerializer.fromBytes(golden(3));
    assertThat(s.request()).isEqualTo(sample().request());
    assertThat(s.decoderCache().tensors().keySet())
        .containsExactly("conv_in", LinearPatchDecoder.PREVIOUS_FRAME);
    assertThat(s.decoderCache().tensor("conv_in").data()).containsExactly(9f, 8f);
    assertThat(s.decoderCache().tensor("conv_in").shape()).containsExactly(2, 1, 1, 1);
    assertThat(s.decoderCache().tensor(LinearPatchDecoder.PREVIOUS_FRAME).data())
        .containsExactly(7f);
    assertThat(s.decoderCache().decodedFrames()).isEqualTo(2);
    assertThat(GenerationStateSerializer.toBytes(s)).isEqualTo(golden(3));
  }

  /** Version 2 held the patch decoder's previous frame; it reads as that entry of the cache. */
  @Test
  void readsTheGoldenBytesOfVersion2() throws IOException {
    GenerationState s = GenerationStateSerializer.fromBytes(golden(2));
    assertThat(s.decoderCache().tensors().keySet())
        .containsExactly(LinearPatchDecoder.PREVIOUS_FRAME);
    assertThat(s.decoderCache().tensor(LinearPatchDecoder.PREVIOUS_FRAME).data())
        .containsExactly(9f);
    assertThat(hex(GenerationStateSerializer.toBytes(s)))
        .isEqualTo(hex(GenerationStateSerializer.toBytes(sampleV2())));
    assertThat(s.request()).isEqualTo(sample().request());
    assertThat(s.request().negativePrompts()).containsExactly("blur", "dark");
    assertThat(s.model()).isEqualTo("tiny");
    assertThat(s.unit()).isEqualTo(17);
    assertThat(s.text().get(1).data()).containsExactly(1f, 2f, 3f, 4f);
    assertThat(s.ttt().w2().get(0)).isEqualTo(0.3f);
    assertThat(s.acts().get(0).keys()).isNull();
    assertThat(s.decoderCache().decodedFrames()).isEqualTo(2);
    assertThat(s.decodedSegment()).isZero();
  }

  /** Version 1 held one negative prompt; it reads as that prompt for every segment. */
  @Test
  void readsTheGoldenBytesOfVersion1WithItsNegativePromptForEverySegment() throws IOException {
    GenerationState s = GenerationStateSerializer.fromBytes(golden(1));
    assertThat(s.request()).isEqualTo(sampleV1().request());
    assertThat(s.request().negativePrompts()).containsExactly("blur", "blur");
    assertThat(s.unit()).isEqualTo(17);
    assertThat(s.ttt().w2().get(0)).isEqualTo(0.3f);
    assertThat(s.acts().get(0).keys()).isNull();
    assertThat(s.decoderCache().decodedFrames()).isEqualTo(2);
    // Everything else read as the sample holds it: written back (as version 3), the bytes agree.
    assertThat(hex(GenerationStateSerializer.toBytes(s)))
        .isEqualTo(hex(GenerationStateSerializer.toBytes(sampleV1())));
  }

  @Test
  void rejectsUnknownVersionsByNumberAndForeignBytes() throws IOException {
    for (int version : new int[] {0, 4}) {
      byte[] bytes = golden(3);
      ByteBuffer.wrap(bytes).putInt(4, version);
      assertThatThrownBy(() -> GenerationStateSerializer.fromBytes(bytes))
          .isInstanceOf(IOException.class)
          .hasMessage(
              "unsupported generation state version "
                  + version
                  + " (this build reads versions 1..3)");
    }
    byte[] bytes = golden(2);
    ByteBuffer.wrap(bytes).putInt(0, 7);
    assertThatThrownBy(() -> GenerationStateSerializer.fromBytes(bytes))
        .isInstanceOf(IOException.class)
        .hasMessage("not a generation state: magic 0x7, expected 0x54545647");
  }
}
