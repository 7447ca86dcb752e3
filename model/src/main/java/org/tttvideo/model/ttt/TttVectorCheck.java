package org.tttvideo.model.ttt;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.tttvideo.model.compute.Comparison;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ComputeBackends;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.Tolerance;
import org.tttvideo.model.compute.TttKind;
import org.tttvideo.model.compute.TttScanInput;
import org.tttvideo.model.compute.TttScanResult;
import org.tttvideo.model.weights.SafetensorsFile;

/**
 * Checks TTT reference vectors ({@code testdata/ttt/README.md}): runs every {@code *.safetensors}
 * file of a folder whose metadata it understands ({@code op} = {@code scan}, {@code layer} or
 * {@code bidirectional}) on a compute backend and compares with the file's expected tensors within
 * the file's {@code atol}/{@code rtol}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp &lt;model classpath&gt; \
 *     org.tttvideo.model.ttt.TttVectorCheck DIR [--backend vector|naive|nd4j]
 * </pre>
 *
 * Prints {@code name: ok|FAIL max_abs_diff=...} per file and {@code N passed, M failed}; exits 1 if
 * anything failed or nothing was checked, 2 on bad arguments.
 */
public final class TttVectorCheck {

  private TttVectorCheck() {}

  /** The outcome for one file. */
  public record FileResult(String name, String op, Comparison comparison) {
    public boolean passed() {
      return comparison.passed();
    }

    @Override
    public String toString() {
      return name + ": " + comparison;
    }
  }

