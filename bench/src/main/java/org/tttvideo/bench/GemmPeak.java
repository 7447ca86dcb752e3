package org.tttvideo.bench;

import java.util.Random;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;

/**
 * The large-GEMM rate of a backend: {@code [n, n] @ [n, n]} through {@link Compute#matmul}, the
 * yardstick the scan's rate is compared with.
 */
final class GemmPeak {
  private GemmPeak() {}

  /**
   * GFLOP/s ({@code 2·n³} per product) of the best timed product after {@code warmup} products,
   * timing products until {@code seconds} have passed (at least three).
   */
  static double measure(Compute compute, int n, int warmup, double seconds) {
    Random rnd = new Random(7);
    Tensor a = random(rnd, n);
    Tensor b = random(rnd, n);
    Object sink = null;
    for (int i = 0; i < warmup; i++) {
      sink = compute.matmul(a, b, false);
    }
    double best = 0;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    for (int i = 0; i < 3 || System.nanoTime() < end; i++) {
      long t0 = System.nanoTime();
      sink = compute.matmul(a, b, false);
      long t = System.nanoTime() - t0;
      best = Math.max(best, 2.0 * n * n * n / t);
    }
    if (sink == null) {
      throw new IllegalStateException("no product computed");
    }
    return best;
  }

  private static Tensor random(Random rnd, int n) {
    Tensor t = Tensor.zeros(n, n);
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] = (float) rnd.nextGaussian();
    }
    return t;
  }
}
