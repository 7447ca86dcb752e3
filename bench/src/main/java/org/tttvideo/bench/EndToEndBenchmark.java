package org.tttvideo.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ComputeBackends;
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
  private static final class Profiled implements Compute {
    private final Compute d;
    private final boolean on;
    private final java.util.Map<String, long[]> ops = new java.util.TreeMap<>();

    Profiled(Compute d, boolean on) {
      this.d = d;
      this.on = on;
    }

    private <T> T time(String op, java.util.function.Supplier<T> f) {
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

    @Override
    public String name() {
      return d.name();
    }

    @Override
    public org.tttvideo.model.compute.Tensor linear(
        org.tttvideo.model.compute.Tensor x,
        org.tttvideo.model.compute.Tensor w,
        org.tttvideo.model.compute.Tensor b) {
      return time("linear", () -> d.linear(x, w, b));
    }

    @Override
    public org.tttvideo.model.compute.Tensor linearBound(
        org.tttvideo.model.compute.Tensor x, org.tttvideo.model.compute.LinearWeight w) {
      // the model's layers are bound: timed under "linear" with the per-call products
      return time("linear", () -> d.linearBound(x, w));
    }

    @Override
    public org.tttvideo.model.compute.Tensor matmul(
        org.tttvideo.model.compute.Tensor a, org.tttvideo.model.compute.Tensor b, boolean t) {
      return time("matmul", () -> d.matmul(a, b, t));
    }

    @Override
    public org.tttvideo.model.compute.Tensor layerNorm(
        org.tttvideo.model.compute.Tensor x,
        org.tttvideo.model.compute.Tensor w,
        org.tttvideo.model.compute.Tensor b,
        float eps) {
      return time("layerNorm", () -> d.layerNorm(x, w, b, eps));
    }

    @Override
    public org.tttvideo.model.compute.Tensor l2Normalize(
        org.tttvideo.model.compute.Tensor x, float eps) {
      return time("l2Normalize", () -> d.l2Normalize(x, eps));
    }

    @Override
    public org.tttvideo.model.compute.Tensor standardize(
        org.tttvideo.model.compute.Tensor x, float eps) {
      return time("standardize", () -> d.standardize(x, eps));
    }

    @Override
    public org.tttvideo.model.compute.Tensor softmax(org.tttvideo.model.compute.Tensor x) {
      return time("softmax", () -> d.softmax(x));
    }

    @Override
    public org.tttvideo.model.compute.Tensor gelu(org.tttvideo.model.compute.Tensor x) {
      return time("gelu", () -> d.gelu(x));
    }

    @Override
    public org.tttvideo.model.compute.Tensor tanh(org.tttvideo.model.compute.Tensor x) {
      return time("tanh", () -> d.tanh(x));
    }

    @Override
    public org.tttvideo.model.compute.Tensor sigmoid(org.tttvideo.model.compute.Tensor x) {
      return time("sigmoid", () -> d.sigmoid(x));
    }

    @Override
    public org.tttvideo.model.compute.Tensor add(
        org.tttvideo.model.compute.Tensor a, org.tttvideo.model.compute.Tensor b) {
      return time("add", () -> d.add(a, b));
    }

    @Override
    public org.tttvideo.model.compute.Tensor sub(
        org.tttvideo.model.compute.Tensor a, org.tttvideo.model.compute.Tensor b) {
      return time("sub", () -> d.sub(a, b));
    }

    @Override
    public org.tttvideo.model.compute.Tensor mul(
        org.tttvideo.model.compute.Tensor a, org.tttvideo.model.compute.Tensor b) {
      return time("mul", () -> d.mul(a, b));
    }

    @Override
    public org.tttvideo.model.compute.Tensor scale(org.tttvideo.model.compute.Tensor a, float s) {
      return time("scale", () -> d.scale(a, s));
    }

    @Override
    public org.tttvideo.model.compute.Tensor permute(
        org.tttvideo.model.compute.Tensor x, int... axes) {
      return time("permute", () -> d.permute(x, axes));
    }

    @Override
    public org.tttvideo.model.compute.Tensor gather(
        org.tttvideo.model.compute.Tensor x, int axis, int[] index) {
      return time("gather", () -> d.gather(x, axis, index));
    }

    @Override
    public org.tttvideo.model.compute.TttScanResult tttScan(
        org.tttvideo.model.compute.TttKind kind,
        org.tttvideo.model.compute.TttState state,
        org.tttvideo.model.compute.Tensor xq,
        org.tttvideo.model.compute.Tensor xk,
        org.tttvideo.model.compute.Tensor xv,
        org.tttvideo.model.compute.Tensor eta,
        org.tttvideo.model.compute.Tensor nw,
        org.tttvideo.model.compute.Tensor nb,
        int m) {
      return time("tttScan", () -> d.tttScan(kind, state, xq, xk, xv, eta, nw, nb, m));
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
