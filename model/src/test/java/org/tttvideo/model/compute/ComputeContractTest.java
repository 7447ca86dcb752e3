package org.tttvideo.model.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.naive.NaiveCompute;
import org.tttvideo.model.testutils.SharedTestData;
import org.tttvideo.model.ttt.TttReferenceScan;
import org.tttvideo.model.ttt.TttScanInputs;

/**
 * The contract every {@link Compute} backend passes: each operation against the reference backend
 * {@link NaiveCompute} (plain loops, sums in double), and {@link Compute#tttScan} against the
 * double-precision reference {@link TttReferenceScan} and against the shared reference vectors.
 *
 * <p>A backend's test extends this class and implements {@link #compute()}:
 *
 * <pre>{@code
 * class MyComputeTest extends ComputeContractTest {
 *   @Override
 *   protected Compute compute() {
 *     return new MyCompute();
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #compute()} is called once per test and the instance is closed after the test.
 *
 * <p>Besides the numbers, the contract asserts that no operation writes into its inputs, that the
 * result has the documented shape, and that a bad shape raises an {@link IllegalArgumentException}
 * whose message contains the offending shapes as {@link Arrays#toString(int[])} writes them (for
 * example {@code [3, 7]}).
 *
 * <p>Sizes are chosen not to be multiples of any vector length (1, 7, 33, 130) so that tails and
 * remainders are exercised.
 */
public abstract class ComputeContractTest {

  /** float32 results against double references. */
  protected static final double ATOL = 1e-5;

  protected static final double RTOL = 1e-4;

  /** The TTT scan: the tolerance of the shared reference vectors ({@code testdata/ttt}). */
  protected static final double SCAN_ATOL = 2e-5;

  protected static final double SCAN_RTOL = 1e-4;

  /**
   * The reference every operation is compared with: plain loops, sums in double ({@link
   * NaiveCompute}, itself checked by {@code NaiveComputeTest} against hand-computed values).
   */
  protected static final Compute NAIVE = new NaiveCompute();

  /** A new backend for one test; the test closes it. */
  protected abstract Compute compute();

  protected Compute c;

  @BeforeEach
  void openBackend() {
    c = compute();
  }

  @AfterEach
  void closeBackend() {
    if (c != null) {
      c.close();
    }
  }

  // ================================================================ products

  @Test
  void linearMatchesNaiveLoops() {
    Random rnd = new Random(11);
    int[][] cases = {
      // x shape..., in, out
      {1, 1, 1},
      {7, 33, 130},
      {130, 7, 1},
      {2, 7, 33, 130},
      {3, 1, 130, 7},
      {130, 130, 129},
      {2, 65, 257, 33},
    };
    for (int[] cs : cases) {
      int in = cs[cs.length - 2];
      int out = cs[cs.length - 1];
      int[] xShape = Arrays.copyOf(cs, cs.length - 1);
      for (boolean withBias : new boolean[] {true, false}) {
        Tensor x = randn(rnd, xShape);
        Tensor w = randn(rnd, out, in);
        Tensor b = withBias ? randn(rnd, out) : null;
        Inputs inputs = Inputs.of(x, w, b);
        Tensor y = c.linear(x, w, b);
        inputs.assertUnchanged("linear");
        int[] yShape = xShape.clone();
        yShape[yShape.length - 1] = out;
        assertShape(y, yShape);
        double[] expected = toDouble(NAIVE.linear(x, w, b));
        assertClose(
            "linear x" + Arrays.toString(xShape) + " w[" + out + ", " + in + "] bias=" + withBias,
            y,
            expected);
      }
    }
  }

  @Test
  void matmulMatchesNaiveLoops() {
    Random rnd = new Random(12);
    int[][] mkn = {
      {1, 1, 1}, {7, 33, 130}, {33, 7, 1}, {130, 33, 7}, {1, 130, 33}, {130, 130, 130}
    };
    int[][] batches = {{}, {3}, {2, 3}};
    for (int[] s : mkn) {
      for (int[] batch : batches) {
        for (boolean transposeB : new boolean[] {false, true}) {
          checkMatmul(rnd, batch, batch, s[0], s[1], s[2], transposeB);
        }
      }
    }
  }

  @Test
  void matmulWithSharedRightOperand() {
    Random rnd = new Random(13);
    for (boolean transposeB : new boolean[] {false, true}) {
      // a [2, 3, M, K] @ b [K, N]: b is one matrix shared by every batch entry
      checkMatmul(rnd, new int[] {2, 3}, new int[] {}, 7, 33, 130, transposeB);
      checkMatmul(rnd, new int[] {5}, new int[] {}, 130, 7, 33, transposeB);
      checkMatmul(rnd, new int[] {4}, new int[] {}, 1, 1, 1, transposeB);
    }
  }

