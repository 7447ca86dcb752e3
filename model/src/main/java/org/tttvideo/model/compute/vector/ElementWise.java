package org.tttvideo.model.compute.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise and last-dim (row) kernels on float arrays.
 *
 * <p>{@code exp} and {@code tanh} are polynomial approximations written here with IEEE operations
 * only (add, multiply, fused multiply-add, divide, min, max, bit moves), after Cephes' {@code expf}
 * and {@code tanhf}; measured against {@link Math} over ±100: exp within 1.0 ulp, tanh 1.3, sigmoid
 * 2.4. The Vector API's own {@code EXP} and {@code TANH} are not used on purpose: they run Intel's
 * SVML once C2 has compiled the caller and a {@link Math}-based fallback before, and the two differ
 * in the last bit, which would make results depend on JIT timing. The last partial vector of a
 * range is padded into a temporary vector, so every element goes through the same function whatever
 * the range it falls in. Row reductions accumulate in vector lanes and reduce once per row ({@code
 * reduceLanes}, which JDK 17 performs in lane order both compiled and interpreted), a fixed
 * sequence for a given row length.
 */
final class ElementWise {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int VL = S.length();

  /** √(2/π), the GELU tanh-approximation constant. */
  static final float GELU_C = 0.7978845608028654f;

  static final float GELU_A = 0.044715f;

  private ElementWise() {}

  /** The unary functions of the interface. */
  enum Unary {
    GELU(20),
    TANH(15),
    SIGMOID(15),
    SCALE(1);

    /** Rough cost per element in FLOPs, for the parallel threshold. */
    final int cost;

    Unary(int cost) {
      this.cost = cost;
    }
  }

  /**
   * {@code dst[i] = f(src[i])} for {@code i} in {@code [from, to)}; {@code s} is the scale. Each
   * function has a loop of its own: one generic loop with the function chosen inside would nest the
   * vector calls deeper than C2 inlines, and the Vector API then falls back to slow Java code.
   */
  static void unary(Unary op, float[] src, float[] dst, int from, int to, float s) {
    switch (op) {
      case GELU -> geluRange(src, dst, from, to);
      case TANH -> tanhRange(src, dst, from, to);
      case SIGMOID -> sigmoidRange(src, dst, from, to);
      case SCALE -> scaleRange(src, dst, from, to, s);
    }
  }

  /** {@code dst[i] = gelu(src[i])}; {@code src} and {@code dst} may be the same array. */
  static void geluRange(float[] src, float[] dst, int from, int to) {
    int i = from;
    int bound = from + (to - from) / VL * VL;
    for (; i < bound; i += VL) {
      gelu(FloatVector.fromArray(S, src, i)).intoArray(dst, i);
    }
    if (i < to) {
      float[] tmp = padded(src, i, to);
      gelu(FloatVector.fromArray(S, tmp, 0)).intoArray(tmp, 0);
      System.arraycopy(tmp, 0, dst, i, to - i);
    }
  }

  static void tanhRange(float[] src, float[] dst, int from, int to) {
    int i = from;
    int bound = from + (to - from) / VL * VL;
    for (; i < bound; i += VL) {
      tanh(FloatVector.fromArray(S, src, i)).intoArray(dst, i);
    }
    if (i < to) {
      float[] tmp = padded(src, i, to);
      tanh(FloatVector.fromArray(S, tmp, 0)).intoArray(tmp, 0);
      System.arraycopy(tmp, 0, dst, i, to - i);
    }
  }

  static void sigmoidRange(float[] src, float[] dst, int from, int to) {
    int i = from;
    int bound = from + (to - from) / VL * VL;
    for (; i < bound; i += VL) {
      sigmoid(FloatVector.fromArray(S, src, i)).intoArray(dst, i);
    }
    if (i < to) {
      float[] tmp = padded(src, i, to);
      sigmoid(FloatVector.fromArray(S, tmp, 0)).intoArray(tmp, 0);
      System.arraycopy(tmp, 0, dst, i, to - i);
    }
  }

  static void scaleRange(float[] src, float[] dst, int from, int to, float s) {
    int i = from;
    int bound = from + (to - from) / VL * VL;
    for (; i < bound; i += VL) {
      FloatVector.fromArray(S, src, i).mul(s).intoArray(dst, i);
    }
    for (; i < to; i++) {
      dst[i] = src[i] * s;
    }
  }

  /**
   * {@code src[from .. to)} (less than one vector) copied into a zero-padded vector-sized array.
   */
  private static float[] padded(float[] src, int from, int to) {
    float[] tmp = new float[VL];
    System.arraycopy(src, from, tmp, 0, to - from);
    return tmp;
  }

  /** {@code 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))}. */
  static FloatVector gelu(FloatVector x) {
    FloatVector u = x.mul(x).fma(GELU_A, 1f).mul(x).mul(GELU_C);
    FloatVector hx = x.mul(0.5f);
    return tanh(u).fma(hx, hx);
  }

