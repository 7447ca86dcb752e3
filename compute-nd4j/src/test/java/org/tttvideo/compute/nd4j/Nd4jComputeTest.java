package org.tttvideo.compute.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tttvideo.model.compute.Comparison;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ComputeContractTest;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.Tolerance;
import org.tttvideo.model.compute.TttKind;
import org.tttvideo.model.compute.TttScanInput;
import org.tttvideo.model.compute.TttScanResult;
import org.tttvideo.model.ttt.TttReferenceScan;
import org.tttvideo.model.ttt.TttScanInputs;

/**
 * The {@code nd4j} backend against the compute contract, plus what the contract does not cover:
 * ND4J's setup, the GELU derivative kernel, sizes where ND4J's slicing and batching have corner
 * cases (one head, one token per mini-batch, one mini-batch), and empty dimensions.
 */
class Nd4jComputeTest extends ComputeContractTest {

  @Override
  protected Compute compute() {
    return new Nd4jCompute();
  }

  @Test
  void aGpuIndexOnTheCpuBuildOfNd4jComputesOnTheCpuAndSaysSo() {
    // The CPU build has no accelerator to bind; a GPU task manager runs ND4J's CUDA build.
    assertThat(new Nd4jCompute(0).device()).isEqualTo("cpu (CpuBackend)");
    assertThat(new Nd4jCompute().device()).isEqualTo("cpu (CpuBackend)");
    assertThat(org.tttvideo.model.compute.ComputeBackends.create("vector", 1, 0).device())
        .isEqualTo("cpu");
  }

  @Test
  void nameIsNd4j() {
    assertThat(c.name()).isEqualTo("nd4j");
  }

  @Test
  void constructionPinsNd4jsClassLoaderAndFloat32() throws Exception {
    // STACK.md §8.3: ND4J must not keep a Flink user-code loader that is closed later.
    Thread thread = Thread.currentThread();
    ClassLoader original = thread.getContextClassLoader();
    try (URLClassLoader userCode = new URLClassLoader(new URL[0], original)) {
      thread.setContextClassLoader(userCode);
      ND4JClassLoading.setNd4jClassloader(userCode);
      new Nd4jCompute().close();
      assertThat(ND4JClassLoading.getNd4jClassloader()).isSameAs(Nd4j.class.getClassLoader());
      assertThat(Nd4j.dataType()).isEqualTo(DataType.FLOAT);
    } finally {
      thread.setContextClassLoader(original);
    }
  }

