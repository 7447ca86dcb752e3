package org.tttvideo.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorInfoTest {

  @Test
  void numelIsTheProductOfTheDimensions() {
    assertThat(new TensorInfo("x", DType.F32, new int[] {2, 3, 4}, 0, 96).numel()).isEqualTo(24);
    assertThat(new TensorInfo("s", DType.F64, new int[] {}, 0, 8).numel()).isEqualTo(1);
    assertThat(new TensorInfo("z", DType.F32, new int[] {5, 0}, 8, 8).numel()).isZero();
    assertThat(new TensorInfo("x", DType.F32, new int[] {2, 3, 4}, 4, 100).byteLength())
        .isEqualTo(96);
  }

  @Test
  void isAValueWithItsOwnCopyOfTheShape() {
    int[] shape = {2, 3};
    TensorInfo a = new TensorInfo("x", DType.F32, shape, 0, 24);
    shape[0] = 7;
    a.shape()[1] = 9;
    assertThat(a.shape()).containsExactly(2, 3);
    assertThat(a).isEqualTo(new TensorInfo("x", DType.F32, new int[] {2, 3}, 0, 24));
    assertThat(a.hashCode())
        .isEqualTo(new TensorInfo("x", DType.F32, new int[] {2, 3}, 0, 24).hashCode());
    assertThat(a).isNotEqualTo(new TensorInfo("x", DType.F32, new int[] {3, 2}, 0, 24));
    assertThat(a).hasToString("x F32[2, 3] [0, 24)");
  }

  @Test
  void rejectsNegativeDimensionsAndReversedRanges() {
    assertThatThrownBy(() -> new TensorInfo("w", DType.F32, new int[] {2, -1}, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'w'")
        .hasMessageContaining("negative dimension");
    assertThatThrownBy(() -> new TensorInfo("w", DType.F32, new int[] {1}, 8, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'w'")
        .hasMessageContaining("[8, 4]");
  }
}
