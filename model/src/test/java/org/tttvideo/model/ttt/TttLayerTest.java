package org.tttvideo.model.ttt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tttvideo.model.compute.Comparison;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ComputeBackends;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.Tolerance;
import org.tttvideo.model.compute.TttKind;
import org.tttvideo.model.compute.TttState;

/** The layer's explicit state: scanning in pieces equals one scan; the gated wiring. */
class TttLayerTest {

  private static TttLayer layer(TttKind kind, int width, int heads, int miniBatch, long seed) {
    TttConfig config = new TttConfig(width, heads, kind, miniBatch, 1.0);
    return new TttLayer(config, TttParams.init(config, new Random(seed)));
  }

  /**
   * Segments of different lengths (multiples of the mini-batch), read in the forward and in the
   * backward order of a layout, one piece at a time with the state carried, equal one scan over the
   * whole sequence. The vector backend gives the same bits; ND4J's BLAS may pick other kernels for
   * other sizes, so it is held to float32 round-off.
   */
  @ParameterizedTest
  @CsvSource({"vector, mlp, true", "vector, linear, true"
    // nd4j, not bit-identical: compute-nd4j's TttOnNd4jTest
  })
  void scanningSegmentBySegmentEqualsOneScanInBothDirections(
      String backend, String kindName, boolean bitIdentical) {
    checkSegmentBySegment(backend, kindName, bitIdentical);
  }

  /**
   * The body of {@link #scanningSegmentBySegmentEqualsOneScanInBothDirections}, also run on other
   * backends by their modules.
   */
  static void checkSegmentBySegment(String backend, String kindName, boolean bitIdentical) {
    int m = 4;
    TttLayer layer = layer(TttKind.parse(kindName), 32, 4, m, 11);
    TokenLayout layout = new TokenLayout(new int[] {4, 8, 4}, new int[] {12, 8, 16});
    Tensor x = TttTestInputs.normal(new Random(3), 1f, 2, layout.totalTokens(), 32);
    try (Compute c = ComputeBackends.create(backend)) {
      for (boolean backward : new boolean[] {false, true}) {
        int[] order = backward ? layout.backwardOrder() : layout.forwardOrder();
        Tensor seq = c.gather(x, 1, order);
        TttLayer.Result whole = layer.forward(c, layer.initialState(2), seq, QkTransform.IDENTITY);

        TttState state = layer.initialState(2);
        float[] pieces = new float[whole.out().size()];
        int offset = 0;
        int[] segmentOrder = backward ? new int[] {2, 1, 0} : new int[] {0, 1, 2};
        for (int s : segmentOrder) {
          int len = layout.textLens()[s] + layout.videoLens()[s];
          int[] idx = new int[len];
          for (int i = 0; i < len; i++) {
            idx[i] = offset + i;
          }
          TttLayer.Result piece =
              layer.forward(c, state, c.gather(seq, 1, idx), QkTransform.IDENTITY);
          state = piece.state();
          for (int b = 0; b < 2; b++) {
            System.arraycopy(
                piece.out().data(),
                b * len * 32,
                pieces,
                (b * layout.totalTokens() + offset) * 32,
                len * 32);
          }
          offset += len;
        }
        Tensor piecewise = Tensor.of(pieces, whole.out().shape());
        String what = backend + " " + kindName + (backward ? " backward" : " forward");
        if (bitIdentical) {
          assertThat(piecewise.bitEquals(whole.out())).as(what + " output").isTrue();
          assertThat(state.w1().bitEquals(whole.state().w1())).as(what + " state").isTrue();
        } else {
          Comparison cmp =
              Comparison.of(piecewise.data(), whole.out().data(), Tolerance.rtol(1e-5).atol(1e-6));
          assertThat(cmp.passed()).as(what + " output: " + cmp).isTrue();
          Comparison st =
              Comparison.of(
                  state.w1().data(), whole.state().w1().data(), Tolerance.rtol(1e-5).atol(1e-6));
          assertThat(st.passed()).as(what + " state: " + st).isTrue();
        }
      }
    }
  }

