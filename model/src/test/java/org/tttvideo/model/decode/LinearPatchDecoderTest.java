package org.tttvideo.model.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.naive.NaiveCompute;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.dit.ModelWeights;
import org.tttvideo.model.sampler.DdimSampler;

class LinearPatchDecoderTest {
  private final ModelConfig tiny = ModelConfig.tiny();
  private final LatentDecoder decoder = ModelWeights.init(tiny, 2).decoder();
  private final NaiveCompute c = new NaiveCompute();

  @Test
  void segmentsDecodeWithTheConfiguredFrameCountsAndSize() {
    Random rnd = new Random(1);
    Tensor first = DdimSampler.noise(rnd, tiny.framesOf(0), 4, 4, 4);
    Tensor second = DdimSampler.noise(rnd, tiny.framesOf(1), 4, 4, 4);
    LatentDecoder.Result a = decoder.decode(c, first, DecoderCache.EMPTY);
    LatentDecoder.Result b = decoder.decode(c, second, a.cache());
    assertThat(a.frames().shape()).containsExactly(tiny.outputFramesOf(0), 16, 16, 3);
    assertThat(b.frames().shape()).containsExactly(tiny.outputFramesOf(1), 16, 16, 3);
    assertThat(b.cache().decodedFrames()).isEqualTo(tiny.framesOf(0) + tiny.framesOf(1));
    for (float v : b.frames().data()) {
      assertThat(v).isBetween(0f, 1f);
    }
  }

  /** Decoding segment by segment with the cache equals decoding all latent frames at once. */
  @Test
  void cacheMakesSegmentDecodingEqualWholeDecoding() {
    Random rnd = new Random(2);
    Tensor first = DdimSampler.noise(rnd, 3, 4, 4, 4);
    Tensor second = DdimSampler.noise(rnd, 2, 4, 4, 4);
    float[] all = new float[first.size() + second.size()];
    System.arraycopy(first.data(), 0, all, 0, first.size());
    System.arraycopy(second.data(), 0, all, first.size(), second.size());
    Tensor whole = decoder.decode(c, Tensor.of(all, 5, 4, 4, 4), DecoderCache.EMPTY).frames();
    LatentDecoder.Result a = decoder.decode(c, first, DecoderCache.EMPTY);
    Tensor b = decoder.decode(c, second, a.cache()).frames();
    float[] joined = new float[a.frames().size() + b.size()];
    System.arraycopy(a.frames().data(), 0, joined, 0, a.frames().size());
    System.arraycopy(b.data(), 0, joined, a.frames().size(), b.size());
    assertThat(Tensor.of(joined, whole.shape()).bitEquals(whole)).isTrue();
  }
}