  private void checkMatmul(
      Random rnd, int[] batchA, int[] batchB, int m, int k, int n, boolean transposeB) {
    Tensor a = randn(rnd, concat(batchA, m, k));
    Tensor b = randn(rnd, transposeB ? concat(batchB, n, k) : concat(batchB, k, n));
    Inputs inputs = Inputs.of(a, b);
    Tensor y = c.matmul(a, b, transposeB);
    inputs.assertUnchanged("matmul");
    assertShape(y, concat(batchA, m, n));
    double[] expected = toDouble(NAIVE.matmul(a, b, transposeB));
    assertClose(
        "matmul a"
            + Arrays.toString(a.shape())
            + " b"
            + Arrays.toString(b.shape())
            + " transposeB="
            + transposeB,
        y,
        expected);
  }

  // ================================================================ normalisations

  @Test
  void layerNormMatchesNaiveLoops() {
    Random rnd = new Random(21);
    for (int[] shape : new int[][] {{1, 1}, {7}, {3, 33}, {2, 5, 130}, {130, 7}}) {
      int cols = shape[shape.length - 1];
      for (boolean affine : new boolean[] {true, false}) {
        Tensor x = offset(randn(rnd, shape), 3f);
        Tensor w = affine ? randn(rnd, cols) : null;
        Tensor b = affine ? randn(rnd, cols) : null;
        float eps = 1e-6f;
        Inputs inputs = Inputs.of(x, w, b);
        Tensor y = c.layerNorm(x, w, b, eps);
        inputs.assertUnchanged("layerNorm");
        assertShape(y, shape);
        double[] expected = toDouble(NAIVE.layerNorm(x, w, b, eps));
        assertClose("layerNorm " + Arrays.toString(shape) + " affine=" + affine, y, expected);
      }
    }
  }

  @Test
  void l2NormalizeMatchesNaiveLoops() {
    Random rnd = new Random(22);
    for (int[] shape : new int[][] {{1, 1}, {7}, {3, 33}, {2, 5, 130}}) {
      Tensor x = randn(rnd, shape);
      int cols = shape[shape.length - 1];
      // one all-zero row: the norm is clamped to eps, the row stays zero
      Arrays.fill(x.data(), 0, cols, 0f);
      float eps = 1e-12f;
      Inputs inputs = Inputs.of(x);
      Tensor y = c.l2Normalize(x, eps);
      inputs.assertUnchanged("l2Normalize");
      assertShape(y, shape);
      double[] expected = toDouble(NAIVE.l2Normalize(x, eps));
      assertClose("l2Normalize " + Arrays.toString(shape), y, expected);
    }
  }

  @Test
  void standardizeUsesUnbiasedStdWithEpsOutsideTheRoot() {
    Random rnd = new Random(23);
    for (int[] shape : new int[][] {{2}, {7}, {3, 33}, {2, 5, 130}}) {
      Tensor x = offset(randn(rnd, shape), -2f);
      int cols = shape[shape.length - 1];
      float eps = 1e-8f;
      Inputs inputs = Inputs.of(x);
      Tensor y = c.standardize(x, eps);
      inputs.assertUnchanged("standardize");
      assertShape(y, shape);
      double[] expected = toDouble(NAIVE.standardize(x, eps));
      assertClose("standardize " + Arrays.toString(shape), y, expected);
    }
  }

  @Test
  void softmaxMatchesNaiveLoopsAndSurvivesLargeLogits() {
    Random rnd = new Random(24);
    for (int[] shape : new int[][] {{1, 1}, {7}, {3, 33}, {2, 5, 130}}) {
      Tensor x = randn(rnd, shape);
      // large logits: exp overflows without the max subtraction
      x.data()[0] = 200f;
      x.data()[x.size() - 1] = -150f;
      int cols = shape[shape.length - 1];
      Inputs inputs = Inputs.of(x);
      Tensor y = c.softmax(x);
      inputs.assertUnchanged("softmax");
      assertShape(y, shape);
      double[] expected = toDouble(NAIVE.softmax(x));
      assertClose("softmax " + Arrays.toString(shape), y, expected);
    }
  }

  // ================================================================ element-wise

