package org.tttvideo.model.decode;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.tttvideo.model.compute.Compute;

/**
 * The direct convolution behind {@link Conv3d#apply}, on the Vector API, vectorised over output
 * pixels rather than channels: the decoder's finest levels have 8 channels and its last layer 3
 * outputs, too few to fill a 16-lane vector, while a frame row has hundreds of pixels.
 *
 * <p>Each input frame is first copied once into planes, one per input channel, of the frame with
 * its zero border ({@code Hp x Wp = (H + kh − 1) x (W + kw − 1)}), stored row after row. In that
 * layout every tap (dt, dy, dx) of every output pixel is one fixed offset away, so output positions
 * q = y·Wp + x', x' over the padded row, form one long run: the kernel computes all of them, the
 * border columns included (a waste of (kw − 1) / Wp), and keeps the interior. The micro-kernel
 * holds 4 output channels x 4 vectors of positions in 16 accumulators; per input value it loads 4
 * vectors and broadcasts 4 weights for 16 fused multiply-adds. The weights are packed once, as
 * {@code [C_out / 4][kt][C_in][kh][kw][4]}, with zero channels up to a multiple of 4.
 *
 * <p>Tasks are (output frame, block of rows, group of channel blocks), run by {@link
 * Compute#forEachTask}; every output element is the same sequence of operations whichever thread
 * computes it, so results do not depend on the thread count.
 *
 * <p>The hot loop is written for C2 in JDK 17, which keeps vectors in registers only within one
 * loop and inlined code: the taps are one flat loop over tables, and nothing takes a vector as an
 * argument. Either mistake boxes every vector on the heap and runs ten times slower.
 *
 * <p>Legend: T = output frames, H x W = frame size, C_in / C_out = channels, kt x kh x kw = kernel
 * size, VL = vector lanes, q = position in the padded plane's rows.
 */
