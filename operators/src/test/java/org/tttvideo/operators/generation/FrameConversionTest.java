package org.tttvideo.operators.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.tttvideo.connectors.video.Frames;
import org.tttvideo.model.compute.Tensor;

class FrameConversionTest {

  @Test
  void channelValuesRoundToTheNearestByteAndClamp() {
    assertThat(FrameConversion.toByte(0f)).isZero();
    assertThat(FrameConversion.toByte(1f)).isEqualTo(255);
    assertThat(FrameConversion.toByte(0.5f)).isEqualTo(128); // 127.5 rounds half up
    assertThat(FrameConversion.toByte(0.499f)).isEqualTo(127); // 127.245
    assertThat(FrameConversion.toByte(1.5f / 255f)).isEqualTo(2);
    assertThat(FrameConversion.toByte(1.49f / 255f)).isEqualTo(1);
    assertThat(FrameConversion.toByte(-0.2f)).isZero();
    assertThat(FrameConversion.toByte(7f)).isEqualTo(255);
    assertThat(FrameConversion.toByte(Float.NaN)).isZero();
    assertThat(FrameConversion.toByte(Float.POSITIVE_INFINITY)).isEqualTo(255);
  }

  @Test
  void aTensorOfFramesBecomesPackedRgb24() {
    // [N = 2, H = 1, W = 2, 3]
    float[] v = {0, 0.5f, 1, 1, 1, 1, 0.2f, 0.4f, 0.6f, 0, 0, 0};
    Frames f = FrameConversion.toFrames(Tensor.of(v, 2, 1, 2, 3), 8);
    assertThat(f.width()).isEqualTo(2);
    assertThat(f.height()).isEqualTo(1);
    assertThat(f.frameCount()).isEqualTo(2);
    assertThat(f.fps()).isEqualTo(8);
    assertThat(f.rgb())
        .containsExactly(
            0,
            (byte) 128,
            (byte) 255,
            (byte) 255,
            (byte) 255,
            (byte) 255,
            51,
            102,
            (byte) 153,
            0,
            0,
            0);
  }

  @Test
  void otherShapesAreRefused() {
    assertThatThrownBy(() -> FrameConversion.toFrames(Tensor.zeros(2, 2, 4), 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("decoded frames must be [N, H, W, 3], got [2, 2, 4]");
  }
}
