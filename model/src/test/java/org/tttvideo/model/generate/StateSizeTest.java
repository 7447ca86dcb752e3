package org.tttvideo.model.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TensorIo;
import org.tttvideo.model.compute.naive.NaiveCompute;
import org.tttvideo.model.config.AttentionScope;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.config.TttMode;
import org.tttvideo.model.dit.ModelWeights;

class StateSizeTest {

  @Test
  void countsATensorAsItsWrittenBytes() throws IOException {
    Tensor t = Tensor.zeros(2, 3, 5);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TensorIo.writeTensor(new DataOutputStream(bytes), t);
    GenerationRequest request = new GenerationRequest(List.of("a fox"), "", 1, 1, 6.0);
    ModelConfig tiny = ModelConfig.tiny();
    GenerationState state =
        new Generator(new NaiveCompute(), ModelWeights.init(tiny, 3)).start(request);
    long expected = 0;
    for (Tensor x : state.text()) {
      expected += written(x);
    }
    for (Tensor x : state.latents()) {
      expected += written(x);
    }
    assertThat(StateSize.of(state)).isEqualTo(expected);
    assertThat(written(t)).isEqualTo(bytes.size()).isEqualTo(4 + 3 * 4 + 30 * 4);
  }

  /** The estimate is the peak a generation reaches, measured after every unit of one. */
  @ParameterizedTest
  @ValueSource(strings = {"segment", "full", "sliding:2"})
  void peakEstimateIsThePeakOfARealGeneration(String scope) {
    ModelConfig tiny =
        ModelConfig.tiny().toBuilder().attention(AttentionScope.parse(scope)).build();
    if (!scope.equals("segment")) {
      tiny = tiny.toBuilder().ttt(TttMode.NONE).build();
    }
    GenerationRequest request =
        new GenerationRequest(
            List.of("a fox runs", "the fox jumps", "it sleeps"), "dark", 7, 2, 6.0);
    try (Generator g = new Generator(new NaiveCompute(), ModelWeights.init(tiny, 3))) {
      GenerationState s = g.start(request);
      long peak = StateSize.of(s);
      while (!g.isDone(s)) {
        s = g.step(s);
        peak = Math.max(peak, StateSize.of(s));
      }
      assertThat(StateSize.peakEstimate(tiny, 3)).isEqualTo(peak);
    }
  }

  private static long written(Tensor t) {
    return 4 + 4L * t.rank() + 4L * t.size();
  }
}
