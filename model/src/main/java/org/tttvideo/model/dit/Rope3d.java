package org.tttvideo.model.dit;

import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.ttt.QkTransform;

/**
 * 3D rotary position embedding of video tokens (CogVideoX; diffusers {@code
 * get_3d_rotary_pos_embed}, reference {@code Rotary3DPositionEmbedding}). The head dim D is split
 * into a temporal part of D/4 and two spatial parts of 3D/8 each; each part rotates consecutive
 * pairs {@code (x[2i], x[2i+1])} by {@code position · θ^(−2i/d_part)}:
 *
 * <pre>
 * out[2i]   = x[2i] cos − x[2i+1] sin
 * out[2i+1] = x[2i+1] cos + x[2i] sin
 * </pre>
 *
 * Text tokens are not rotated (cos 1, sin 0). The tables are built per sequence from each token's
 * (frame, row, column) position, so a window, a segment or a reversed scan piece each get exactly
 * the positions they need.
 *
 * <p>Legend: L = tokens of the sequence, D = head dim.
 */
public final class Rope3d {
  private final int headDim;
  private final double[] freqT; // [D/8]
  private final double[] freqH; // [3D/16]
  private final double[] freqW; // [3D/16]
  private final int[] swap; // [D]: 1, 0, 3, 2, ...

  public Rope3d(ModelConfig config) {
    this(config.headDim());
  }

  public Rope3d(int headDim) {
    this.headDim = headDim;
    int dimT = headDim / 4;
    int dimH = headDim / 8 * 3;
    freqT = freqs(dimT);
    freqH = freqs(dimH);
    freqW = freqs(dimH);
    swap = new int[headDim];
    for (int i = 0; i < headDim; i++) {
      swap[i] = i ^ 1;
    }
  }

  private static double[] freqs(int dim) {
    double[] f = new double[dim / 2];
    for (int i = 0; i < f.length; i++) {
      f[i] = 1.0 / Math.pow(ModelConfig.ROPE_THETA, (2.0 * i) / dim);
    }
    return f;
  }

  /**
   * The cos and signed-sin tables of a sequence.
   *
   * @param cos {@code [L, D]}
   * @param sinSigned {@code [L, D]}: {@code −sin} at even, {@code +sin} at odd positions
   */
  public record Tables(Tensor cos, Tensor sinSigned) {}

  /**
   * Tables for a sequence whose token {@code i} is text when {@code frame[i] < 0}, else a video
   * token at {@code (frame[i], row[i], col[i])}.
   */
  public Tables tables(int[] frame, int[] row, int[] col) {
    int len = frame.length;
    float[] cos = new float[len * headDim];
    float[] sin = new float[len * headDim];
    for (int i = 0; i < len; i++) {
      int at = i * headDim;
      if (frame[i] < 0) {
        for (int d = 0; d < headDim; d++) {
          cos[at + d] = 1f;
        }
        continue;
      }
      at = fill(cos, sin, at, freqT, frame[i]);
      at = fill(cos, sin, at, freqH, row[i]);
      fill(cos, sin, at, freqW, col[i]);
    }
    return new Tables(Tensor.of(cos, len, headDim), Tensor.of(sin, len, headDim));
  }

  private static int fill(float[] cos, float[] sin, int at, double[] freq, int pos) {
    for (double f : freq) {
      double angle = pos * f;
      float c = (float) Math.cos(angle);
      float s = (float) Math.sin(angle);
      cos[at] = c;
      cos[at + 1] = c;
      sin[at] = -s;
      sin[at + 1] = s;
      at += 2;
    }
    return at;
  }

  /** Applies the rotation to {@code x [B, H, L, D]} with tables of {@code L} rows. */
  public Tensor apply(Compute c, Tensor x, Tables t) {
    // x ⊙ cos + swapPairs(x) ⊙ sinSigned, tables [L, D] broadcast over [B, H]
    Tensor swapped = c.gather(x, x.rank() - 1, swap);
    return c.add(c.mul(x, t.cos()), c.mul(swapped, t.sinSigned()));
  }

  /** The rotation as the TTT layer's seam (queries and keys rotated alike). */
  public QkTransform asQkTransform(Tables t) {
    return (compute, x, isQuery) -> apply(compute, x, t);
  }

  /**
   * Positions of a sequence of {@code text} text tokens followed by video tokens {@code [first,
   * first + count)} of a video sequence laid out frame by frame with {@code rows x cols} tokens per
   * frame. The video token with index j of that sequence gets frame {@code j / (rows · cols) −
   * frameOffset}, row and column from {@code j mod (rows · cols)}. For a reversed scan, j counts in
   * the reversed sequence (the position in the sequence handed to the layer).
   */
  public Tables sequence(int text, int first, int count, int rows, int cols, int frameOffset) {
    int len = text + count;
    int[] f = new int[len];
    int[] r = new int[len];
    int[] q = new int[len];
    int perFrame = rows * cols;
    for (int i = 0; i < text; i++) {
      f[i] = -1;
    }
    for (int k = 0; k < count; k++) {
      int j = first + k;
      f[text + k] = j / perFrame - frameOffset;
      r[text + k] = (j % perFrame) / cols;
      q[text + k] = j % cols;
    }
    return tables(f, r, q);
  }
}
