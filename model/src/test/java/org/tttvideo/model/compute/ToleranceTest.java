package org.tttvideo.model.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Named tolerances: rtol and atol cannot be swapped at a call site. */
class ToleranceTest {

  @Test
  void theBuilderKeepsEachValueInItsField() {
    Tolerance t = Tolerance.rtol(1e-4).atol(2e-5);
    assertThat(t.rtol()).isEqualTo(1e-4);
    assertThat(t.atol()).isEqualTo(2e-5);
    assertThat(t).hasToString("rtol=1.0e-04 atol=2.0e-05");
  }

  @Test
  void anElementPassesWithinAtolPlusRtolTimesExpected() {
    // expected 100: allowed |diff| <= 0.5 + 0.01 * 100 = 1.5
    Tolerance t = Tolerance.rtol(0.01).atol(0.5);
    assertThat(t.allows(101.5, 100)).isTrue();
    assertThat(t.allows(101.6, 100)).isFalse();
    Comparison c = Comparison.of(new float[] {101.4f, 98f}, new double[] {100, 100}, t);
    assertThat(c.passed()).isFalse();
    assertThat(c.worstIndex()).isEqualTo(1);
    assertThat(c.maxAbsDiff()).isEqualTo(2.0);
    // the swapped pair would pass the second element (0.01 + 0.5 * 100 = 50.01)
    assertThat(
            Comparison.of(new float[] {98f}, new double[] {100}, Tolerance.rtol(0.5).atol(0.01))
                .passed())
        .isTrue();
  }

  @Test
  void negativeOrNonFiniteTolerancesAreRefusedByName() {
    assertThatThrownBy(() -> Tolerance.rtol(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rtol must be a finite number >= 0, got -1.0");
    assertThatThrownBy(() -> Tolerance.rtol(0).atol(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("atol must be a finite number >= 0, got NaN");
  }
}
