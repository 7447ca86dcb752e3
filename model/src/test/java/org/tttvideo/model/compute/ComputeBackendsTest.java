package org.tttvideo.model.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.naive.NaiveCompute;
import org.tttvideo.model.compute.vector.VectorCompute;

/** Backends are found through ServiceLoader; the model alone brings "vector" and "naive". */
class ComputeBackendsTest {

  @Test
  void theModelRegistersVectorAndNaiveAndTheDefaultComesFirst() {
    assertThat(ComputeBackends.names()).containsExactly("vector", "naive");
    try (Compute v = ComputeBackends.create(" Vector ", 2);
        Compute n = ComputeBackends.create("naive")) {
      assertThat(v).isInstanceOf(VectorCompute.class);
      assertThat(n).isInstanceOf(NaiveCompute.class);
      assertThat(n.name()).isEqualTo("naive");
    }
  }

  @Test
  void nd4jWithoutItsModuleFailsNamingTheOptionTheModuleAndTheBackendsFound() {
    assertThatThrownBy(() -> ComputeBackends.check("model.backend", "nd4j"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "model.backend is 'nd4j', but that backend is not on the class path (it comes with"
                + " the module ttt-video-compute-nd4j); backends found are vector, naive");
    assertThatThrownBy(() -> ComputeBackends.create("nd4j"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("compute backend is 'nd4j', but that backend is not on the class");
  }

  @Test
  void anUnknownNameFailsNamingTheOptionAndTheBackendsFound() {
    assertThatThrownBy(() -> ComputeBackends.check("--backend", "cuda"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--backend is 'cuda'; allowed are vector, naive");
    assertThatThrownBy(() -> ComputeBackends.create(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("compute backend is 'null'; allowed are vector, naive");
  }
}
