package org.tttvideo.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DTypeTest {

  @Test
  void parsesEverySafetensorsNameWithItsSize() {
    assertThat(DType.parse("F64").byteSize()).isEqualTo(8);
    assertThat(DType.parse("F32").byteSize()).isEqualTo(4);
    assertThat(DType.parse("F16").byteSize()).isEqualTo(2);
    assertThat(DType.parse("BF16").byteSize()).isEqualTo(2);
    assertThat(DType.parse("I64").byteSize()).isEqualTo(8);
    assertThat(DType.parse("I32").byteSize()).isEqualTo(4);
  }

  @Test
  void knowsWhichTypesAreFloatingPoint() {
    assertThat(DType.values())
        .filteredOn(DType::isFloatingPoint)
        .containsExactly(DType.F64, DType.F32, DType.F16, DType.BF16);
  }

  @Test
  void rejectsUnknownNamesListingTheAllowedOnes() {
    assertThatThrownBy(() -> DType.parse("f32"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown dtype 'f32', allowed: [F64, F32, F16, BF16, I64, I32]");
    assertThatThrownBy(() -> DType.parse("U8"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'U8'");
    assertThatThrownBy(() -> DType.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown dtype null");
  }
}
