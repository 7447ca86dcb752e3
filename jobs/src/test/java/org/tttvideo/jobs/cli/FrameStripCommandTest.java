package org.tttvideo.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.tttvideo.connectors.video.Frames;

class FrameStripCommandTest {

  @Test
  void stripTakesEvenlySpacedFramesWithGaps() {
    // 5 frames of 2x1 pixels; frame n is grey level 10 * n
    byte[][] frames = new byte[5][];
    for (int n = 0; n < 5; n++) {
      frames[n] = new byte[2 * 1 * 3];
      java.util.Arrays.fill(frames[n], (byte) (10 * n));
    }
    Frames f = Frames.of(2, 1, 8, frames);

    BufferedImage img = FrameStripCommand.strip(f, 3, 2, 1);

    // 3 frames of 4x2 (scale 2) with 1-pixel gaps: 14 x 2
    assertThat(img.getWidth()).isEqualTo(14);
    assertThat(img.getHeight()).isEqualTo(2);
    assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x000000); // frame 0
    assertThat(img.getRGB(4, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF); // gap
    assertThat(img.getRGB(5, 1) & 0xFFFFFF).isEqualTo(0x141414); // frame 2 (grey 20)
    assertThat(img.getRGB(13, 0) & 0xFFFFFF).isEqualTo(0x282828); // frame 4 (grey 40)
  }
}
