package org.tttvideo.model.ttt;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
  @CsvSource({
    "scan_linear_b2_h2_d8_l12_m4.safetensors, state0.W1",
    "scan_mlp_b2_h2_d8_l12_m4.safetensors, state0.W2",
    "layer_linear_b1_h2_w16_l16_m4.safetensors, wo.weight",
    "layer_mlp_b2_h2_w16_l16_m4.safetensors, W1",
    "bidir_linear_b1_h2_w16_c3_t4_v4_m4.safetensors, backward_ssm_gating_video.gating_alpha",
    "bidir_mlp_b1_h2_w16_c2_t4_v12_m4.safetensors, wv.weight"
  })
  void aParameterPerturbedBy1e3Fails(String file, String parameter, @TempDir Path tmp)
      throws IOException {
    TttVectorCheckTest.checkPerturbedFails(file, parameter, tmp, "nd4j");
  }
}
