package org.tttvideo.model.compute;

import java.util.Locale;

/**
 * The two tolerances of an {@code allclose}-style check, named at the call site so they cannot be
 * swapped: an element passes when {@code |actual − expected| ≤ atol + rtol · |expected|}.
 *
 * <p>The builder starts from {@code rtol} because numpy, PyTorch and STYLE.md order the pair that
 * way; writing both names out is what protects against a swapped pair.
 *
 * <pre>{@code
 * Comparison c = Comparison.of(actual.data(), expected, Tolerance.rtol(1e-4).atol(2e-5));
 * }</pre>
 *
 * @param rtol relative tolerance, a finite value ≥ 0
 * @param atol absolute tolerance, a finite value ≥ 0
 */
public record Tolerance(double rtol, double atol) {

  public Tolerance {
    check("rtol", rtol);
    check("atol", atol);
  }

  /**
   * A tolerance with relative part {@code rtol} and no absolute part; add one with {@link #atol}.
   */
  public static Tolerance rtol(double rtol) {
    return new Tolerance(rtol, 0);
  }

  /** This tolerance with its absolute part set to {@code atol}. */
  public Tolerance atol(double atol) {
    return new Tolerance(rtol, atol);
  }

  /** Whether {@code actual} is within this tolerance of {@code expected}. */
  public boolean allows(double actual, double expected) {
    return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
  }

  private static void check(String field, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(field + " must be a finite number >= 0, got " + value);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "rtol=%.1e atol=%.1e", rtol, atol);
  }
}