  @Test
  void unaryFunctionsMatchNaiveLoops() {
    Random rnd = new Random(31);
    for (int[] shape : new int[][] {{1}, {7}, {3, 33}, {2, 5, 130}}) {
      Tensor x = randn(rnd, shape);
      for (int i = 0; i < x.size(); i++) {
        x.data()[i] *= 4f;
      }
      float[] extremes = {0f, -0f, 30f, -30f, 88f, -88f, 1e-6f, -1e-6f};
      for (int i = 0; i < Math.min(extremes.length, x.size()); i++) {
        x.data()[(i * 37) % x.size()] = extremes[i];
      }
      Inputs inputs = Inputs.of(x);
      double[] gelu = toDouble(NAIVE.gelu(x));
      double[] tanh = toDouble(NAIVE.tanh(x));
      double[] sigmoid = toDouble(NAIVE.sigmoid(x));
      String s = Arrays.toString(shape);
      Tensor yGelu = c.gelu(x);
      assertShape(yGelu, shape);
      assertClose("gelu " + s, yGelu, gelu);
      Tensor yTanh = c.tanh(x);
      assertShape(yTanh, shape);
      assertClose("tanh " + s, yTanh, tanh);
      Tensor ySigmoid = c.sigmoid(x);
      assertShape(ySigmoid, shape);
      assertClose("sigmoid " + s, ySigmoid, sigmoid);
      Tensor yScale = c.scale(x, -0.375f);
      assertShape(yScale, shape);
      double[] scaled = toDouble(NAIVE.scale(x, -0.375f));
      assertClose("scale " + s, yScale, scaled);
      inputs.assertUnchanged("unary ops");
    }
  }

  @Test
  void binaryOpsBroadcastLikeTheInterfaceSays() {
    Random rnd = new Random(32);
    int[][][] cases = {
      // a shape, b shape
      {{7}, {7}},
      {{3, 33}, {3, 33}},
      {{3, 33}, {33}},
      {{3, 33}, {1, 33}},
      {{3, 33}, {3, 1}},
      {{3, 33}, {1}},
      {{2, 5, 130}, {5, 130}},
      {{2, 5, 130}, {2, 1, 130}},
      {{2, 5, 130}, {2, 5, 1}},
      {{2, 3, 7, 5}, {3, 1, 5}},
      {{2, 3, 7, 5}, {2, 1, 7, 1}},
      {{2, 3, 7, 5}, {1, 3, 1, 1}},
      {{1, 1}, {1, 1}},
    };
    for (int[][] cs : cases) {
      Tensor a = randn(rnd, cs[0]);
      Tensor b = randn(rnd, cs[1]);
      Inputs inputs = Inputs.of(a, b);
      double[] sum = toDouble(NAIVE.add(a, b));
      double[] diff = toDouble(NAIVE.sub(a, b));
      double[] prod = toDouble(NAIVE.mul(a, b));
      String s = Arrays.toString(cs[0]) + " with " + Arrays.toString(cs[1]);
      Tensor yAdd = c.add(a, b);
      assertShape(yAdd, cs[0]);
      assertClose("add " + s, yAdd, sum);
      Tensor ySub = c.sub(a, b);
      assertShape(ySub, cs[0]);
      assertClose("sub " + s, ySub, diff);
      Tensor yMul = c.mul(a, b);
      assertShape(yMul, cs[0]);
      assertClose("mul " + s, yMul, prod);
      inputs.assertUnchanged("binary ops " + s);
    }
  }

  // ================================================================ layout

  @Test
  void permuteMatchesNaiveIndexing() {
    Random rnd = new Random(41);
    int[][][] cases = {
      {{7, 33}, {1, 0}},
      {{2, 3, 5, 7}, {0, 2, 1, 3}},
      {{2, 3, 5, 7}, {3, 1, 0, 2}},
      {{2, 3, 5, 7}, {0, 1, 2, 3}},
      {{1, 7, 1, 130}, {3, 2, 1, 0}},
      {{4, 5, 6}, {2, 0, 1}},
    };
    for (int[][] cs : cases) {
      int[] shape = cs[0];
      int[] axes = cs[1];
      Tensor x = randn(rnd, shape);
      Inputs inputs = Inputs.of(x);
      Tensor y = c.permute(x, axes);
      inputs.assertUnchanged("permute");
      int[] outShape = new int[shape.length];
      for (int i = 0; i < axes.length; i++) {
        outShape[i] = shape[axes[i]];
      }
      assertShape(y, outShape);
      double[] expected = toDouble(NAIVE.permute(x, axes));
      assertClose("permute " + Arrays.toString(shape) + " " + Arrays.toString(axes), y, expected);
    }
  }

