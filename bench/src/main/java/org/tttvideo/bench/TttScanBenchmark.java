package org.tttvideo.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ComputeBackends;
import org.tttvideo.model.compute.TttKind;
import org.tttvideo.model.compute.TttScanResult;

/**
 * The forward TTT scan ({@link Compute#tttScan}) per backend: head dim 64, 4096 tokens, batch 1.
 *
 * <p>Two ways to run it. Both need the Vector API module and the bench classpath, which Maven
 * prints without installing anything (run from the repository root; the compile is what lets the
 * reactor resolve the model module from its build folder):
 *
 * <pre>
 * mvn -q -pl bench -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * CP=bench/target/classes:$(cat bench/target/classpath.txt)
 *
 * # the printed run: every configuration for a few seconds, the GEMM peak, fractions and ratios
 * java --add-modules jdk.incubator.vector -cp "$CP" org.tttvideo.bench.TttScanBenchmark [seconds]
 *
 * # JMH
 * java --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main TttScanBenchmark
 * </pre>
 *
 * <p>The printed run reports per configuration the tokens per second, the achieved GFLOP/s (FLOPs
 * counted by {@link TttScanProblem#flops()}: {@code 14·D·F} per token and head for TTT-MLP, {@code
 * 6·D·F} for TTT-Linear, products only), that rate as a fraction of the best large-GEMM rate
 * measured on any backend ({@code [1024, 1024] @ [1024, 1024]} through {@link Compute#matmul}), and
 * the vector/nd4j ratio of tokens per second. Its last line is the floor case, TTT-MLP at
 * mini-batch 64, 8 heads, head dim 64, on the vector backend.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TttScanBenchmark {
  static final int HEAD_DIM = 64;
  static final int SEQUENCE = 4096;
  static final int BATCH = 1;
  static final int GEMM_SIZE = 1024;

  @Param({"vector", "nd4j"})
  public String backend;

  @Param({"mlp", "linear"})
  public String kind;

  @Param({"4", "8"})
  public int heads;

  @Param({"16", "64"})
  public int miniBatch;

  private Compute compute;
  private TttScanProblem problem;

  @Setup(Level.Trial)
  public void setUp() {
    compute = ComputeBackends.create(backend);
    problem = TttScanProblem.of(TttKind.parse(kind), BATCH, heads, SEQUENCE, HEAD_DIM, miniBatch);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    compute.close();
  }

  /** One forward scan of {@code BATCH · SEQUENCE} tokens. */
  @Benchmark
  public TttScanResult scan() {
    return problem.run(compute);
  }

  // ================================================================ the printed run

  /**
   * Runs every configuration for {@code args[0]} seconds (default 3) after a warm-up and prints the
   * table described in the class comment.
   */
  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    new TttScanBenchmark().printedRun(seconds, List.of("vector", "nd4j"));
  }

  /** Rate of one configuration on one backend. */
  private record Rate(double tokensPerSecond, double gflops) {}

  private void printedRun(double seconds, List<String> backends) {
    System.out.printf(
        Locale.ROOT,
        "TTT scan: batch %d, %d tokens, head dim %d; %d processors, load average %.2f%n",
        BATCH,
        SEQUENCE,
        HEAD_DIM,
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    Map<String, Double> gemm = new LinkedHashMap<>();
    for (String b : backends) {
      try (Compute c = ComputeBackends.create(b)) {
        double g = GemmPeak.measure(c, GEMM_SIZE, 3, seconds);
        gemm.put(b, g);
        System.out.printf(
            Locale.ROOT,
            "gemm %d^3 %-6s %7.1f GFLOP/s (best of the timed products)%n",
            GEMM_SIZE,
            b,
            g);
      }
    }
    double peak = gemm.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    System.out.printf(Locale.ROOT, "gemm peak %.1f GFLOP/s%n", peak);

    List<TttScanProblem> problems = new ArrayList<>();
    for (String k : new String[] {"mlp", "linear"}) {
      for (int h : new int[] {4, 8}) {
        for (int m : new int[] {16, 64}) {
          problems.add(TttScanProblem.of(TttKind.parse(k), BATCH, h, SEQUENCE, HEAD_DIM, m));
        }
      }
    }
    Map<String, Map<String, Rate>> rates = new LinkedHashMap<>();
    for (String b : backends) {
      try (Compute c = ComputeBackends.create(b)) {
        for (TttScanProblem p : problems) {
          rates
              .computeIfAbsent(p.toString(), x -> new LinkedHashMap<>())
              .put(b, time(c, p, seconds));
        }
      }
    }

    System.out.printf(
        Locale.ROOT,
        "%-22s %-7s %12s %9s %8s%n",
        "configuration",
        "backend",
        "tokens/s",
        "GFLOP/s",
        "of gemm");
    for (Map.Entry<String, Map<String, Rate>> e : rates.entrySet()) {
      for (Map.Entry<String, Rate> r : e.getValue().entrySet()) {
        System.out.printf(
            Locale.ROOT,
            "%-22s %-7s %12.0f %9.1f %7.1f%%%n",
            e.getKey(),
            r.getKey(),
            r.getValue().tokensPerSecond(),
            r.getValue().gflops(),
            100 * r.getValue().gflops() / peak);
      }
      Rate v = e.getValue().get("vector");
      Rate n = e.getValue().get("nd4j");
      if (v != null && n != null) {
        System.out.printf(
            Locale.ROOT,
            "%-22s vector/nd4j %.2fx%n",
            e.getKey(),
            v.tokensPerSecond() / n.tokensPerSecond());
      }
    }
    System.out.printf(Locale.ROOT, "load average at the end %.2f%n", loadAverage());
    Rate floor = rates.get("ttt-mlp m64 h8 d64").get("vector");
    System.out.printf(
        Locale.ROOT, "ttt-mlp m64 h8 d64: %.1f%% of gemm peak%n", 100 * floor.gflops() / peak);
  }

  /**
   * Tokens/s and GFLOP/s of the mean scan time over a window of {@code seconds}, after a warm-up of
   * at least two scans or a third of the window.
   */
  private static Rate time(Compute c, TttScanProblem p, double seconds) {
    Object sink = null;
    long warmEnd = System.nanoTime() + (long) (seconds / 3 * 1e9);
    for (int i = 0; i < 2 || System.nanoTime() < warmEnd; i++) {
      sink = p.run(c);
    }
    int runs = 0;
    long t0 = System.nanoTime();
    long end = t0 + (long) (seconds * 1e9);
    do {
      sink = p.run(c);
      runs++;
    } while (System.nanoTime() < end);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    if (sink == null) {
      throw new IllegalStateException("no scan ran");
    }
    return new Rate(runs * p.tokens() / elapsed, runs * p.flops() / elapsed / 1e9);
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
