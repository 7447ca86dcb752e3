package org.tttvideo.model.ttt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tttvideo.model.compute.Comparison;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ComputeBackends;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.Tolerance;
import org.tttvideo.model.compute.TttKind;
import org.tttvideo.model.compute.TttScanInput;
import org.tttvideo.model.compute.TttScanResult;
import org.tttvideo.model.compute.TttState;
import org.tttvideo.model.testutils.SharedTestData;
import org.tttvideo.model.weights.SafetensorsFile;

/** The plain per-token reference against the shared tensors, and the fast scans against it. */
class TttReferenceScanTest {

  @ParameterizedTest
  @ValueSource(strings = {"linear", "mlp"})
  void referenceMatchesTheSharedScanTensors(String kind) throws IOException {
    Path file =
        SharedTestData.resolve("testdata/ttt/scan_" + kind + "_b2_h2_d8_l12_m4.safetensors");
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      boolean mlp = kind.equals("mlp");
      TttScanResult r =
          TttReferenceScan.scan(
              TttScanInputs.read(f, Integer.parseInt(f.metadata().get("mini_batch"))));
      // Computed in double, rounded to float once: far inside the file's float32 tolerance.
      assertClose(r.out(), f.readDoubles("expected.out"), Tolerance.rtol(1e-6).atol(1e-6));
      assertClose(
          r.state().w1(), f.readDoubles("expected.state.W1"), Tolerance.rtol(1e-6).atol(1e-6));
      assertClose(
          r.state().b1(), f.readDoubles("expected.state.b1"), Tolerance.rtol(1e-6).atol(1e-6));
      if (mlp) {
        assertClose(
            r.state().w2(), f.readDoubles("expected.state.W2"), Tolerance.rtol(1e-6).atol(1e-6));
        assertClose(
            r.state().b2(), f.readDoubles("expected.state.b2"), Tolerance.rtol(1e-6).atol(1e-6));
      }
    }
  }

  /** Realistic sizes (D = 64, several mini-batches) and learning rates large enough to matter. */
  @ParameterizedTest
  @CsvSource({"vector, linear, 16", "vector, mlp, 16", "vector, mlp, 64"
    // nd4j: compute-nd4j's TttOnNd4jTest
  })
  void fastScanMatchesTheReference(String backend, String kindName, int miniBatch) {
    checkFastScan(backend, kindName, miniBatch);
  }

  /**
   * The body of {@link #fastScanMatchesTheReference}, also run on other backends by their modules.
   */
  static void checkFastScan(String backend, String kindName, int miniBatch) {
    TttKind kind = TttKind.parse(kindName);
    Random r = new Random(7 + miniBatch);
    int b = 1;
    int h = 3;
    int d = 64;
    int len = 2 * miniBatch + 64;
    TttState s0 = TttTestInputs.state(r, kind, b, h, d, 0.05f);
    Tensor xq = TttTestInputs.unitRows(r, b, h, len, d);
    Tensor xk = TttTestInputs.unitRows(r, b, h, len, d);
    Tensor xv = TttTestInputs.normal(r, 1f, b, h, len, d);
    Tensor eta = TttTestInputs.uniform(r, 0f, 1f / miniBatch, b, h, len);
    Tensor lnW = TttTestInputs.uniform(r, 0.5f, 1.5f, h, d);
    Tensor lnB = TttTestInputs.normal(r, 0.1f, h, d);
    TttScanResult expected =
        TttReferenceScan.scan(
            new TttScanInput(s0.kind(), s0, xq, xk, xv, eta, lnW, lnB, miniBatch));
    // The update must matter, or this comparison would prove little.
    TttScanResult frozen =
        TttReferenceScan.scan(
            new TttScanInput(
                s0.kind(), s0, xq, xk, xv, Tensor.zeros(b, h, len), lnW, lnB, miniBatch));
    assertThat(
            Comparison.of(frozen.out().data(), expected.out().data(), Tolerance.rtol(0).atol(1e-2))
                .passed())
        .as("skipping the inner update moves the output by more than 1e-2")
        .isFalse();
    try (Compute c = ComputeBackends.create(backend)) {
      TttScanResult actual =
          c.tttScan(new TttScanInput(kind, s0, xq, xk, xv, eta, lnW, lnB, miniBatch));
      assertClose(actual.out(), expected.out().data(), Tolerance.rtol(1e-4).atol(2e-5));
      assertClose(
          actual.state().w1(), expected.state().w1().data(), Tolerance.rtol(1e-4).atol(2e-5));
      assertClose(
          actual.state().b1(), expected.state().b1().data(), Tolerance.rtol(1e-4).atol(2e-5));
      if (kind == TttKind.MLP) {
        assertClose(
            actual.state().w2(), expected.state().w2().data(), Tolerance.rtol(1e-4).atol(2e-5));
        assertClose(
            actual.state().b2(), expected.state().b2().data(), Tolerance.rtol(1e-4).atol(2e-5));
      }
    }
  }

  static void assertClose(Tensor actual, double[] expected, Tolerance tol) {
    Comparison c = Comparison.of(actual.data(), expected, tol);
    assertThat(c.passed()).as("%s", c).isTrue();
  }

  static void assertClose(Tensor actual, float[] expected, Tolerance tol) {
    Comparison c = Comparison.of(actual.data(), expected, tol);
    assertThat(c.passed()).as("%s", c).isTrue();
  }
}
