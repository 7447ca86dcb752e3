package org.tttvideo.compute.nd4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ComputeBackends;

/** With this module on the class path, "nd4j" is found and selectable by name. */
class Nd4jComputeProviderTest {

  @Test
  void theServiceLoaderFindsNd4jBesideTheModelsBackends() {
    assertThat(ComputeBackends.names()).containsExactly("vector", "naive", "nd4j");
    ComputeBackends.check("model.backend", "nd4j"); // no exception
    try (Compute c = ComputeBackends.create("nd4j", 1, -1)) {
      assertThat(c).isInstanceOf(Nd4jCompute.class);
      assertThat(c.name()).isEqualTo("nd4j");
      assertThat(c.device()).isEqualTo("cpu (CpuBackend)");
    }
  }
}
