package org.tttvideo.model.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tttvideo.model.compute.Comparison;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ComputeBackends;
import org.tttvideo.model.compute.Tolerance;
import org.tttvideo.model.compute.naive.NaiveCompute;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.dit.ModelWeights;

/**
 * The generation on the production backends: stepping unit by unit through serialised copies of the
 * state gives the same bytes as {@code generate()}, and the result agrees with the plain test
 * backend to float tolerance.
 */
class BackendGenerationTest {
  private static final GenerationRequest REQUEST =
      new GenerationRequest(List.of("a red fox", "jumps over", "the snow"), "", 99, 1, 6.0);

  @ParameterizedTest
  // nd4j is left out here: its per-call overhead makes the ~10,000 small operations of this run
  // take tens of seconds; the scaling benchmark runs the model on it.
  @ValueSource(strings = {"vector"})
  void serialisedUnitsAreBitIdenticalAndAgreeWithThePlainBackend(String backend)
      throws IOException {
    ModelWeights weights = ModelWeights.init(ModelConfig.tiny(), 21);
    try (Compute compute = ComputeBackends.create(backend)) {
      Generator g = new Generator(compute, weights);
      GeneratedVideo whole = g.generate(REQUEST);
      GenerationState s = g.start(REQUEST);
      while (!g.isDone(s)) {
        s = GenerationStateSerializer.fromBytes(GenerationStateSerializer.toBytes(g.step(s)));
      }
      for (int i = 0; i < 3; i++) {
        assertThat(s.latents().get(i).bitEquals(whole.latents().get(i)))
            .as("latents " + i)
            .isTrue();
      }
      GeneratedVideo plain = new Generator(new NaiveCompute(), weights).generate(REQUEST);
      for (int i = 0; i < 3; i++) {
        Comparison cmp =
            Comparison.of(
                whole.latents().get(i).data(),
                plain.latents().get(i).data(),
                Tolerance.rtol(1e-3).atol(1e-4));
        assertThat(cmp.passed()).as(backend + " latents " + i + ": " + cmp).isTrue();
        Comparison frames =
            Comparison.of(
                whole.frames().get(i).data(),
                plain.frames().get(i).data(),
                Tolerance.rtol(1e-3).atol(1e-4));
        assertThat(frames.passed()).as(backend + " frames " + i + ": " + frames).isTrue();
      }
    }
  }
}
