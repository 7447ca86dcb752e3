package org.tttvideo.model.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.vector.VectorCompute;
import org.tttvideo.model.weights.SafetensorsFile;

/**
 * The decoder's result does not depend on the backend's thread count: its convolutions and norms
 * cut work by the problem's sizes only. The miniature VAE of {@link CausalVaeDecoderTest} on
 * latents large enough (8 x 12, frames of 32 x 48) that the work is spread over the threads.
 */
class CausalVaeDecoderThreadsTest {
  @Test
  void oneAndThreeThreadsDecodeTheSameBits() throws IOException, URISyntaxException {
    VaeConfig config;
    try (InputStream in = getClass().getResourceAsStream("/decode/vae_reference_config.json")) {
      config = VaeConfig.read(in);
    }
    Map<String, Tensor> weights = new HashMap<>();
    SafetensorsFile st =
        SafetensorsFile.open(
            Path.of(getClass().getResource("/decode/vae_reference.safetensors").toURI()));
    for (String name : st.names()) {
      weights.put(name, st.readTensor(name));
    }
    Random rnd = new Random(5);
    float[] z = new float[3 * config.latentChannels() * 8 * 12];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) rnd.nextGaussian();
    }
    Tensor latents = Tensor.of(z, 3, config.latentChannels(), 8, 12);
    CausalVaeDecoder d = new CausalVaeDecoder(config, 8, 12, weights);
    LatentDecoder.Result[] results = new LatentDecoder.Result[2];
    int[] threads = {1, 3};
    for (int i = 0; i < 2; i++) {
      try (Compute c = new VectorCompute(threads[i])) {
        results[i] = d.decode(c, latents, DecoderCache.EMPTY);
      }
    }
    assertThat(results[1].frames().data()).containsExactly(results[0].frames().data());
    assertThat(results[1].cache().tensors().keySet())
        .containsExactlyElementsOf(results[0].cache().tensors().keySet());
    results[0]
        .cache()
        .tensors()
        .forEach(
            (name, t) ->
                assertThat(results[1].cache().tensor(name).data())
                    .as(name)
                    .containsExactly(t.data()));
  }
}