  @Test
  void theStateCarriesInformation() {
    // Guard for the test above: a piece read from the initial state instead of the carried one
    // gives another output, so carrying the state is observable.
    TttLayer layer = layer(TttKind.MLP, 32, 4, 4, 11);
    Tensor x = TttTestInputs.normal(new Random(3), 1f, 1, 16, 32);
    try (Compute c = ComputeBackends.create("vector")) {
      TttLayer.Result first = layer.forward(c, layer.initialState(1), x, QkTransform.IDENTITY);
      Tensor fromCarried = layer.forward(c, first.state(), x, QkTransform.IDENTITY).out();
      Tensor fromInitial = layer.forward(c, layer.initialState(1), x, QkTransform.IDENTITY).out();
      assertThat(
              Comparison.of(fromCarried.data(), fromInitial.data(), Tolerance.rtol(0).atol(1e-4))
                  .passed())
          .isFalse();
    }
  }

  @Test
  void layoutOrdersInterleaveAndReverse() {
    // text: segment 0 = [0, 1], segment 1 = [2, 3]; video: segment 0 = [4, 5, 6], segment 1 = [7,
    // 8]
    TokenLayout layout = new TokenLayout(new int[] {2, 2}, new int[] {3, 2});
    assertThat(layout.forwardOrder()).containsExactly(0, 1, 4, 5, 6, 2, 3, 7, 8);
    assertThat(layout.backwardOrder()).containsExactly(2, 3, 8, 7, 0, 1, 6, 5, 4);
    int[] inv = TokenLayout.inverse(layout.backwardOrder());
    for (int p = 0; p < inv.length; p++) {
      assertThat(layout.backwardOrder()[inv[p]]).isEqualTo(p);
    }
  }

  @ParameterizedTest
  @CsvSource({"vector", "naive"}) // nd4j: compute-nd4j's TttOnNd4jTest
  void withAllGatesAtZeroTheStepIsTheIdentity(String backend) {
    checkGatesAtZero(backend);
  }

  /**
   * The body of {@link #withAllGatesAtZeroTheStepIsTheIdentity}, also run on other backends by
   * their modules.
   */
  static void checkGatesAtZero(String backend) {
    TttLayer layer = layer(TttKind.MLP, 16, 2, 4, 5);
    Tensor zero = Tensor.zeros(16);
    BidirectionalTtt closed = new BidirectionalTtt(layer, zero, zero, zero, zero);
    TokenLayout layout = TokenLayout.uniform(2, 4, 8);
    Tensor x = TttTestInputs.normal(new Random(9), 1f, 1, layout.totalTokens(), 16);
    try (Compute c = ComputeBackends.create(backend)) {
      Tensor y = closed.forward(c, x, layout, QkTransform.IDENTITY);
      assertThat(y.bitEquals(x)).isTrue();
      // and with the reference's initial gates the step does change x
      Tensor open =
          BidirectionalTtt.withInitialGates(layer).forward(c, x, layout, QkTransform.IDENTITY);
      assertThat(Comparison.of(open.data(), x.data(), Tolerance.rtol(0).atol(1e-3)).passed())
          .isFalse();
    }
  }

  @Test
  void rejectsAPieceThatIsNotAMultipleOfTheMiniBatch() {
    TttLayer layer = layer(TttKind.LINEAR, 16, 2, 4, 5);
    Tensor x = Tensor.zeros(1, 6, 16);
    try (Compute c = ComputeBackends.create("vector")) {
      assertThatThrownBy(() -> layer.forward(c, layer.initialState(1), x, QkTransform.IDENTITY))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("tokens 6 must be a multiple of the TTT mini-batch 4");
    }
  }

  @Test
  void paramsRejectAMissingOrMisshapenTensorByName() {
    TttConfig config = new TttConfig(16, 2, TttKind.MLP, 4, 1.0);
    var named = new java.util.HashMap<>(TttParams.init(config, new Random(1)).toNamedTensors());
    named.remove("W2");
    assertThatThrownBy(() -> TttParams.fromNamed(config, named))
        .hasMessage("missing TTT parameter 'W2'");
    named.put("W2", Tensor.zeros(2, 8, 32));
    assertThatThrownBy(() -> TttParams.fromNamed(config, named))
        .hasMessage(
            "TTT parameter 'W2' must have shape "
                + Arrays.toString(new int[] {2, 32, 8})
                + ", got [2, 8, 32]");
  }
}