  @Test
  void geluDerivativeMatchesTheAnalyticForm() {
    float[] xs = {-30f, -6f, -2f, -0.5f, -1e-6f, 0f, 1e-6f, 0.5f, 2f, 6f, 30f};
    INDArray x = Nd4j.create(xs, new long[] {xs.length}, 'c');
    float[] y = Nd4jCompute.geluDerivative(x).toFloatVector();
    double[] expected = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      expected[i] = geluGradRef(xs[i]);
    }
    assertComparison("gelu'", Comparison.of(y, expected, Tolerance.rtol(RTOL).atol(ATOL)));
    assertThat(x.toFloatVector()).as("input unchanged").isEqualTo(xs);
  }

  @Test
  void tttScanAtCornerSizesMatchesReferenceScan() {
    int[][] sizes = {
      // B, H, D, L, M
      {1, 1, 4, 3, 1}, // one head, one token per mini-batch
      {1, 2, 5, 6, 6}, // one mini-batch, odd D
      {3, 1, 3, 4, 2}, // one head, several batch entries
      {2, 3, 8, 64, 16},
    };
    Random rnd = new Random(61);
    for (TttKind kind : TttKind.values()) {
      for (int[] s : sizes) {
        TttScanInput p = TttScanInputs.random(kind, rnd, s[0], s[1], s[2], s[3], s[4]);
        TttScanResult r = c.tttScan(p);
        TttScanResult ref = TttReferenceScan.scan(p);
        String what = kind + " B,H,D,L,M=" + Arrays.toString(s);
        assertScan(what + " out", r.out(), ref.out());
        assertScan(what + " w1", r.state().w1(), ref.state().w1());
        assertScan(what + " b1", r.state().b1(), ref.state().b1());
        if (kind == TttKind.MLP) {
          assertScan(what + " w2", r.state().w2(), ref.state().w2());
          assertScan(what + " b2", r.state().b2(), ref.state().b2());
        }
      }
    }
  }

  @Test
  void tttScanIsDeterministic() {
    // Operators restore from checkpoints and must reproduce the same bytes.
    TttScanInput p = TttScanInputs.random(TttKind.MLP, new Random(62), 2, 3, 8, 32, 8);
    TttScanResult a = c.tttScan(p);
    TttScanResult b = c.tttScan(p);
    assertThat(a.out().bitEquals(b.out())).isTrue();
    assertThat(a.state().w2().bitEquals(b.state().w2())).isTrue();
  }

  @Test
  void tttScanOfNoTokensKeepsTheState() {
    TttScanInput p = TttScanInputs.random(TttKind.LINEAR, new Random(63), 2, 3, 4, 0, 4);
    TttScanResult r = c.tttScan(p);
    assertShape(r.out(), 2, 3, 0, 4);
    assertThat(r.state().w1().bitEquals(p.state().w1())).isTrue();
  }

  @Test
  void threadsSharingOneBackendGetTheResultsOfOneThread() throws Exception {
    // Each thread has its own workspaces; sizes on both sides of the workspace limit.
    Random rnd = new Random(65);
    Tensor small = randn(rnd, 16, 64);
    Tensor large = randn(rnd, 600, 500);
    Tensor w = randn(rnd, 64, 64);
    Tensor expectedSmall = c.layerNorm(c.matmul(small, w, true), null, null, 1e-6f);
    Tensor expectedLarge = c.softmax(large);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(
            pool.submit(
                () -> {
                  boolean same = true;
                  for (int i = 0; i < 20; i++) {
                    Tensor s = c.layerNorm(c.matmul(small, w, true), null, null, 1e-6f);
                    same &= s.bitEquals(expectedSmall);
                  }
                  return same && c.softmax(large).bitEquals(expectedLarge);
                }));
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void emptyDimensionsGiveEmptyOrZeroResults() {
    assertShape(c.matmul(Tensor.zeros(2, 0, 3), Tensor.zeros(3, 4), false), 2, 0, 4);
    Tensor noK = c.matmul(Tensor.zeros(2, 3, 0), Tensor.zeros(2, 0, 4), false);
    assertShape(noK, 2, 3, 4);
    assertThat(noK.data()).containsOnly(0f);
    Tensor bias = Tensor.vector(1f, 2f);
    Tensor noIn = c.linear(Tensor.zeros(3, 0), Tensor.zeros(2, 0), bias);
    assertThat(noIn.data()).containsExactly(1f, 2f, 1f, 2f, 1f, 2f);
    assertShape(c.gather(Tensor.zeros(2, 5), 1, new int[0]), 2, 0);
    assertShape(c.softmax(Tensor.zeros(0, 7)), 0, 7);
    assertShape(c.add(Tensor.zeros(0, 7), Tensor.zeros(7)), 0, 7);
  }

  @Test
  void matmulSharesARightOperandWithLeadingOnes() {
    Random rnd = new Random(64);
    Tensor a = randn(rnd, 2, 3, 5, 7);
    Tensor b = randn(rnd, 1, 7, 4);
    Tensor viaOnes = c.matmul(a, b, false);
    Tensor viaMatrix = c.matmul(a, b.reshape(7, 4), false);
    assertShape(viaOnes, 2, 3, 5, 4);
    assertThat(viaOnes.bitEquals(viaMatrix)).isTrue();
  }

  @Test
  void nullArgumentsAreNamed() {
    Tensor x = Tensor.zeros(2, 3);
    assertThatThrownBy(() -> c.linear(x, null, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("w");
    assertThatThrownBy(() -> c.add(x, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("b");
    assertThatThrownBy(() -> c.gather(x, 0, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("index");
  }

  private static void assertScan(String what, Tensor actual, Tensor expected) {
    assertShape(actual, expected.shape());
    assertComparison(
        what, Comparison.of(actual.data(), expected.data(), Tolerance.rtol(1e-4).atol(2e-5)));
  }
}
