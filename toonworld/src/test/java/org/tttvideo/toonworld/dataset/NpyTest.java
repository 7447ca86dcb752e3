package org.tttvideo.toonworld.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NpyTest {

  /** What numpy 2.4 writes for np.save(f, np.arange(6, dtype=np.uint8).reshape(2, 3)). */
  private static byte[] numpyArange23() {
    String dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }";
    String header = dict + " ".repeat(118 - dict.length() - 1) + "\n";
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0});
    b.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(new byte[] {0, 1, 2, 3, 4, 5});
    return b.toByteArray();
  }

  @Test
  void writesWhatNumpySaveWrites() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.writeUint8(out, new long[] {2, 3}, new byte[] {0, 1, 2, 3, 4, 5});
    assertThat(out.toByteArray()).hasSize(134).isEqualTo(numpyArange23());
  }

  @Test
  void headersAreAlignedTo64AndOneDimensionalShapesHaveATrailingComma() {
    byte[] h = Npy.header(new long[] {5});
    assertThat(h.length % 64).isZero();
    assertThat(new String(h, 10, h.length - 10, StandardCharsets.US_ASCII))
        .startsWith("{'descr': '|u1', 'fortran_order': False, 'shape': (5,), }")
        .endsWith(" \n");
    byte[] frames = Npy.header(new long[] {504, 128, 192, 3});
    assertThat(frames).hasSize(128);
    assertThat(new String(Arrays.copyOfRange(frames, 10, 81), StandardCharsets.US_ASCII))
        .isEqualTo("{'descr': '|u1', 'fortran_order': False, 'shape': (504, 128, 192, 3), }");
  }

  @Test
  void rejectsDataOfTheWrongLength() {
    assertThatThrownBy(
            () -> Npy.writeUint8(new ByteArrayOutputStream(), new long[] {2, 3}, new byte[5]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data has 5 bytes, the shape [2, 3] needs 6");
  }
}
