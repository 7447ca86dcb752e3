package org.tttvideo.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ComputeBackends;
import org.tttvideo.model.compute.ForwardingCompute;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.dit.ModelWeights;
import org.tttvideo.model.generate.GeneratedVideo;
import org.tttvideo.model.generate.GenerationRequest;
import org.tttvideo.model.generate.Generator;
import org.tttvideo.model.generate.UnitTimings;

/**
 * End to end: seconds to generate a video (all denoising steps and decoding) through the
 * incremental API, and where the time goes. A printed run, not a test.
 *
 * <pre>
 * mvn -q -Dbuild.dir.name=target-dit -pl bench -am compile dependency:build-classpath \
 *     -Dmdep.outputFile=target-dit/classpath.txt
 * java --add-modules jdk.incubator.vector -cp bench/target-dit/classes:$(cat bench/target-dit/classpath.txt) \
 *     org.tttvideo.bench.EndToEndBenchmark --preset small --segments 21 [--steps N] [--backend vector]
 * </pre>
 */
public final class EndToEndBenchmark {
  private EndToEndBenchmark() {}

  /** With {@code --profile}: time per compute operation (a delegating backend). */
  private static final class Profiled extends ForwardingCompute {
    private final boolean on;
    private final java.util.Map<String, long[]> ops = new java.util.TreeMap<>();

    Profiled(Compute d, boolean on) {
      super(d);
      this.on = on;
    }

    /** The model's layers are bound: linearBound is timed under "linear" with linear. */
    @Override
    protected <T> T call(String op, java.util.function.Supplier<T> f) {
      if (!on) {
        return f.get();
      }
      long t0 = System.nanoTime();
      T r = f.get();
      long[] a = ops.computeIfAbsent(op, k -> new long[2]);
      a[0] += System.nanoTime() - t0;
      a[1]++;
      return r;
    }

    void print() {
      long total = ops.values().stream().mapToLong(a -> a[0]).sum();
      ops.entrySet().stream()
          .sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]))
          .forEach(
              e ->
                  System.out.printf(
                      Locale.ROOT,
                      "  op %-12s %8.2f s %5.1f%% %9d calls%n",
                      e.getKey(),
                      e.getValue()[0] / 1e9,
                      100.0 * e.getValue()[0] / total,
                      e.getValue()[1]));
    }
  }

  public static void main(String[] args) {
    String preset = "small";
    int segments = 21;
    int steps = -1;
    String backend = ComputeBackends.DEFAULT;
    long seed = 42;
    boolean profile = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--preset" -> preset = args[++i];
        case "--segments" -> segments = Integer.parseInt(args[++i]);
        case "--steps" -> steps = Integer.parseInt(args[++i]);
        case "--backend" -> backend = args[++i];
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--profile" -> profile = true;
        default ->
            throw new IllegalArgumentException(
                "unknown argument '"
                    + args[i]
                    + "': allowed are --preset, --segments, --steps, --backend, --seed, --profile");
      }
    }
    ModelConfig config = ModelConfig.preset(preset);
    if (steps < 0) {
      steps = config.steps();
    }
    List<String> prompts = new ArrayList<>();
    for (int s = 0; s < segments; s++) {
      prompts.add("tom chases jerry through the kitchen, scene " + (s + 1));
    }
    GenerationRequest request =
        new GenerationRequest(prompts, "blurry, low quality", seed, steps, config.guidanceScale());
    try (Compute backendCompute = ComputeBackends.create(backend)) {
      Profiled compute = new Profiled(backendCompute, profile);
      Generator generator = new Generator(compute, ModelWeights.init(config, seed));
      System.out.printf(
          Locale.ROOT,
          "end-to-end: preset %s (width %d, %d heads, %d blocks, TTT %s, attention %s), %d segments,"
              + " %d steps, backend %s, %d processors%n",
          config.name(),
          config.width(),
          config.heads(),
          config.layers(),
          config.ttt(),
          config.attention(),
          segments,
          steps,
          compute.name(),
          Runtime.getRuntime().availableProcessors());
      long t0 = System.nanoTime();
      GeneratedVideo video = generator.generate(request);
      double seconds = (System.nanoTime() - t0) / 1e9;
      for (int s = 0; s < segments; s++) {
        int[] shape = video.frames().get(s).shape();
        int[] expected = {
          config.outputFramesOf(s),
          config.derived().outputHeight(),
          config.derived().outputWidth(),
          3
        };
        if (!java.util.Arrays.equals(shape, expected)) {
          throw new IllegalStateException(
              "segment "
                  + s
                  + " has frames "
                  + java.util.Arrays.toString(shape)
                  + ", the config says "
                  + java.util.Arrays.toString(expected));
        }
      }
      UnitTimings t = generator.timings();
      double total = t.totalNanos();
      System.out.printf(
          Locale.ROOT,
          "video: %d frames of %dx%d at %d fps = %.2f s of video in %d segments (frame counts and"
              + " sizes as configured)%n",
          video.frameCount(),
          video.frames().get(0).dim(2),
          video.frames().get(0).dim(1),
          video.fps(),
          video.seconds(),
          video.frames().size());
      System.out.printf(
          Locale.ROOT,
          "time: %.1f s (%.2f s per denoising step)%n",
          seconds,
          (total - t.nanos(UnitTimings.Part.DECODE)) / 1e9 / steps);
      System.out.printf(
          Locale.ROOT,
          "breakdown: attention %.1f%% ttt %.1f%% feed-forward %.1f%% decode %.1f%% (embed %.1f%%,"
              + " output+sampler %.1f%%)%n",
          100 * t.nanos(UnitTimings.Part.ATTENTION) / total,
          100 * t.nanos(UnitTimings.Part.TTT) / total,
          100 * t.nanos(UnitTimings.Part.FEED_FORWARD) / total,
          100 * t.nanos(UnitTimings.Part.DECODE) / total,
          100 * t.nanos(UnitTimings.Part.EMBED) / total,
          100 * t.nanos(UnitTimings.Part.OUTPUT) / total);
      if (profile) {
        compute.print();
      }
      System.out.printf(Locale.ROOT, "end-to-end: %.1f s%n", seconds);
    }
  }
}