  static FloatVector sigmoid(FloatVector x) {
    return FloatVector.broadcast(S, 1f).div(exp(x.neg()).add(1f));
  }

  private static final float LOG2E = 1.44269504088896341f;
  private static final float ROUND_MAGIC = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
  private static final int ROUND_MAGIC_BITS = 0x4B400000; // the bits of ROUND_MAGIC
  private static final float LN2_HI =
      0.693359375f; // Cephes' split of ln 2: few bits, exact products
  private static final float LN2_LO = -2.12194440e-4f;

  /**
   * {@code e^x}: {@code x = n ln2 + r} with {@code |r| ≤ ln2/2}, a degree-7 polynomial for {@code
   * e^r} (Cephes {@code expf}), then {@code 2^n} applied in two halves so that large negative
   * {@code x} underflows gradually and large positive {@code x} overflows to infinity.
   */
  static FloatVector exp(FloatVector x) {
    FloatVector xc = x.max(-104f).min(89f);
    // t = 1.5·2^23 + n: adding the magic number rounds x·log2(e) to the integer n, which then
    // sits in the low bits of t (JDK 17 compiles the F2I conversion to a slow fallback, the
    // reinterpretation to nothing)
    FloatVector t = xc.fma(LOG2E, ROUND_MAGIC);
    FloatVector fx = t.sub(ROUND_MAGIC);
    FloatVector r = fx.fma(FloatVector.broadcast(S, -LN2_HI), xc);
    r = fx.fma(FloatVector.broadcast(S, -LN2_LO), r);
    FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
    p = p.fma(r, FloatVector.broadcast(S, 8.3334519073e-3f));
    p = p.fma(r, FloatVector.broadcast(S, 4.1665795894e-2f));
    p = p.fma(r, FloatVector.broadcast(S, 1.6666665459e-1f));
    p = p.fma(r, FloatVector.broadcast(S, 5.0000001201e-1f));
    p = p.fma(r.mul(r), r).add(1f);
    IntVector n = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
    IntVector n1 = n.lanewise(VectorOperators.ASHR, 1);
    IntVector n2 = n.sub(n1);
    FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    return p.mul(s1).mul(s2);
  }

