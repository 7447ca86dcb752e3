package org.tttvideo.model.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttState;
import org.tttvideo.model.decode.DecoderCache;
import org.tttvideo.model.dit.SegmentActs;

/**
 * Version 1 of the state format against committed golden bytes ({@code
 * dit/generation-state-v1.hex}): a build that changes the format must bump the version, keep
 * reading version 1, and add a golden file for the new one.
 */
class GenerationStateSerializerTest {

  static GenerationState sample() {
    GenerationRequest req = new GenerationRequest(List.of("a fox", "jumps"), "blur", 7L, 3, 6.0);
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
    DecoderCache cache = new DecoderCache(Tensor.of(new float[] {9}, 1, 1, 1), 2);
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

  private static byte[] golden() throws IOException {
    try (InputStream in =
        GenerationStateSerializerTest.class.getResourceAsStream("/dit/generation-state-v1.hex")) {
      assertThat(in).as("golden file dit/generation-state-v1.hex").isNotNull();
      return HexFormat.of()
          .parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
    }
  }

  @Test
  void writesTheGoldenBytesOfVersion1() throws IOException {
    assertThat(HexFormat.of().formatHex(GenerationStateSerializer.toBytes(sample())))
        .isEqualTo(HexFormat.of().formatHex(golden()));
  }

  @Test
  void readsTheGoldenBytesOfVersion1() throws IOException {
    GenerationState s = GenerationStateSerializer.fromBytes(golden());
    assertThat(s.request()).isEqualTo(sample().request());
    assertThat(s.unit()).isEqualTo(17);
    assertThat(s.ttt().w2().get(0)).isEqualTo(0.3f);
    assertThat(s.acts().get(0).keys()).isNull();
    assertThat(s.decoderCache().decodedFrames()).isEqualTo(2);
    assertThat(GenerationStateSerializer.toBytes(s)).isEqualTo(golden());
  }
}
