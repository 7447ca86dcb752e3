package org.tttvideo.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.vector.VectorCompute;
import org.tttvideo.model.decode.CausalVaeDecoder;
import org.tttvideo.model.decode.DecoderCache;
import org.tttvideo.model.decode.LatentDecoder;
import org.tttvideo.model.decode.VaeConfig;
import org.tttvideo.model.weights.SafetensorsFile;

/**
 * Seconds to decode a whole video segment by segment with {@link CausalVaeDecoder}, the share of
 * the video's length, and frames per second. A printed run, not a test. The weights only set the
 * cost, so any checkpoint of the configuration serves (random latents).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target-bench/classes:$(cat bench/target-bench/classpath.txt) \
 *     org.tttvideo.bench.VaeDecodeBenchmark DIR [segments=21] [latentHeight=16] [latentWidth=24] \
 *     [firstLatents=4] [latentsPerSegment=3] [threads=2]
 * </pre>
 *
 * DIR holds {@code vae_config.json} and {@code vae.safetensors}.
 */
public final class VaeDecodeBenchmark {
  private VaeDecodeBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int segments = arg(args, 1, 21);
    int h = arg(args, 2, 16);
    int w = arg(args, 3, 24);
    int first = arg(args, 4, 4);
    int per = arg(args, 5, 3);
    int threads = arg(args, 6, 2);
    VaeConfig config;
    try (InputStream in = Files.newInputStream(dir.resolve("vae_config.json"))) {
      config = VaeConfig.read(in);
    }
    Map<String, Tensor> weights = new HashMap<>();
    SafetensorsFile st = SafetensorsFile.open(dir.resolve("vae.safetensors"));
    for (String name : st.names()) {
      if (name.startsWith(CausalVaeDecoder.PREFIX)) {
        weights.put(name, st.readTensor(name));
      }
    }
    CausalVaeDecoder decoder = new CausalVaeDecoder(config, h, w, weights);
    Compute c = new VectorCompute(threads);
    Random rnd = new Random(1);
    for (int round = 0; round < 2; round++) {
      DecoderCache cache = DecoderCache.EMPTY;
      int frames = 0;
      long t0 = System.nanoTime();
      for (int s = 0; s < segments; s++) {
        int n = s == 0 ? first : per;
        float[] z = new float[n * config.latentChannels() * h * w];
        for (int i = 0; i < z.length; i++) {
          z[i] = (float) rnd.nextGaussian();
        }
        LatentDecoder.Result r =
            decoder.decode(c, Tensor.of(z, n, config.latentChannels(), h, w), cache);
        cache = r.cache();
        frames += r.frames().dim(0);
      }
      double sec = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "%s: %d segments, %d frames of %dx%d in %.2f s (%.1f frames/s, %.0f ms per segment),"
              + " %d threads%n",
          round == 0 ? "warm-up" : "measured",
          segments,
          frames,
          w * config.spatialCompression(),
          h * config.spatialCompression(),
          sec,
          frames / sec,
          1000 * sec / segments,
          threads);
    }
  }

  private static int arg(String[] args, int i, int dflt) {
    return args.length > i ? Integer.parseInt(args[i]) : dflt;
  }
}