  /**
   * {@code tanh x}: for {@code |x| < 0.625} the odd polynomial of Cephes {@code tanhf}, else {@code
   * 1 − 2/(e^{2|x|} + 1)}; the sign of {@code x} copied onto the result.
   */
  static FloatVector tanh(FloatVector x) {
    FloatVector a = x.abs();
    FloatVector z = a.mul(a);
    FloatVector p = z.fma(-5.70498872745e-3f, 2.06390887954e-2f);
    p = p.fma(z, FloatVector.broadcast(S, -5.37397155531e-2f));
    p = p.fma(z, FloatVector.broadcast(S, 1.33314422036e-1f));
    p = p.fma(z, FloatVector.broadcast(S, -3.33332819422e-1f));
    FloatVector small = p.mul(z).fma(a, a);
    FloatVector large =
        FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(exp(a.add(a)).add(1f)));
    FloatVector r = large.blend(small, a.lt(0.625f));
    IntVector sign = x.reinterpretAsInts().and(0x80000000);
    return r.reinterpretAsInts().or(sign).reinterpretAsFloats();
  }

  // ---------------------------------------------------------------- binary, broadcast

  /** The binary operations of the interface. */
  enum Binary {
    ADD,
    SUB,
    MUL
  }

  /**
   * {@code out[i] = a[i] op b[bOff + i * bStride]} for {@code i} in {@code [0, n)}, where {@code
   * bStride} is 1 (b contiguous) or 0 (one b value for the whole run).
   */
  static void binaryRun(
      Binary op, float[] a, int aOff, float[] b, int bOff, int bStride, float[] out, int n) {
    int i = 0;
    int bound = n / VL * VL;
    if (bStride == 0) {
      float bv = b[bOff];
      FloatVector bb = FloatVector.broadcast(S, bv);
      for (; i < bound; i += VL) {
        FloatVector av = FloatVector.fromArray(S, a, aOff + i);
        combine(op, av, bb).intoArray(out, aOff + i);
      }
      for (; i < n; i++) {
        out[aOff + i] = combine(op, a[aOff + i], bv);
      }
    } else {
      for (; i < bound; i += VL) {
        FloatVector av = FloatVector.fromArray(S, a, aOff + i);
        FloatVector bv = FloatVector.fromArray(S, b, bOff + i);
        combine(op, av, bv).intoArray(out, aOff + i);
      }
      for (; i < n; i++) {
        out[aOff + i] = combine(op, a[aOff + i], b[bOff + i]);
      }
    }
  }

  private static FloatVector combine(Binary op, FloatVector a, FloatVector b) {
    return switch (op) {
      case ADD -> a.add(b);
      case SUB -> a.sub(b);
      case MUL -> a.mul(b);
    };
  }

  private static float combine(Binary op, float a, float b) {
    return switch (op) {
      case ADD -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
    };
  }

  // ---------------------------------------------------------------- rows

  /** The sum of {@code x[off .. off+n)}, lane-wise then reduced. */
  static float sum(float[] x, int off, int n) {
    int i = 0;
    int bound = n / VL * VL;
    FloatVector acc = FloatVector.zero(S);
    for (; i < bound; i += VL) {
      acc = acc.add(FloatVector.fromArray(S, x, off + i));
    }
    float s = acc.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += x[off + i];
    }
    return s;
  }

  /** {@code Σ (x − mean)²} over {@code x[off .. off+n)}. */
  static float sumSquaredDeviation(float[] x, int off, int n, float mean) {
    int i = 0;
    int bound = n / VL * VL;
    FloatVector acc = FloatVector.zero(S);
    for (; i < bound; i += VL) {
      FloatVector d = FloatVector.fromArray(S, x, off + i).sub(mean);
      acc = d.fma(d, acc);
    }
    float s = acc.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      float d = x[off + i] - mean;
      s = Math.fma(d, d, s);
    }
    return s;
  }

  /**
   * {@code y = (x − shift) · mul ⊙ w + b} over one row; {@code w}, {@code b} may be null (1 and 0).
   */
  static void affineRow(
      float[] x, int off, int n, float shift, float mul, float[] w, float[] b, float[] y) {
    int i = 0;
    int bound = n / VL * VL;
    for (; i < bound; i += VL) {
      FloatVector v = FloatVector.fromArray(S, x, off + i).sub(shift).mul(mul);
      if (w != null) {
        v = v.mul(FloatVector.fromArray(S, w, i));
      }
      if (b != null) {
        v = v.add(FloatVector.fromArray(S, b, i));
      }
      v.intoArray(y, off + i);
    }
    for (; i < n; i++) {
      float v = (x[off + i] - shift) * mul;
      if (w != null) {
        v *= w[i];
      }
      if (b != null) {
        v += b[i];
      }
      y[off + i] = v;
    }
  }

  /** Layer norm of rows {@code [r0, r1)} of length {@code n}, biased variance. */
  static void layerNormRows(
      float[] x, float[] y, int n, int r0, int r1, float[] w, float[] b, float eps) {
    for (int r = r0; r < r1; r++) {
      int off = r * n;
      float mean = sum(x, off, n) / n;
      float var = sumSquaredDeviation(x, off, n, mean) / n;
      affineRow(x, off, n, mean, (float) (1 / Math.sqrt(var + eps)), w, b, y);
    }
  }

  /** {@code v / max(‖v‖₂, eps)} for rows {@code [r0, r1)}. */
  static void l2NormalizeRows(float[] x, float[] y, int n, int r0, int r1, float eps) {
    for (int r = r0; r < r1; r++) {
      int off = r * n;
      float ss = sumSquaredDeviation(x, off, n, 0f);
      float norm = Math.max((float) Math.sqrt(ss), eps);
      affineRow(x, off, n, 0f, 1f / norm, null, null, y);
    }
  }

  /** {@code (x − mean) / (std + eps)}, unbiased std, for rows {@code [r0, r1)}. */
  static void standardizeRows(float[] x, float[] y, int n, int r0, int r1, float eps) {
    for (int r = r0; r < r1; r++) {
      int off = r * n;
      float mean = sum(x, off, n) / n;
      float std = (float) Math.sqrt(sumSquaredDeviation(x, off, n, mean) / (n - 1));
      affineRow(x, off, n, mean, 1f / (std + eps), null, null, y);
    }
  }

  /** Max-subtracted softmax of rows {@code [r0, r1)}. */
  static void softmaxRows(float[] x, float[] y, int n, int r0, int r1) {
    float[] tmp = new float[VL];
    for (int r = r0; r < r1; r++) {
      int off = r * n;
      int i = 0;
      int bound = n / VL * VL;
      FloatVector mx = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
      for (; i < bound; i += VL) {
        mx = mx.max(FloatVector.fromArray(S, x, off + i));
      }
      float max = mx.reduceLanes(VectorOperators.MAX);
      for (; i < n; i++) {
        max = Math.max(max, x[off + i]);
      }
      // exp(x − max) into y, then one reciprocal of the sum
      FloatVector acc = FloatVector.zero(S);
      for (i = 0; i < bound; i += VL) {
        FloatVector e = exp(FloatVector.fromArray(S, x, off + i).sub(max));
        e.intoArray(y, off + i);
        acc = acc.add(e);
      }
      float sum = acc.reduceLanes(VectorOperators.ADD);
      if (i < n) {
        java.util.Arrays.fill(tmp, Float.NEGATIVE_INFINITY);
        System.arraycopy(x, off + i, tmp, 0, n - i);
        exp(FloatVector.fromArray(S, tmp, 0).sub(max)).intoArray(tmp, 0);
        for (int j = 0; j < n - i; j++) {
          sum += tmp[j];
        }
        System.arraycopy(tmp, 0, y, off + i, n - i);
      }
      affineRow(y, off, n, 0f, 1f / sum, null, null, y);
    }
  }
}