final class Conv3dKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int VL = S.length();

  /** Output channels per micro-kernel call. */
  private static final int OB = 4;

  /** Positions per micro-kernel call (4 vectors). */
  private static final int BLOCK = 4 * VL;

  /** Position blocks per task at least, where the frame has that many. */
  private static final int MIN_BLOCKS = 8;

  /** About 4 MFLOP per task, enough to hide the hand-over to another thread. */
  private static final double TASK_FLOPS = 1 << 22;

  private final int cin;
  private final int cout;
  private final int kt;
  private final int kh;
  private final int kw;
  private final int blocks;

  /** [C_out / OB][kt][C_in][kh][kw][OB], zero past C_out. */
  private final float[] packed;

  /** [blocks · OB], zero past C_out. */
  private final float[] bias;

  /**
   * @param weight [C_out, C_in, kt, kh, kw]
   * @param bias [C_out]
   */
  Conv3dKernel(int cin, int cout, int kt, int kh, int kw, float[] weight, float[] bias) {
    this.cin = cin;
    this.cout = cout;
    this.kt = kt;
    this.kh = kh;
    this.kw = kw;
    this.blocks = (cout + OB - 1) / OB;
    int taps = kh * kw;
    this.packed = new float[blocks * kt * cin * taps * OB];
    this.bias = new float[blocks * OB];
    for (int o = 0; o < cout; o++) {
      this.bias[o] = bias[o];
      for (int i = 0; i < cin; i++) {
        for (int dt = 0; dt < kt; dt++) {
          for (int tap = 0; tap < taps; tap++) {
            int at = (((o / OB * kt + dt) * cin + i) * taps + tap) * OB + o % OB;
            packed[at] = weight[((o * cin + i) * kt + dt) * taps + tap];
          }
        }
      }
    }
  }

  /**
   * The padded frame's geometry, the plane length that every block's reads stay inside, and for
   * each of the kt·C_in·kh·kw taps in the packed weights' order the input frame (0 .. kt − 1) and
   * the offset from an output position to the tap's input in that frame's planes.
   */
  private record Planes(
      int h, int w, int ph, int pw, int wp, int len, int taps, int[] tapFrame, int[] tapOffset) {}

  private Planes planes(int h, int w) {
    int ph = (kh - 1) / 2;
    int pw = (kw - 1) / 2;
    int wp = w + 2 * pw;
    // The last block starts below h·Wp and reads BLOCK positions from up to (kh − 1)·Wp + kw − 1
    // further on.
    int len = h * wp + BLOCK + (kh - 1) * wp + kw - 1;
    int taps = kt * cin * kh * kw;
    int[] frame = new int[taps];
    int[] offset = new int[taps];
    int k = 0;
    for (int dt = 0; dt < kt; dt++) {
      for (int i = 0; i < cin; i++) {
        for (int dy = 0; dy < kh; dy++) {
          for (int dx = 0; dx < kw; dx++, k++) {
            frame[k] = dt;
            offset[k] = i * len + dy * wp + dx;
          }
        }
      }
    }
    return new Planes(h, w, ph, pw, wp, len, taps, frame, offset);
  }

  /** See {@link Conv3d#apply}; the arguments are checked there. */
  float[] apply(Compute c, float[][] data, int[] offset, int frames, int h, int w) {
    Planes g = planes(h, w);
    int inFrames = frames + kt - 1;
    float[][] planes = new float[inFrames][];
    c.forEachTask(
        inFrames,
        (double) inFrames * h * w * cin,
        j -> planes[j] = toPlanes(data[j], offset[j], g));
    // Tasks: (frame, block of rows, group of output channel blocks). A block of rows spans at
    // least MIN_BLOCKS position blocks (or the frame), so that rounding to whole blocks wastes
    // little at narrow frames; channel groups then cut it to about TASK_FLOPS.
    int rows = Math.min(h, (MIN_BLOCKS * BLOCK + g.wp() - 1) / g.wp());
    int chunks = (h + rows - 1) / rows;
    double chunkFlops = 2.0 * rows * w * OB * g.taps();
    int per = (int) Math.max(1, Math.min(blocks, Math.ceil(TASK_FLOPS / chunkFlops)));
    int groups = (blocks + per - 1) / per;
    float[] out = new float[frames * h * w * cout];
    c.forEachTask(
        frames * chunks * groups,
        chunkFlops * blocks * chunks * frames,
        task -> {
          int t = task / (chunks * groups);
          int r0 = task / groups % chunks * rows;
          int b0 = task % groups * per;
          rows(planes, t, r0, Math.min(h, r0 + rows), b0, Math.min(blocks, b0 + per), g, out);
        });
    return out;
  }

  /** [C_in, H, W] from {@code off} -> [C_in][len], each the padded frame row after row. */
  private float[] toPlanes(float[] src, int off, Planes g) {
    float[] p = new float[cin * g.len()];
    for (int i = 0; i < cin; i++) {
      for (int y = 0; y < g.h(); y++) {
        // Position (y + ph, pw) of the padded frame, stored from pw on (see Planes).
        int dst = i * g.len() + g.pw() + (y + g.ph()) * g.wp() + g.pw();
        System.arraycopy(src, off + (i * g.h() + y) * g.w(), p, dst, g.w());
      }
    }
    return p;
  }

  /**
   * Output rows [r0, r1) of frame t, channel blocks [b0, b1), into {@code out} [T, C_out, H, W];
   * every channel block of a position block in turn, while its inputs are in the L1 cache.
   */
  private void rows(
      float[][] planes, int t, int r0, int r1, int b0, int b1, Planes g, float[] out) {
    int q0 = r0 * g.wp();
    int n = ((r1 - r0) * g.wp() + BLOCK - 1) / BLOCK * BLOCK;
    float[] acc = new float[(b1 - b0) * OB * n]; // [(b1 − b0)·OB][n], positions q0 .. q0 + n
    for (int q = 0; q < n; q += BLOCK) {
      for (int b = b0; b < b1; b++) {
        block(planes, t, b, q0 + q, g, acc, (b - b0) * OB * n + q, n);
      }
    }
    int o0 = b0 * OB;
    int m = Math.min((b1 - b0) * OB, cout - o0);
    for (int j = 0; j < m; j++) {
      for (int y = r0; y < r1; y++) {
        System.arraycopy(
            acc,
            j * n + (y - r0) * g.wp() + g.pw(),
            out,
            ((t * cout + o0 + j) * g.h() + y) * g.w(),
            g.w());
      }
    }
  }

  /**
   * Output channels b·OB .. b·OB + 3 at positions q .. q + BLOCK of frame t, into {@code acc} from
   * {@code at}, rows {@code ld} apart. Tap (dt, dy, dx) of position q reads position q + dy·Wp + dx
   * of input frame t + dt: the planes start pw before the padded frame's first position.
   */
  private void block(float[][] planes, int t, int b, int q, Planes g, float[] acc, int at, int ld) {
    FloatVector a00 = FloatVector.broadcast(S, bias[b * OB]);
    FloatVector a01 = a00;
    FloatVector a02 = a00;
    FloatVector a03 = a00;
    FloatVector a10 = FloatVector.broadcast(S, bias[b * OB + 1]);
    FloatVector a11 = a10;
    FloatVector a12 = a10;
    FloatVector a13 = a10;
    FloatVector a20 = FloatVector.broadcast(S, bias[b * OB + 2]);
    FloatVector a21 = a20;
    FloatVector a22 = a20;
    FloatVector a23 = a20;
    FloatVector a30 = FloatVector.broadcast(S, bias[b * OB + 3]);
    FloatVector a31 = a30;
    FloatVector a32 = a30;
    FloatVector a33 = a30;
    int wi = b * g.taps() * OB;
    // One flat loop over the taps: C2 (JDK 17) keeps the accumulators in registers through one
    // loop, but boxes them on the heap when they cross the back edges of nested loops.
    for (int k = 0; k < g.taps(); k++, wi += OB) {
      float[] src = planes[t + g.tapFrame()[k]];
      int p = q + g.tapOffset()[k];
      FloatVector x0 = FloatVector.fromArray(S, src, p);
      FloatVector x1 = FloatVector.fromArray(S, src, p + VL);
      FloatVector x2 = FloatVector.fromArray(S, src, p + 2 * VL);
      FloatVector x3 = FloatVector.fromArray(S, src, p + 3 * VL);
      FloatVector w = FloatVector.broadcast(S, packed[wi]);
      a00 = x0.fma(w, a00);
      a01 = x1.fma(w, a01);
      a02 = x2.fma(w, a02);
      a03 = x3.fma(w, a03);
      w = FloatVector.broadcast(S, packed[wi + 1]);
      a10 = x0.fma(w, a10);
      a11 = x1.fma(w, a11);
      a12 = x2.fma(w, a12);
      a13 = x3.fma(w, a13);
      w = FloatVector.broadcast(S, packed[wi + 2]);
      a20 = x0.fma(w, a20);
      a21 = x1.fma(w, a21);
      a22 = x2.fma(w, a22);
      a23 = x3.fma(w, a23);
      w = FloatVector.broadcast(S, packed[wi + 3]);
      a30 = x0.fma(w, a30);
      a31 = x1.fma(w, a31);
      a32 = x2.fma(w, a32);
      a33 = x3.fma(w, a33);
    }
    // Stores written out: a helper taking vectors is too big for C2 to inline at first, and a
    // call that is not inlined receives its vectors boxed on the heap.
    a00.intoArray(acc, at);
    a01.intoArray(acc, at + VL);
    a02.intoArray(acc, at + 2 * VL);
    a03.intoArray(acc, at + 3 * VL);
    a10.intoArray(acc, at + ld);
    a11.intoArray(acc, at + ld + VL);
    a12.intoArray(acc, at + ld + 2 * VL);
    a13.intoArray(acc, at + ld + 3 * VL);
    a20.intoArray(acc, at + 2 * ld);
    a21.intoArray(acc, at + 2 * ld + VL);
    a22.intoArray(acc, at + 2 * ld + 2 * VL);
    a23.intoArray(acc, at + 2 * ld + 3 * VL);
    a30.intoArray(acc, at + 3 * ld);
    a31.intoArray(acc, at + 3 * ld + VL);
    a32.intoArray(acc, at + 3 * ld + 2 * VL);
    a33.intoArray(acc, at + 3 * ld + 3 * VL);
  }
}
