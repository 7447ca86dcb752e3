package org.tttvideo.model.compute.naive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;

/**
 * The reference backend against values worked out by hand, so that the contract test, which
 * compares every fast backend with it, rests on something checked independently. Its TTT scan is
 * {@code TttReferenceScan}, checked against the shared reference vectors by {@code
 * TttReferenceScanTest} and, through this backend, by {@code TttVectorCheckTest}.
 */
class NaiveComputeTest {

  private final Compute c = new NaiveCompute();

  @Test
  void linearIsXTimesWTransposedPlusBias() {
    // x [2, 3], w [2 out, 3 in], b [2]
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor w = Tensor.of(new float[] {1, 0, -1, 0.5f, 0.5f, 0.5f}, 2, 3);
    Tensor b = Tensor.of(new float[] {10, 20}, 2);
    Tensor y = c.linear(x, w, b);
    // row 0: 1 - 3 + 10 = 8, (1 + 2 + 3) / 2 + 20 = 23; row 1: 4 - 6 + 10 = 8, 7.5 + 20 = 27.5
    assertThat(y.shape()).containsExactly(2, 2);
    assertThat(y.data()).containsExactly(8f, 23f, 8f, 27.5f);
    assertThat(c.linear(x, w, null).data()).containsExactly(-2f, 3f, -2f, 7.5f);
  }

  @Test
  void matmulPlainTransposedAndWithASharedRightOperand() {
    Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2); // [[1, 2], [3, 4]]
    Tensor b = Tensor.of(new float[] {5, 6, 7, 8}, 2, 2); // [[5, 6], [7, 8]]
    assertThat(c.matmul(a, b, false).data()).containsExactly(19f, 22f, 43f, 50f);
    // a @ bᵀ: [[1*5 + 2*6, 1*7 + 2*8], [3*5 + 4*6, 3*7 + 4*8]]
    assertThat(c.matmul(a, b, true).data()).containsExactly(17f, 23f, 39f, 53f);
    // [2, 2, 2] @ [2, 2]: the second batch entry is 2a
    Tensor batched = Tensor.of(new float[] {1, 2, 3, 4, 2, 4, 6, 8}, 2, 2, 2);
    Tensor y = c.matmul(batched, b, false);
    assertThat(y.shape()).containsExactly(2, 2, 2);
    assertThat(y.data()).containsExactly(19f, 22f, 43f, 50f, 38f, 44f, 86f, 100f);
  }

  @Test
  void normalisationsOverTheLastDim() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4); // mean 2.5
    // biased variance 1.25; (x - 2.5) / sqrt(1.25)
    float[] ln = c.layerNorm(x, null, null, 0f).data();
    double s = Math.sqrt(1.25);
    assertThat(ln[0]).isCloseTo((float) (-1.5 / s), within(1e-7f));
    assertThat(ln[3]).isCloseTo((float) (1.5 / s), within(1e-7f));
    Tensor w = Tensor.of(new float[] {2, 2, 2, 2}, 4);
    Tensor b = Tensor.of(new float[] {1, 1, 1, 1}, 4);
    assertThat(c.layerNorm(x, w, b, 0f).data()[0]).isCloseTo((float) (1 - 3 / s), within(1e-6f));
    // unbiased std: sqrt(5 / 3); eps outside the root
    float[] st = c.standardize(x, 0.5f).data();
    assertThat(st[0]).isCloseTo((float) (-1.5 / (Math.sqrt(5.0 / 3) + 0.5)), within(1e-7f));
    // 3-4-5 triangle; a zero row stays zero (norm clamped to eps)
    Tensor v = Tensor.of(new float[] {3, 4, 0, 0}, 2, 2);
    assertThat(c.l2Normalize(v, 1e-12f).data()).containsExactly(0.6f, 0.8f, 0f, 0f);
  }

  @Test
  void softmaxSubtractsTheMaximum() {
    Tensor x = Tensor.of(new float[] {0, (float) Math.log(3), 1000, 1000}, 2, 2);
    // e^0 : e^ln3 = 1 : 3; two equal huge logits give halves instead of NaN
    float[] y = c.softmax(x).data();
    assertThat(y[0]).isCloseTo(0.25f, within(1e-7f));
    assertThat(y[1]).isCloseTo(0.75f, within(1e-7f));
    assertThat(y[2]).isEqualTo(0.5f);
    assertThat(y[3]).isEqualTo(0.5f);
  }

  @Test
  void elementWiseFunctions() {
    Tensor x = Tensor.of(new float[] {0, 1, -1}, 3);
    // GELU (tanh form) at 1: 0.5 (1 + tanh(sqrt(2 / pi) 1.044715)) = 0.841192
    float[] g = c.gelu(x).data();
    assertThat(g[0]).isZero();
    assertThat(g[1]).isCloseTo(0.841192f, within(1e-6f));
    assertThat(g[2]).isCloseTo(-0.158808f, within(1e-6f));
    assertThat(c.tanh(x).data()[1]).isCloseTo(0.7615942f, within(1e-7f));
    float[] sg = c.sigmoid(x).data();
    assertThat(sg[0]).isEqualTo(0.5f);
    assertThat(sg[1]).isCloseTo(0.7310586f, within(1e-7f));
    assertThat(sg[2]).isCloseTo(0.2689414f, within(1e-7f));
    assertThat(c.scale(x, -2f).data()).containsExactly(-0f, -2f, 2f);
  }

  @Test
  void binaryOpsBroadcastFromTheRight() {
    Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor row = Tensor.of(new float[] {10, 20, 30}, 3);
    Tensor col = Tensor.of(new float[] {1, 2}, 2, 1);
    assertThat(c.add(a, row).data()).containsExactly(11f, 22f, 33f, 14f, 25f, 36f);
    assertThat(c.sub(a, col).data()).containsExactly(0f, 1f, 2f, 2f, 3f, 4f);
    assertThat(c.mul(a, col).data()).containsExactly(1f, 2f, 3f, 8f, 10f, 12f);
  }

  @Test
  void permuteAndGather() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor t = c.permute(x, 1, 0);
    assertThat(t.shape()).containsExactly(3, 2);
    assertThat(t.data()).containsExactly(1f, 4f, 2f, 5f, 3f, 6f);
    Tensor g = c.gather(x, 1, new int[] {2, 0, 0});
    assertThat(g.shape()).containsExactly(2, 3);
    assertThat(g.data()).containsExactly(3f, 1f, 1f, 6f, 4f, 4f);
    assertThat(c.gather(x, 0, new int[] {1}).data()).containsExactly(4f, 5f, 6f);
  }
}
