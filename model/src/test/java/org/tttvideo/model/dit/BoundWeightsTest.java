package org.tttvideo.model.dit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ForwardingCompute;
import org.tttvideo.model.compute.LinearWeight;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.vector.VectorCompute;
import org.tttvideo.model.config.AttentionScope;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.config.TttMode;

/**
 * Weights bound once at load ({@link LinearWeight}, {@link Compute#linearBound}) give the same bits
 * as the per-call path they replace ({@link Compute#linear} transposing the weight on every call):
 * for single products, and for the whole transformer on {@code tiny}.
 */
class BoundWeightsTest {
  private static final int SEGMENTS = 3;
  private static final VectorCompute VECTOR = new VectorCompute(2);

  @AfterAll
  static void close() {
    VECTOR.close();
  }

  /**
   * The vector backend with its {@code linearBound} override hidden: every bound product takes the
   * interface's default, {@code linear(x, w.weight(), w.bias())}, which transposes per call.
   */
  private static final class PerCallTranspose extends ForwardingCompute {
    PerCallTranspose(Compute d) {
      super(d);
    }

    @Override
    public String name() {
      return "per-call-transpose";
    }

    /** The interface's default, which the vector backend overrides: a transpose per call. */
    @Override
    public Tensor linearBound(Tensor x, LinearWeight w) {
      return linear(x, w.weight(), w.bias());
    }
  }

  private static Tensor random(Random rnd, float std, int... shape) {
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] = (float) (std * rnd.nextGaussian());
    }
    return t;
  }

  @Test
  void boundProductEqualsPerCallProductBitForBit() {
    Random rnd = new Random(3);
    // small (calling thread) and large (split over the pool) problems, with and without a bias
    int[][] sizes = {{1, 7, 37, 19}, {2, 150, 256, 384}};
    for (int[] s : sizes) {
      Tensor x = random(rnd, 1f, s[0], s[1], s[2]); // [B, L, in]
      Tensor w = random(rnd, 0.1f, s[3], s[2]); // [out, in]
      Tensor b = random(rnd, 0.1f, s[3]); // [out]
      for (Tensor bias : new Tensor[] {b, null}) {
        LinearWeight bound = LinearWeight.of("layer", w, bias);
        Tensor perCall = VECTOR.linear(x, w, bias);
        Tensor once = VECTOR.linearBound(x, bound);
        Tensor again = VECTOR.linearBound(x, bound); // the kept transposed matrix, reused
        assertThat(once.shape()).containsExactly(s[0], s[1], s[3]);
        assertThat(once.bitEquals(perCall)).as("sizes %s, bias %s", s, bias != null).isTrue();
        assertThat(again.bitEquals(perCall)).isTrue();
      }
    }
  }

  @Test
  void boundProductRejectsAnInputOfTheWrongWidth() {
    LinearWeight w = LinearWeight.of("attn1.to_q", Tensor.zeros(4, 8), Tensor.zeros(4));
    assertThatThrownBy(() -> VECTOR.linearBound(Tensor.zeros(2, 3, 7), w))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "linearBound: x [2, 3, 7] does not fit LinearWeight[attn1.to_q [4, 8]]: the last dim"
                + " of x must be in = 8");
    assertThatThrownBy(() -> LinearWeight.of("ff.net.2", Tensor.zeros(4, 8), Tensor.zeros(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("linear layer 'ff.net.2': bias must be [out] = [4], got [5]");
  }

  /** Every transformer tensor random, biases and gates included, so every term counts. */
  private static Map<String, Tensor> randomWeights(ModelConfig config, long seed) {
    Random rnd = new Random(seed);
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (Map.Entry<String, int[]> e : DitParameters.shapes(config).entrySet()) {
      m.put(e.getKey(), random(rnd, 0.1f, e.getValue()));
    }
    return m;
  }

  private static List<Tensor> forward(Compute c, ModelConfig config, Map<String, Tensor> weights) {
    Random rnd = new Random(5);
    List<Tensor> latents = new ArrayList<>();
    List<Tensor> text = new ArrayList<>();
    for (int s = 0; s < SEGMENTS; s++) {
      latents.add(
          random(
              rnd,
              1f,
              2,
              config.framesOf(s),
              config.latentChannels(),
              config.latentHeight(),
              config.latentWidth()));
      text.add(random(rnd, 1f, 2, config.textTokens(), config.textDim()));
    }
    return new DiffusionTransformer(config, weights).forward(c, latents, text, 700f);
  }

  @Test
  void transformerWithBoundWeightsEqualsPerCallTransposeBitForBit() {
    ModelConfig segment = ModelConfig.tiny().toBuilder().attention(AttentionScope.SEGMENT).build();
    List<ModelConfig> configs =
        List.of(
            segment,
            segment.toBuilder().ttt(TttMode.LINEAR).build(),
            segment.toBuilder().attention(AttentionScope.FULL).ttt(TttMode.NONE).build());
    for (ModelConfig config : configs) {
      Map<String, Tensor> weights = randomWeights(config, 17);
      List<Tensor> bound = forward(VECTOR, config, weights);
      List<Tensor> perCall = forward(new PerCallTranspose(VECTOR), config, weights);
      assertThat(bound).hasSize(SEGMENTS);
      for (int s = 0; s < SEGMENTS; s++) {
        assertThat(bound.get(s).shape()).containsExactly(perCall.get(s).shape());
        assertThat(bound.get(s).bitEquals(perCall.get(s)))
            .as("%s ttt %s segment %d", config.attention(), config.ttt(), s)
            .isTrue();
        // not vacuous: the prediction is not all zeros
        float max = 0;
        for (float v : bound.get(s).data()) {
          max = Math.max(max, Math.abs(v));
        }
        assertThat(max).isGreaterThan(1e-3f);
      }
    }
  }

  @Test
  void binderRejectsAnUnknownTransformerTensorButLeavesOtherComponentsAlone() {
    ModelConfig tiny = ModelConfig.tiny();
    Map<String, Tensor> m = new LinkedHashMap<>(ModelWeights.init(tiny, 1).tensors());
    m.put("transformer_blocks.0.attn1.to_x.weight", Tensor.zeros(2, 3));
    assertThatThrownBy(() -> new DiffusionTransformer(tiny, m))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unexpected transformer tensor 'transformer_blocks.0.attn1.to_x.weight' with shape"
                + " [2, 3]: preset 'tiny' has no such parameter");
    // the text encoder's and decoder's tensors in the same map are theirs, not unknown
    assertThat(ModelWeights.init(tiny, 1).transformer().config()).isEqualTo(tiny);
  }
}
