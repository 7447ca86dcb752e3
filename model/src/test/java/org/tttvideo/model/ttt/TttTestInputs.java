package org.tttvideo.model.ttt;

import java.util.Random;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttKind;
import org.tttvideo.model.compute.TttState;

/** Seeded random inputs for TTT tests. */
final class TttTestInputs {
  private TttTestInputs() {}

  static Tensor normal(Random r, float std, int... shape) {
    Tensor t = Tensor.zeros(shape);
    float[] a = t.data();
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (std * r.nextGaussian());
    }
    return t;
  }

  static Tensor uniform(Random r, float lo, float hi, int... shape) {
    Tensor t = Tensor.zeros(shape);
    float[] a = t.data();
    for (int i = 0; i < a.length; i++) {
      a[i] = lo + (hi - lo) * r.nextFloat();
    }
    return t;
  }

  /** Rows of unit L2 norm over the last dim. */
  static Tensor unitRows(Random r, int... shape) {
    Tensor t = normal(r, 1f, shape);
    float[] a = t.data();
    int d = shape[shape.length - 1];
    for (int row = 0; row < a.length / d; row++) {
      double n = 0;
      for (int i = 0; i < d; i++) {
        n += a[row * d + i] * a[row * d + i];
      }
      for (int i = 0; i < d; i++) {
        a[row * d + i] /= (float) Math.sqrt(n);
      }
    }
    return t;
  }

  /** A random initial state with weights of std {@code std}. */
  static TttState state(Random r, TttKind kind, int b, int h, int d, float std) {
    int f = kind.innerWidth(d);
    if (kind == TttKind.MLP) {
      return new TttState(
          normal(r, std, b, h, d, f),
          normal(r, std, b, h, 1, f),
          normal(r, std, b, h, f, d),
          normal(r, std, b, h, 1, d));
    }
    return new TttState(normal(r, std, b, h, d, f), normal(r, std, b, h, 1, f), null, null);
  }
}
