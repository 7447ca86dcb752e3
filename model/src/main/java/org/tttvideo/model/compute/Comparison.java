package org.tttvideo.model.compute;

/**
 * Compares computed values with expected ones the way {@code numpy.allclose} does: an element
 * passes when {@code |actual − expected| ≤ atol + rtol · |expected|} (see {@link Tolerance}).
 * Reports the largest absolute difference and where it is, so a failing check says how far off it
 * was.
 *
 * <pre>{@code
 * Comparison c = Comparison.of(actual.data(), expected, Tolerance.rtol(1e-4).atol(2e-5));
 * if (!c.passed()) System.out.println(c);
 * }</pre>
 *
 * @param passed whether every element is within tolerance (and the lengths agree)
 * @param maxAbsDiff the largest {@code |actual − expected|} (NaN counts as infinite)
 * @param worstIndex the flat index of the element furthest outside its tolerance, or -1 if none is
 * @param count elements compared
 */
public record Comparison(boolean passed, double maxAbsDiff, int worstIndex, int count) {

  /** Compares element by element; differing lengths fail with an infinite difference. */
  public static Comparison of(float[] actual, double[] expected, Tolerance tolerance) {
    double atol = tolerance.atol();
    double rtol = tolerance.rtol();
    if (actual.length != expected.length) {
      return new Comparison(false, Double.POSITIVE_INFINITY, -1, 0);
    }
    double max = 0;
    double worstExcess = 0;
    int worst = -1;
    for (int i = 0; i < actual.length; i++) {
      double diff = Math.abs(actual[i] - expected[i]);
      if (Double.isNaN(diff)) {
        diff = Double.POSITIVE_INFINITY;
      }
      max = Math.max(max, diff);
      double excess = diff - (atol + rtol * Math.abs(expected[i]));
      if (excess > worstExcess) {
        worstExcess = excess;
        worst = i;
      }
    }
    return new Comparison(worst < 0, max, worst, actual.length);
  }

  /** As {@link #of(float[], double[], Tolerance)}, with float expectations. */
  public static Comparison of(float[] actual, float[] expected, Tolerance tolerance) {
    double[] e = new double[expected.length];
    for (int i = 0; i < e.length; i++) {
      e[i] = expected[i];
    }
    return of(actual, e, tolerance);
  }

  /** Both comparisons as one: passed if both passed, the larger difference. */
  public Comparison and(Comparison other) {
    boolean both = passed && other.passed;
    int worst = !passed ? worstIndex : (!other.passed ? other.worstIndex : -1);
    return new Comparison(both, Math.max(maxAbsDiff, other.maxAbsDiff), worst, count + other.count);
  }

  @Override
  public String toString() {
    return (passed ? "ok" : "FAIL")
        + " max_abs_diff="
        + String.format(java.util.Locale.ROOT, "%.3e", maxAbsDiff)
        + (passed ? "" : " worst_index=" + worstIndex)
        + " n="
        + count;
  }
}
