package org.tttvideo.model.ttt;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The model's TTT tests on the {@code nd4j} backend: the same bodies as the model's {@code
 * TttLayerTest}, {@code TttReferenceScanTest} and {@code TttVectorCheckTest} (which run them on the
 * backends that come with the model), with ND4J's tolerances where its BLAS rounds otherwise. It
 * lives in the model's test package to reach their package-private helpers.
 */
class TttOnNd4jTest {

  /** ND4J's BLAS may pick other kernels for other sizes: float32 round-off, not bit identity. */
  @ParameterizedTest
  @CsvSource({"mlp", "linear"})
  void scanningSegmentBySegmentEqualsOneScanInBothDirections(String kind) {
    TttLayerTest.checkSegmentBySegment("nd4j", kind, false);
  }

  @Test
  void withAllGatesAtZeroTheStepIsTheIdentity() {
    TttLayerTest.checkGatesAtZero("nd4j");
  }

  @ParameterizedTest
  @CsvSource({"linear, 16", "mlp, 16", "mlp, 64"})
  void fastScanMatchesTheReference(String kind, int miniBatch) {
    TttReferenceScanTest.checkFastScan("nd4j", kind, miniBatch);
  }

  @Test
  void everyReferenceFilePassesThroughTheCommand() throws IOException {
    TttVectorCheckTest.checkCommand("nd4j");
  }

  @Test
  void everyReferenceFilePassesThroughTheCheckApi() throws IOException {
    TttVectorCheckTest.checkApi("nd4j");
  }

  @ParameterizedTest
  @MethodSource("org.tttvideo.model.ttt.TttVectorCheckTest#perturbations")
  void aParameterPerturbedBy1e3Fails(String file, String parameter, @TempDir Path tmp)
      throws IOException {
    TttVectorCheckTest.checkPerturbedFails(file, parameter, tmp, "nd4j");
  }
}