  @Test
  void gatherMatchesNaiveIndexing() {
    Random rnd = new Random(42);
    Object[][] cases = {
      {new int[] {2, 5, 3}, 1, new int[] {4, 0, 0, 2}},
      {new int[] {2, 5, 3}, 0, new int[] {1, 1, 0}},
      {new int[] {2, 5, 33}, 2, new int[] {32, 0, 7, 7, 1}},
      {new int[] {2, 3, 130, 7}, 2, reversed(130)},
      {new int[] {7}, 0, new int[] {6, 5, 4, 3, 2, 1, 0}},
    };
    for (Object[] cs : cases) {
      int[] shape = (int[]) cs[0];
      int axis = (int) cs[1];
      int[] index = (int[]) cs[2];
      Tensor x = randn(rnd, shape);
      int[] indexCopy = index.clone();
      Inputs inputs = Inputs.of(x);
      Tensor y = c.gather(x, axis, index);
      inputs.assertUnchanged("gather");
      assertThat(index).as("gather must not modify the index").isEqualTo(indexCopy);
      int[] outShape = shape.clone();
      outShape[axis] = index.length;
      assertShape(y, outShape);
      double[] expected = toDouble(NAIVE.gather(x, axis, index));
      assertClose(
          "gather " + Arrays.toString(shape) + " axis " + axis + " " + Arrays.toString(index),
          y,
          expected);
    }
  }

  // ================================================================ bad shapes

  @Test
  void productsRejectBadShapesNamingThem() {
    Tensor x37 = Tensor.zeros(3, 7);
    assertBadShape(() -> c.linear(x37, Tensor.zeros(5, 8), null), "[3, 7]", "[5, 8]");
    assertBadShape(() -> c.linear(x37, Tensor.zeros(5, 7), Tensor.zeros(4)), "[5, 7]", "[4]");
    assertBadShape(() -> c.matmul(x37, Tensor.zeros(8, 5), false), "[3, 7]", "[8, 5]");
    assertBadShape(() -> c.matmul(x37, Tensor.zeros(7, 5), true), "[3, 7]", "[7, 5]");
    assertBadShape(
        () -> c.matmul(Tensor.zeros(2, 3, 7), Tensor.zeros(3, 7, 5), false),
        "[2, 3, 7]",
        "[3, 7, 5]");
    assertBadShape(() -> c.matmul(Tensor.zeros(7), Tensor.zeros(7, 5), false), "[7]", "[7, 5]");
  }

