package org.tttvideo.model.compute.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ComputeContractTest;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttKind;
import org.tttvideo.model.compute.TttScanInput;
import org.tttvideo.model.compute.TttScanResult;
import org.tttvideo.model.compute.TttState;

/**
 * The contract with the default thread count, with one thread and with three; and bit-identical
 * results for any thread count on problems large enough to be split.
 */
class VectorComputeTest extends ComputeContractTest {

  @Override
  protected Compute compute() {
    return new VectorCompute();
  }

  @Nested
  class OneThread extends ComputeContractTest {
    @Override
    protected Compute compute() {
      return new VectorCompute(1);
    }
  }

  @Nested
  class ThreeThreads extends ComputeContractTest {
    @Override
    protected Compute compute() {
      return new VectorCompute(3);
    }
  }

  @Test
  void nameAndThreads() {
    try (VectorCompute v = new VectorCompute(2)) {
      assertThat(v.name()).isEqualTo("vector");
      assertThat(v.threads()).isEqualTo(2);
    }
    assertThatThrownBy(() -> new VectorCompute(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threads")
        .hasMessageContaining("0");
  }

  @Test
  void refusesWorkAfterClose() {
    VectorCompute v = new VectorCompute(2);
    v.close();
    assertThatThrownBy(() -> v.add(Tensor.zeros(2), Tensor.zeros(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void productsAreBitIdenticalForAnyThreadCount() {
    Random rnd = new Random(61);
    Tensor a = randn(rnd, 3, 150, 197);
    Tensor b = randn(rnd, 3, 197, 301);
    Tensor bt = randn(rnd, 3, 301, 197);
    Tensor shared = randn(rnd, 197, 301);
    Tensor w = randn(rnd, 290, 197);
    Tensor bias = randn(rnd, 290);
    assertSameForAnyThreadCount("matmul", c -> c.matmul(a, b, false));
    assertSameForAnyThreadCount("matmul transposeB", c -> c.matmul(a, bt, true));
    assertSameForAnyThreadCount("matmul shared b", c -> c.matmul(a, shared, false));
    assertSameForAnyThreadCount("linear", c -> c.linear(a, w, bias));
  }

  @Test
  void elementWiseAndRowOpsAreBitIdenticalForAnyThreadCount() {
    Random rnd = new Random(62);
    Tensor x = randn(rnd, 3, 517, 301);
    Tensor row = randn(rnd, 301);
    Tensor col = randn(rnd, 3, 517, 1);
    assertSameForAnyThreadCount("gelu", c -> c.gelu(x));
    assertSameForAnyThreadCount("tanh", c -> c.tanh(x));
    assertSameForAnyThreadCount("sigmoid", c -> c.sigmoid(x));
    assertSameForAnyThreadCount("add", c -> c.add(x, row));
    assertSameForAnyThreadCount("mul", c -> c.mul(x, col));
    assertSameForAnyThreadCount("layerNorm", c -> c.layerNorm(x, row, row, 1e-6f));
    assertSameForAnyThreadCount("l2Normalize", c -> c.l2Normalize(x, 1e-12f));
    assertSameForAnyThreadCount("standardize", c -> c.standardize(x, 1e-8f));
    assertSameForAnyThreadCount("softmax", c -> c.softmax(x));
    assertSameForAnyThreadCount("permute", c -> c.permute(x, 2, 0, 1));
  }

  @Test
  void tttScanIsBitIdenticalForAnyThreadCount() {
    for (TttKind kind : TttKind.values()) {
      Random rnd = new Random(63);
      // B=2, H=3, L=64, D=64, M=16: large enough to run in parallel
      int b = 2;
      int h = 3;
      int l = 64;
      int d = 64;
      int f = kind.innerWidth(d);
      Tensor xq = c.l2Normalize(randn(rnd, b, h, l, d), 1e-12f);
      Tensor xk = c.l2Normalize(randn(rnd, b, h, l, d), 1e-12f);
      Tensor xv = randn(rnd, b, h, l, d);
      Tensor eta = c.scale(c.sigmoid(randn(rnd, b, h, l)), 0.1f / d);
      Tensor nw = c.add(c.scale(randn(rnd, h, d), 0.1f), Tensor.vector(1f));
      Tensor nb = c.scale(randn(rnd, h, d), 0.1f);
      TttState s =
          new TttState(
              c.scale(randn(rnd, b, h, d, f), 0.02f),
              Tensor.zeros(b, h, 1, f),
              kind == TttKind.MLP ? c.scale(randn(rnd, b, h, f, d), 0.02f) : null,
              kind == TttKind.MLP ? Tensor.zeros(b, h, 1, d) : null);
      assertSameForAnyThreadCount(
          "tttScan " + kind,
          cc -> scanOutputs(cc.tttScan(new TttScanInput(kind, s, xq, xk, xv, eta, nw, nb, 16))));
    }
  }

  @Test
  void tttScanMlpKeepsW2TheSameBitsEitherWay() {
    // W2 re-made by a transpose, or updated by its own rank-M product: the same bits
    Random rnd = new Random(64);
    int b = 1;
    int h = 2;
    int l = 32;
    int d = 16;
    int f = 4 * d;
    try (Compute c1 = new VectorCompute(1)) {
      Tensor xq = c1.l2Normalize(randn(rnd, b, h, l, d), 1e-12f);
      Tensor xk = c1.l2Normalize(randn(rnd, b, h, l, d), 1e-12f);
      Tensor xv = randn(rnd, b, h, l, d);
      Tensor eta = c1.scale(c1.sigmoid(randn(rnd, b, h, l)), 0.5f / d);
      Tensor nw = c1.add(c1.scale(randn(rnd, h, d), 0.1f), Tensor.vector(1f));
      Tensor nb = c1.scale(randn(rnd, h, d), 0.1f);
      TttState s =
          new TttState(
              c1.scale(randn(rnd, b, h, d, f), 0.3f),
              c1.scale(randn(rnd, b, h, 1, f), 0.3f),
              c1.scale(randn(rnd, b, h, f, d), 0.3f),
              c1.scale(randn(rnd, b, h, 1, d), 0.3f));
      for (int m : new int[] {4, 8, 16}) {
        Tensor[] results = new Tensor[2];
        for (int i = 0; i < 2; i++) {
          try (Parallel par = new Parallel(1)) {
            results[i] =
                scanOutputs(
                    TttScanKernel.scan(
                        par,
                        new java.util.concurrent.ConcurrentLinkedQueue<>(),
                        new TttScanInput(TttKind.MLP, s, xq, xk, xv, eta, nw, nb, m),
                        i == 0));
          }
        }
        assertThat(results[0].bitEquals(results[1]))
            .as("m=%d: W2 by transpose and by its own update", m)
            .isTrue();
      }
    }
  }

  private static Tensor scanOutputs(TttScanResult r) {
    List<Tensor> parts = new ArrayList<>(List.of(r.out(), r.state().w1(), r.state().b1()));
    if (r.state().w2() != null) {
      parts.add(r.state().w2());
      parts.add(r.state().b2());
    }
    int n = parts.stream().mapToInt(Tensor::size).sum();
    float[] all = new float[n];
    int off = 0;
    for (Tensor t : parts) {
      System.arraycopy(t.data(), 0, all, off, t.size());
      off += t.size();
    }
    return Tensor.of(all, n);
  }

  private static void assertSameForAnyThreadCount(String what, Function<Compute, Tensor> op) {
    Tensor reference;
    try (Compute one = new VectorCompute(1)) {
      reference = op.apply(one);
    }
    for (int threads : new int[] {2, 3, 4}) {
      try (Compute many = new VectorCompute(threads)) {
        Tensor t = op.apply(many);
        assertThat(t.bitEquals(reference))
            .as(what + " with " + threads + " threads must equal the one-thread result bit for bit")
            .isTrue();
      }
    }
  }

  @Test
  void failsClearlyWithoutTheVectorModule() throws IOException, InterruptedException {
    // a JVM started without --add-modules jdk.incubator.vector
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                VectorModuleProbe.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(output)
        .as("output of a JVM without the Vector API module")
        .contains("IllegalStateException")
        .contains("--add-modules jdk.incubator.vector");
  }
}