  public static void main(String[] args) {
    Path dir = null;
    String backend = ComputeBackends.DEFAULT;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--backend") && i + 1 < args.length) {
        backend = args[++i];
      } else if (args[i].startsWith("--")) {
        usage("unknown option " + args[i]);
      } else if (dir == null) {
        dir = Path.of(args[i]);
      } else {
        usage("more than one folder given");
      }
    }
    if (dir == null) {
      usage("no folder given");
    }
    int code;
    try (Compute compute = ComputeBackends.create(backend)) {
      code = run(dir, compute, System.out);
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("TttVectorCheck: " + e.getMessage());
      code = 2;
    }
    System.exit(code);
  }

  private static void usage(String problem) {
    System.err.println("TttVectorCheck: " + problem);
    System.err.println(
        "usage: TttVectorCheck DIR [--backend " + String.join("|", ComputeBackends.names()) + "]");
    System.exit(2);
  }

  /**
   * Checks every understood file in {@code dir}, printing a line each and the closing count.
   *
   * @return 0 if at least one file was checked and none failed, else 1
   */
  public static int run(Path dir, Compute compute, PrintStream out) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("not a folder: " + dir);
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
    }
    int passed = 0;
    int failed = 0;
    for (Path f : files) {
      Optional<FileResult> r;
      try {
        r = check(f, compute);
      } catch (RuntimeException | IOException e) {
        out.println(
            f.getFileName() + ": FAIL " + e.getClass().getSimpleName() + ": " + e.getMessage());
        failed++;
        continue;
      }
      if (r.isEmpty()) {
        out.println(f.getFileName() + ": skipped (metadata not understood)");
        continue;
      }
      out.println(r.get());
      if (r.get().passed()) {
        passed++;
      } else {
        failed++;
      }
    }
    out.println(passed + " passed, " + failed + " failed");
    return failed == 0 && passed > 0 ? 0 : 1;
  }

  /** Checks one file; empty if its {@code op} is not one this check understands. */
  public static Optional<FileResult> check(Path file, Compute compute) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      Map<String, String> meta = f.metadata();
      String op = meta.get("op");
      if (op == null || !(op.equals("scan") || op.equals("layer") || op.equals("bidirectional"))) {
        return Optional.empty();
      }
      Tolerance tol =
          Tolerance.rtol(Double.parseDouble(required(meta, "rtol")))
              .atol(Double.parseDouble(required(meta, "atol")));
      TttKind kind = TttKind.parse(required(meta, "kind"));
      int miniBatch = Integer.parseInt(required(meta, "mini_batch"));
      Comparison c =
          switch (op) {
            case "scan" -> checkScan(f, compute, kind, miniBatch, tol);
            case "layer" -> checkLayer(f, compute, kind, miniBatch, meta, tol);
            default -> checkBidirectional(f, compute, kind, miniBatch, meta, tol);
          };
      return Optional.of(new FileResult(file.getFileName().toString(), op, c));
    }
  }

  private static Comparison checkScan(
      SafetensorsFile f, Compute compute, TttKind kind, int miniBatch, Tolerance tol)
      throws IOException {
    boolean mlp = kind == TttKind.MLP;
    TttScanInput in = TttScanInputs.read(f, miniBatch);
    if (in.kind() != kind) {
      throw new IllegalArgumentException(
          "the file name says " + kind + " but the file holds a " + in.kind() + " state");
    }
    TttScanResult r = compute.tttScan(in);
    Comparison c = compare(f, "expected.out", r.out(), tol);
    c = c.and(compare(f, "expected.state.W1", r.state().w1(), tol));
    c = c.and(compare(f, "expected.state.b1", r.state().b1(), tol));
    if (mlp) {
      c = c.and(compare(f, "expected.state.W2", r.state().w2(), tol));
      c = c.and(compare(f, "expected.state.b2", r.state().b2(), tol));
    }
    return c;
  }

  private static Comparison checkLayer(
      SafetensorsFile f,
      Compute compute,
      TttKind kind,
      int miniBatch,
      Map<String, String> meta,
      Tolerance tol)
      throws IOException {
    Tensor x = f.readTensor("x");
    TttConfig config = config(x, kind, miniBatch, meta);
    TttLayer layer = new TttLayer(config, TttParams.fromNamed(config, readAll(f)));
    Tensor out =
        layer.forward(compute, layer.initialState(x.dim(0)), x, QkTransform.IDENTITY).out();
    return compare(f, "expected.out", out, tol);
  }

  private static Comparison checkBidirectional(
      SafetensorsFile f,
      Compute compute,
      TttKind kind,
      int miniBatch,
      Map<String, String> meta,
      Tolerance tol)
      throws IOException {
    Tensor x = f.readTensor("x");
    TttConfig config = config(x, kind, miniBatch, meta);
    BidirectionalTtt module = BidirectionalTtt.fromNamed(config, readAll(f));
    TokenLayout layout =
        TokenLayout.uniform(
            Integer.parseInt(required(meta, "chunks")),
            Integer.parseInt(required(meta, "text_len")),
            Integer.parseInt(required(meta, "video_per_chunk")));
    if (layout.totalTokens() != x.dim(1)) {
      throw new IllegalArgumentException(
          "layout " + layout + " has " + layout.totalTokens() + " tokens, x has " + x.dim(1));
    }
    Tensor out = module.forward(compute, x, layout, QkTransform.IDENTITY);
    return compare(f, "expected.out", out, tol);
  }

  private static TttConfig config(Tensor x, TttKind kind, int miniBatch, Map<String, String> meta) {
    return new TttConfig(
        x.dim(2),
        Integer.parseInt(required(meta, "heads")),
        kind,
        miniBatch,
        Double.parseDouble(required(meta, "base_lr")));
  }

  /** Every F32 tensor of the file that is not an expected value, by name. */
  private static Map<String, Tensor> readAll(SafetensorsFile f) throws IOException {
    Map<String, Tensor> m = new HashMap<>();
    for (String name : f.names()) {
      if (!name.startsWith("expected.")) {
        m.put(name, f.readTensor(name));
      }
    }
    return m;
  }

  private static Comparison compare(SafetensorsFile f, String name, Tensor actual, Tolerance tol)
      throws IOException {
    int[] expectedShape = f.info(name).shape();
    if (!java.util.Arrays.equals(expectedShape, actual.shape())) {
      throw new IllegalStateException(
          name
              + " has shape "
              + java.util.Arrays.toString(expectedShape)
              + ", computed "
              + java.util.Arrays.toString(actual.shape()));
    }
    return Comparison.of(actual.data(), f.readDoubles(name), tol);
  }

  private static String required(Map<String, String> meta, String key) {
    String v = meta.get(key);
    if (v == null) {
      throw new IllegalArgumentException("metadata key '" + key + "' is missing");
    }
    return v;
  }
}
