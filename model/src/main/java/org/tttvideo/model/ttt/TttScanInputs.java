package org.tttvideo.model.ttt;

import java.io.IOException;
import java.util.Random;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttKind;
import org.tttvideo.model.compute.TttScanInput;
import org.tttvideo.model.compute.TttState;
import org.tttvideo.model.weights.SafetensorsFile;

/**
 * Where the inputs of a TTT scan come from outside the model: the shared reference files ({@code
 * testdata/ttt/scan_*.safetensors}, read by {@link #read}) and seeded random problems ({@link
 * #random}) for the contract tests and the benchmarks. One place, so that every backend's tests and
 * the benchmarks build the same problems the same way.
 *
 * <p>Legend: B = batch, H = heads, L = tokens, D = head dim, F = inner width, M = mini-batch.
 */
public final class TttScanInputs {
  private TttScanInputs() {}

  /**
   * Random inputs with the magnitudes of the shared reference vectors: L2-normalised queries and
   * keys, {@code η} in [0.05, 0.5] · 8 / D, inner norm weight in [0.55, 1.45] and bias of standard
   * deviation 0.1, weights of standard deviation 0.3 ({@code b2}: 0.2). Draws from {@code rnd} in a
   * fixed order, so a seed gives the same problem on every backend.
   */
  public static TttScanInput random(
      TttKind kind, Random rnd, int b, int h, int d, int l, int miniBatch) {
    int f = kind.innerWidth(d);
    Tensor xq = l2Rows(gaussian(rnd, 1f, b, h, l, d)); // [B, H, L, D]
    Tensor xk = l2Rows(gaussian(rnd, 1f, b, h, l, d)); // [B, H, L, D]
    Tensor xv = gaussian(rnd, 1f, b, h, l, d); // [B, H, L, D]
    float[] eta = new float[b * h * l]; // [B, H, L]
    for (int i = 0; i < eta.length; i++) {
      eta[i] = (0.05f + 0.45f * rnd.nextFloat()) * 8f / d;
    }
    float[] normWeight = new float[h * d]; // [H, D]
    for (int i = 0; i < normWeight.length; i++) {
      normWeight[i] = 0.55f + 0.9f * rnd.nextFloat();
    }
    Tensor normBias = gaussian(rnd, 0.1f, h, d); // [H, D]
    boolean mlp = kind == TttKind.MLP;
    TttState state =
        new TttState(
            gaussian(rnd, 0.3f, b, h, d, f), // w1 [B, H, D, F]
            gaussian(rnd, 0.3f, b, h, 1, f), // b1 [B, H, 1, F]
            mlp ? gaussian(rnd, 0.3f, b, h, f, d) : null, // w2 [B, H, F, D]
            mlp ? gaussian(rnd, 0.2f, b, h, 1, d) : null); // b2 [B, H, 1, D]
    return new TttScanInput(
        kind,
        state,
        xq,
        xk,
        xv,
        Tensor.of(eta, b, h, l),
        Tensor.of(normWeight, h, d),
        normBias,
        miniBatch);
  }

  /**
   * The scan inputs of a shared reference file: {@code state0.*}, {@code xq}, {@code xk}, {@code
   * xv}, {@code eta}, {@code ttt_norm_weight}, {@code ttt_norm_bias}; the kind is TTT-MLP when the
   * file has {@code state0.W2}.
   */
  public static TttScanInput read(SafetensorsFile f, int miniBatch) throws IOException {
    TttState state = readState(f, "state0.");
    return new TttScanInput(
        state.kind(),
        state,
        f.readTensor("xq"),
        f.readTensor("xk"),
        f.readTensor("xv"),
        f.readTensor("eta"),
        f.readTensor("ttt_norm_weight"),
        f.readTensor("ttt_norm_bias"),
        miniBatch);
  }

  /**
   * The TTT state stored under {@code prefix} ({@code W1}, {@code b1}, and for TTT-MLP {@code W2},
   * {@code b2}), e.g. {@code "state0."} or {@code "expected.state."}.
   */
  public static TttState readState(SafetensorsFile f, String prefix) throws IOException {
    boolean mlp = f.names().contains(prefix + "W2");
    return new TttState(
        f.readTensor(prefix + "W1"),
        f.readTensor(prefix + "b1"),
        mlp ? f.readTensor(prefix + "W2") : null,
        mlp ? f.readTensor(prefix + "b2") : null);
  }

  /** A tensor of independent normal draws of standard deviation {@code std}, in row-major order. */
  public static Tensor gaussian(Random rnd, float std, int... shape) {
    Tensor t = Tensor.zeros(shape);
    float[] x = t.data();
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rnd.nextGaussian() * std);
    }
    return t;
  }

  /** {@code t} with each row of its last dim scaled to unit length (in double, then rounded). */
  public static Tensor l2Rows(Tensor t) {
    int d = t.dim(-1);
    float[] x = t.data();
    for (int r = 0; r < t.size() / d; r++) {
      double ss = 0;
      for (int i = 0; i < d; i++) {
        ss += (double) x[r * d + i] * x[r * d + i];
      }
      double n = Math.max(Math.sqrt(ss), 1e-12);
      for (int i = 0; i < d; i++) {
        x[r * d + i] = (float) (x[r * d + i] / n);
      }
    }
    return t;
  }
}