  @Test
  void elementWiseAndLayoutOpsRejectBadShapesNamingThem() {
    Tensor a = Tensor.zeros(3, 4);
    assertBadShape(() -> c.add(a, Tensor.zeros(5)), "[3, 4]", "[5]");
    assertBadShape(() -> c.sub(a, Tensor.zeros(2, 3, 4)), "[3, 4]", "[2, 3, 4]");
    assertBadShape(() -> c.mul(Tensor.zeros(1, 4), Tensor.zeros(3, 4)), "[1, 4]", "[3, 4]");
    assertBadShape(() -> c.layerNorm(a, Tensor.zeros(5), Tensor.zeros(4), 1e-5f), "[3, 4]", "[5]");
    assertBadShape(() -> c.permute(Tensor.zeros(2, 3, 4), 0, 1), "[2, 3, 4]", "[0, 1]");
    assertBadShape(() -> c.permute(Tensor.zeros(2, 3, 4), 0, 1, 1), "[2, 3, 4]", "[0, 1, 1]");
    assertBadShape(() -> c.gather(Tensor.zeros(2, 3, 4), 3, new int[] {0}), "[2, 3, 4]");
    assertThatThrownBy(() -> c.gather(Tensor.zeros(2, 3, 4), 1, new int[] {0, 3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3");
  }

  // ================================================================ TTT scan

  @Test
  void tttScanLinearMatchesNaivePerTokenLoop() {
    checkScanAgainstNaive(TttKind.LINEAR, 51);
  }

  @Test
  void tttScanMlpMatchesNaivePerTokenLoop() {
    checkScanAgainstNaive(TttKind.MLP, 52);
  }

  @Test
  void tttScanAtVectorWidthsMatchesNaivePerTokenLoop() {
    // D = 33 and 64: full vectors plus tails, and the head dim of the paper's model; mini-batches
    // smaller and larger than D / 2
    for (TttKind kind : TttKind.values()) {
      checkScanAgainstNaive(kind, 57, 1, 2, 33, 8, 4);
      checkScanAgainstNaive(kind, 58, 1, 2, 64, 32, 16);
      checkScanAgainstNaive(kind, 59, 1, 2, 16, 32, 16);
    }
  }

  @Test
  void tttScanLinearCarriesStateAcrossPieces() {
    checkScanInPieces(TttKind.LINEAR, 53);
  }

  @Test
  void tttScanMlpCarriesStateAcrossPieces() {
    checkScanInPieces(TttKind.MLP, 54);
  }

  @Test
  void tttScanLinearMatchesSharedReference() throws IOException {
    checkScanAgainstFile("ttt/scan_linear_b2_h2_d8_l12_m4.safetensors", TttKind.LINEAR);
  }

  @Test
  void tttScanMlpMatchesSharedReference() throws IOException {
    checkScanAgainstFile("ttt/scan_mlp_b2_h2_d8_l12_m4.safetensors", TttKind.MLP);
  }

  @Test
  void naiveScanReferenceMatchesSharedReference() throws IOException {
    // The naive loop below is itself checked against the independent reference vectors, so that
    // the random-input tests compare against something trustworthy.
    for (String file :
        new String[] {
          "ttt/scan_linear_b2_h2_d8_l12_m4.safetensors", "ttt/scan_mlp_b2_h2_d8_l12_m4.safetensors"
        }) {
      Map<String, Tensor64> t = readSafetensors(SharedTestData.resolve("testdata/" + file));
      ScanProblem p = ScanProblem.fromFile(t);
      NaiveScan ref = NaiveScan.run(p);
      // the reference rounds the GELU-derivative constants: agreement to 1e-9, not 1e-14
      assertThat(maxAbsDiff(ref.out, t.get("expected.out").data)).as(file).isLessThan(1e-8);
      assertThat(maxAbsDiff(ref.w1, t.get("expected.state.W1").data)).as(file).isLessThan(1e-8);
    }
  }

  @Test
  void tttScanRejectsBadArguments() {
    ScanProblem p = ScanProblem.random(TttKind.LINEAR, new Random(55), 2, 3, 8, 12, 4);
    // L = 12 is not a multiple of M = 5
    assertThatThrownBy(() -> p.run(c, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("12")
        .hasMessageContaining("5");
    ScanProblem mlp = ScanProblem.random(TttKind.MLP, new Random(56), 2, 3, 8, 12, 4);
    // kind and state disagree
    assertThatThrownBy(() -> p.withKind(TttKind.MLP).run(c, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "tttScan: kind is MLP but state is a LINEAR state (w1 [2, 3, 8, 8]");
    assertThatThrownBy(() -> mlp.withKind(TttKind.LINEAR).run(c, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "tttScan: kind is LINEAR but state is a MLP state (w1 [2, 3, 8, 32]");
    // xk of another length
    assertBadShape(
        () -> p.withXk(Tensor.zeros(2, 3, 8, 8)).run(c, 4), "[2, 3, 12, 8]", "[2, 3, 8, 8]");
    // eta not [B, H, L]
    assertBadShape(() -> p.withEta(Tensor.zeros(2, 3, 12, 1)).run(c, 4), "[2, 3, 12, 1]");
    // norm weight of the wrong head count
    assertBadShape(() -> p.withNormWeight(Tensor.zeros(2, 8)).run(c, 4), "[2, 8]");
    // state of another batch size
    TttState otherBatch =
        new TttState(Tensor.zeros(1, 3, 8, 8), Tensor.zeros(1, 3, 1, 8), null, null);
    assertBadShape(() -> p.withState(otherBatch).run(c, 4), "[1, 3, 8, 8]", "[2, 3, 12, 8]");
  }

  private void checkScanAgainstNaive(TttKind kind, long seed) {
    // B=2, H=3, D=8, L=12, M=4: three mini-batches per (batch, head)
    checkScanAgainstNaive(kind, seed, 2, 3, 8, 12, 4);
  }

  private void checkScanAgainstNaive(TttKind kind, long seed, int b, int h, int d, int l, int m) {
    ScanProblem p = ScanProblem.random(kind, new Random(seed), b, h, d, l, m);
    Inputs inputs = p.inputs();
    TttScanResult r = p.run(c, m);
    inputs.assertUnchanged("tttScan " + kind);
    NaiveScan ref = NaiveScan.run(p);
    // the problem is built so that the inner update matters: without it the output moves a lot
    NaiveScan frozen = NaiveScan.run(p.withoutUpdate());
    assertThat(maxAbsDiff(ref.out, frozen.out))
        .as("the test problem must be sensitive to the inner update")
        .isGreaterThan(0.1);
    assertThat(r.state().kind()).isEqualTo(kind);
    assertShape(r.out(), p.xq().shape());
    String what = kind + " d" + d + " m" + m;
    assertScanClose(what + " out", r.out(), ref.out);
    assertScanClose(what + " state.w1", r.state().w1(), ref.w1);
    assertShape(r.state().w1(), p.state().w1().shape());
    assertScanClose(what + " state.b1", r.state().b1(), ref.b1);
    assertShape(r.state().b1(), p.state().b1().shape());
    if (kind == TttKind.MLP) {
      assertScanClose(what + " state.w2", r.state().w2(), ref.w2);
      assertShape(r.state().w2(), p.state().w2().shape());
      assertScanClose(what + " state.b2", r.state().b2(), ref.b2);
      assertShape(r.state().b2(), p.state().b2().shape());
    }
  }

  private void checkScanInPieces(TttKind kind, long seed) {
    // L = 16, M = 4: one call of 16 tokens against 8 + 8 with the state carried
    ScanProblem p = ScanProblem.random(kind, new Random(seed), 2, 3, 8, 16, 4);
    TttScanResult whole = p.run(c, 4);
    ScanProblem first = p.slice(0, 8);
    TttScanResult r1 = first.run(c, 4);
    ScanProblem second = p.slice(8, 16).withState(r1.state());
    Inputs firstState = Inputs.of(r1.state().w1(), r1.state().b1(), r1.state().w2());
    TttScanResult r2 = second.run(c, 4);
    firstState.assertUnchanged("tttScan state input");
    float[] joined = new float[whole.out().size()];
    // out [B, H, L, D]: per (b, h), 8 rows from the first call then 8 from the second
    int d = 8;
    for (int bh = 0; bh < 2 * 3; bh++) {
      System.arraycopy(r1.out().data(), bh * 8 * d, joined, bh * 16 * d, 8 * d);
      System.arraycopy(r2.out().data(), bh * 8 * d, joined, bh * 16 * d + 8 * d, 8 * d);
    }
    assertComparison(
        kind + " out in pieces",
        Comparison.of(joined, whole.out().data(), Tolerance.rtol(1e-6).atol(1e-6)));
    assertComparison(
        kind + " state in pieces",
        Comparison.of(
            r2.state().w1().data(), whole.state().w1().data(), Tolerance.rtol(1e-6).atol(1e-6)));
    if (kind == TttKind.MLP) {
      assertComparison(
          kind + " w2 in pieces",
          Comparison.of(
              r2.state().w2().data(), whole.state().w2().data(), Tolerance.rtol(1e-6).atol(1e-6)));
    }
  }

  private void checkScanAgainstFile(String file, TttKind kind) throws IOException {
    Map<String, Tensor64> t = readSafetensors(SharedTestData.resolve("testdata/" + file));
    ScanProblem p = ScanProblem.fromFile(t);
    assertThat(p.kind()).isEqualTo(kind);
    Inputs inputs = p.inputs();
    TttScanResult r = p.run(c, p.miniBatch());
    inputs.assertUnchanged("tttScan " + file);
    assertScanClose(file + " out", r.out(), t.get("expected.out").data);
    assertScanClose(file + " state.W1", r.state().w1(), t.get("expected.state.W1").data);
    assertScanClose(file + " state.b1", r.state().b1(), t.get("expected.state.b1").data);
    if (kind == TttKind.MLP) {
      assertScanClose(file + " state.W2", r.state().w2(), t.get("expected.state.W2").data);
      assertScanClose(file + " state.b2", r.state().b2(), t.get("expected.state.b2").data);
    }
  }

  /** One scan problem: inputs of {@link Compute#tttScan}, unchecked (some are bad on purpose). */
  protected record ScanProblem(
      TttKind kind,
      TttState state,
      Tensor xq,
      Tensor xk,
      Tensor xv,
      Tensor eta,
      Tensor normWeight,
      Tensor normBias,
      int miniBatch) {

    /**
     * Random inputs with the magnitudes of the shared reference vectors: L2-normalised queries and
     * keys, η in [0.05, 0.5] · 8 / D, weights of standard deviation 0.3.
     */
    static ScanProblem random(TttKind kind, Random rnd, int b, int h, int d, int l, int m) {
      return of(TttScanInputs.random(kind, rnd, b, h, d, l, m));
    }

    static ScanProblem of(TttScanInput in) {
      return new ScanProblem(
          in.kind(),
          in.state(),
          in.xq(),
          in.xk(),
          in.xv(),
          in.eta(),
          in.normWeight(),
          in.normBias(),
          in.miniBatch());
    }

    TttScanInput input() {
      return new TttScanInput(kind, state, xq, xk, xv, eta, normWeight, normBias, miniBatch);
    }

    static ScanProblem fromFile(Map<String, Tensor64> t) {
      boolean mlp = t.containsKey("state0.W2");
      TttState s =
          new TttState(
              t.get("state0.W1").toFloat(),
              t.get("state0.b1").toFloat(),
              mlp ? t.get("state0.W2").toFloat() : null,
              mlp ? t.get("state0.b2").toFloat() : null);
      return new ScanProblem(
          mlp ? TttKind.MLP : TttKind.LINEAR,
          s,
          t.get("xq").toFloat(),
          t.get("xk").toFloat(),
          t.get("xv").toFloat(),
          t.get("eta").toFloat(),
          t.get("ttt_norm_weight").toFloat(),
          t.get("ttt_norm_bias").toFloat(),
          Integer.parseInt(t.get("__metadata__.mini_batch").text));
    }

    TttScanResult run(Compute compute, int m) {
      return compute.tttScan(
          new TttScanInput(kind, state, xq, xk, xv, eta, normWeight, normBias, m));
    }

    Inputs inputs() {
      return Inputs.of(
          xq, xk, xv, eta, normWeight, normBias, state.w1(), state.b1(), state.w2(), state.b2());
    }

    ScanProblem withoutUpdate() {
      return new ScanProblem(
          kind, state, xq, xk, xv, Tensor.zeros(eta.shape()), normWeight, normBias, miniBatch);
    }

    ScanProblem withState(TttState s) {
      return new ScanProblem(kind, s, xq, xk, xv, eta, normWeight, normBias, miniBatch);
    }

    ScanProblem withKind(TttKind k) {
      return new ScanProblem(k, state, xq, xk, xv, eta, normWeight, normBias, miniBatch);
    }

    ScanProblem withXk(Tensor k) {
      return new ScanProblem(kind, state, xq, k, xv, eta, normWeight, normBias, miniBatch);
    }

    ScanProblem withEta(Tensor e) {
      return new ScanProblem(kind, state, xq, xk, xv, e, normWeight, normBias, miniBatch);
    }

    ScanProblem withNormWeight(Tensor w) {
      return new ScanProblem(kind, state, xq, xk, xv, eta, w, normBias, miniBatch);
    }

    /** Tokens {@code [from, to)} of every (batch, head). */
    ScanProblem slice(int from, int to) {
      return new ScanProblem(
          kind,
          state,
          sliceTokens(xq, from, to),
          sliceTokens(xk, from, to),
          sliceTokens(xv, from, to),
          sliceTokens(eta.reshape(concat(eta.shape(), 1)), from, to)
              .reshape(eta.dim(0), eta.dim(1), to - from),
          normWeight,
          normBias,
          miniBatch);
    }

    private static Tensor sliceTokens(Tensor x, int from, int to) {
      // [B, H, L, D] -> [B, H, to - from, D]
      int bh = x.dim(0) * x.dim(1);
      int l = x.dim(2);
      int d = x.dim(3);
      float[] out = new float[bh * (to - from) * d];
      for (int i = 0; i < bh; i++) {
        System.arraycopy(x.data(), (i * l + from) * d, out, i * (to - from) * d, (to - from) * d);
      }
      return Tensor.of(out, x.dim(0), x.dim(1), to - from, d);
    }
  }

  /**
   * {@code TTT_SPEC.md} §3, one token at a time in double precision. The layer-norm backward is
   * taken through its explicit Jacobian (not the fused formula), so it checks that formula too.
   */
  protected static final class NaiveScan {
    double[] out;
    double[] w1;
    double[] b1;
    double[] w2;
    double[] b2;

    /** The per-token reference ({@link TttReferenceScan}), in double precision. */
    static NaiveScan run(ScanProblem p) {
      TttReferenceScan.Exact e = TttReferenceScan.exact(p.input());
      NaiveScan r = new NaiveScan();
      r.out = e.out();
      r.w1 = e.w1();
      r.b1 = e.b1();
      r.w2 = e.w2();
      r.b2 = e.b2();
      return r;
    }
  }

  // ================================================================ references and helpers

  /** GELU, tanh approximation, in double. */
  protected static double geluRef(double x) {
    return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
  }

  /** The exact derivative of {@link #geluRef}. */
  protected static double geluGradRef(double x) {
    double c0 = Math.sqrt(2 / Math.PI);
    double t = Math.tanh(c0 * (x + 0.044715 * x * x * x));
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c0 * (1 + 3 * 0.044715 * x * x);
  }

  protected static Tensor randn(Random rnd, int... shape) {
    return TttScanInputs.gaussian(rnd, 1f, shape);
  }

  private static Tensor offset(Tensor t, float v) {
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] += v;
    }
    return t;
  }

  private static int[] reversed(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = n - 1 - i;
    }
    return r;
  }

  private static int[] concat(int[] prefix, int... rest) {
    int[] r = Arrays.copyOf(prefix, prefix.length + rest.length);
    System.arraycopy(rest, 0, r, prefix.length, rest.length);
    return r;
  }

  private static double[] toDouble(Tensor t) {
    double[] r = new double[t.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = t.get(i);
    }
    return r;
  }

  private static float[] toFloat(double[] d) {
    float[] r = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      r[i] = (float) d[i];
    }
    return r;
  }

  private static double maxAbsDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  protected static void assertShape(Tensor t, int... shape) {
    assertThat(t.shape()).as("shape of " + t).isEqualTo(shape);
  }

  protected static void assertClose(String what, Tensor actual, double[] expected) {
    assertComparison(what, Comparison.of(actual.data(), expected, Tolerance.rtol(RTOL).atol(ATOL)));
  }

  private static void assertScanClose(String what, Tensor actual, double[] expected) {
    assertComparison(
        what, Comparison.of(actual.data(), expected, Tolerance.rtol(SCAN_RTOL).atol(SCAN_ATOL)));
  }

  protected static void assertComparison(String what, Comparison cmp) {
    assertThat(cmp.passed()).as(what + ": " + cmp).isTrue();
  }

  private static void assertBadShape(Runnable call, String... fragments) {
    var assertion = assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class);
    for (String f : fragments) {
      assertion.hasMessageContaining(f);
    }
  }

  /** Snapshots of input tensors, to check that an operation did not write into them. */
  protected static final class Inputs {
    private final Tensor[] originals;
    private final Tensor[] copies;

    private Inputs(Tensor[] originals) {
      this.originals = originals;
      this.copies = new Tensor[originals.length];
      for (int i = 0; i < originals.length; i++) {
        copies[i] = originals[i] == null ? null : originals[i].copy();
      }
    }

    static Inputs of(Tensor... tensors) {
      return new Inputs(tensors);
    }

    void assertUnchanged(String op) {
      for (int i = 0; i < originals.length; i++) {
        if (originals[i] != null) {
          assertThat(originals[i].bitEquals(copies[i]))
              .as(op + " must not write into its input " + i + " " + originals[i])
              .isTrue();
        }
      }
    }
  }

  /** A safetensors tensor read as doubles (F32 or F64), or a metadata string. */
  protected static final class Tensor64 {
    final int[] shape;
    final double[] data;
    final String text;

    Tensor64(int[] shape, double[] data, String text) {
      this.shape = shape;
      this.data = data;
      this.text = text;
    }

    Tensor toFloat() {
      return Tensor.of(ComputeContractTest.toFloat(data), shape);
    }
  }

  /**
   * A minimal safetensors reader for the reference vectors (8-byte little-endian header length,
   * JSON header, raw little-endian data); metadata entries come back as {@code __metadata__.key}.
   */
  protected static Map<String, Tensor64> readSafetensors(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLen = Math.toIntExact(buf.getLong(0));
    JsonNode header =
        new ObjectMapper().readTree(new String(bytes, 8, headerLen, StandardCharsets.UTF_8));
    int base = 8 + headerLen;
    Map<String, Tensor64> out = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        for (Iterator<Map.Entry<String, JsonNode>> m = e.getValue().properties().iterator();
            m.hasNext(); ) {
          Map.Entry<String, JsonNode> me = m.next();
          out.put("__metadata__." + me.getKey(), new Tensor64(null, null, me.getValue().asText()));
        }
        continue;
      }
      JsonNode n = e.getValue();
      int[] shape = new int[n.get("shape").size()];
      int count = 1;
      for (int i = 0; i < shape.length; i++) {
        shape[i] = n.get("shape").get(i).asInt();
        count *= shape[i];
      }
      int start = base + n.get("data_offsets").get(0).asInt();
      String dtype = n.get("dtype").asText();
      double[] data = new double[count];
      for (int i = 0; i < count; i++) {
        data[i] =
            switch (dtype) {
              case "F32" -> buf.getFloat(start + 4 * i);
              case "F64" -> buf.getDouble(start + 8 * i);
              default ->
                  throw new IllegalStateException(
                      e.getKey() + ": unsupported dtype " + dtype + " in " + file);
            };
      }
      out.put(e.getKey(), new Tensor64(shape, data, null));
    }
    return out;
  }
}
