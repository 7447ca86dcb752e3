package org.tttvideo.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ComputeBackends;
import org.tttvideo.model.config.AttentionScope;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.config.TttMode;
import org.tttvideo.model.dit.ModelWeights;
import org.tttvideo.model.generate.GenerationRequest;
import org.tttvideo.model.generate.GenerationState;
import org.tttvideo.model.generate.Generator;

/**
 * How the time of a denoising step grows with the video's length, for segment attention with
 * TTT-MLP, with TTT-Linear, alone, and for full attention (CogVideoX without segmentation): time
 * per step for each segment count, and relative to one segment, so linear versus quadratic growth
 * shows. Runs the steps through the incremental API (all units of the step, no decoding), after a
 * warm-up, reporting the best of {@code --repeats} runs (default 2; the machine is shared). A
 * printed run, not a test; the default backend first, the others' figures beside it.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp &lt;bench classpath&gt; org.tttvideo.bench.ScalingBenchmark \
 *     --preset small --segments 1,3,6,10,21 --steps 1 [--repeats 2] [--backends vector,nd4j]
 * </pre>
 *
 * The last line reads {@code scaling: ttt-mlp 21/1=<x> ttt-linear 21/1=<x> segment 21/1=<x> full
 * 21/1=<x> full/ttt-mlp@21=<x>} for the default backend (the paper reports about 11x for full
 * versus local attention at 63 s).
 */
public final class ScalingBenchmark {
  private ScalingBenchmark() {}

  private record Variant(String name, TttMode ttt, AttentionScope scope) {}

  private static final List<Variant> VARIANTS =
      List.of(
          new Variant("ttt-mlp", TttMode.MLP, AttentionScope.SEGMENT),
          new Variant("ttt-linear", TttMode.LINEAR, AttentionScope.SEGMENT),
          new Variant("segment", TttMode.NONE, AttentionScope.SEGMENT),
          new Variant("full", TttMode.NONE, AttentionScope.FULL));

  public static void main(String[] args) {
    String preset = "small";
    int[] segments = {1, 3, 6, 10, 21};
    int steps = 1;
    int repeats = 2;
    List<String> backends = List.of(ComputeBackends.DEFAULT, "nd4j");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--preset" -> preset = args[++i];
        case "--segments" ->
            segments = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--steps" -> steps = Integer.parseInt(args[++i]);
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        case "--backends" -> backends = List.of(args[++i].split(","));
        default ->
            throw new IllegalArgumentException(
                "unknown argument '"
                    + args[i]
                    + "': allowed are --preset, --segments, --steps, --repeats, --backends");
      }
    }
    ModelConfig base = ModelConfig.preset(preset);
    int first = segments[0];
    int last = segments[segments.length - 1];
    System.out.printf(
        Locale.ROOT,
        "scaling: preset %s (width %d, %d blocks), time per denoising step (both guidance branches),"
            + " %d step(s) timed, %d processors%n",
        base.name(),
        base.width(),
        base.layers(),
        steps,
        Runtime.getRuntime().availableProcessors());
    Map<String, Map<String, double[]>> results = new LinkedHashMap<>(); // backend -> variant -> s
    for (String backend : backends) {
      Map<String, double[]> perVariant = new LinkedHashMap<>();
      try (Compute compute = ComputeBackends.create(backend)) {
        for (Variant v : VARIANTS) {
          ModelConfig config = base.toBuilder().ttt(v.ttt()).attention(v.scope()).build();
          Generator g = new Generator(compute, ModelWeights.init(config, 1));
          // warm-up: the JIT compiles the units' code paths before anything is timed
          timeStep(g, Math.min(3, last), 1);
          timeStep(g, Math.min(3, last), 1);
          double[] secs = new double[segments.length];
          for (int k = 0; k < segments.length; k++) {
            secs[k] = Double.POSITIVE_INFINITY;
            for (int rep = 0;
                rep < repeats;
                rep++) { // the best of the repeats: the machine is shared
              secs[k] = Math.min(secs[k], timeStep(g, segments[k], steps));
            }
            System.out.printf(
                Locale.ROOT,
                "%-6s %-10s %3d segments (%5.1f s of video): %8.3f s/step  x%.2f vs %d%n",
                compute.name(),
                v.name(),
                segments[k],
                config.seconds(segments[k]),
                secs[k],
                secs[k] / secs[0],
                first);
          }
          perVariant.put(v.name(), secs);
        }
      }
      results.put(backend, perVariant);
    }
    for (Map.Entry<String, Map<String, double[]>> e : results.entrySet()) {
      Map<String, double[]> r = e.getValue();
      int n = segments.length - 1;
      System.out.printf(
          Locale.ROOT,
          "%s: full/ttt-mlp@%d=%.2f full/segment@%d=%.2f%n",
          e.getKey(),
          last,
          r.get("full")[n] / r.get("ttt-mlp")[n],
          last,
          r.get("full")[n] / r.get("segment")[n]);
    }
    Map<String, double[]> r = results.values().iterator().next();
    StringBuilder line = new StringBuilder("scaling:");
    int n = segments.length - 1;
    for (Variant v : VARIANTS) {
      double[] s = r.get(v.name());
      line.append(String.format(Locale.ROOT, " %s %d/%d=%.2f", v.name(), last, first, s[n] / s[0]));
    }
    line.append(
        String.format(
            Locale.ROOT, " full/ttt-mlp@%d=%.2f", last, r.get("full")[n] / r.get("ttt-mlp")[n]));
    System.out.println(line);
  }

  /** Seconds per denoising step for a video of {@code segments} segments. */
  private static double timeStep(Generator g, int segments, int steps) {
    List<String> prompts = new ArrayList<>();
    for (int s = 0; s < segments; s++) {
      prompts.add("a fox runs through the snow, scene " + s);
    }
    GenerationRequest req =
        new GenerationRequest(prompts, "", 7, steps, g.config().guidanceScale());
    GenerationState state = g.start(req);
    long units = g.plan(state).perStep() * steps;
    long t0 = System.nanoTime();
    while (state.unit() < units) {
      state = g.step(state);
    }
    return (System.nanoTime() - t0) / 1e9 / steps;
  }
}
