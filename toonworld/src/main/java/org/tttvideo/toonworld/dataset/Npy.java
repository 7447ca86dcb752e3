package org.tttvideo.toonworld.dataset;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The NumPy {@code .npy} format, version 1.0, for C-order {@code uint8} arrays: what {@code
 * numpy.save} writes and {@code numpy.load} reads.
 *
 * <p>Layout: the magic {@code \x93NUMPY}, major 1, minor 0, the header length as a little-endian
 * uint16, then the header, an ASCII Python dict {@code {'descr': '|u1', 'fortran_order': False,
 * 'shape': (T, H, W, 3), }} padded with spaces and ended by {@code \n} so that magic, version,
 * length and header together are a multiple of 64 bytes; then the data, row-major.
 *
 * <pre>{@code
 * Npy.writeUint8(out, new long[] {n, 128, 192, 3}, clip.rgb());   // frames_00000.npy
 * }</pre>
 */
public final class Npy {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGN = 64;

  private Npy() {}

  /** The 10-byte preamble and header of a {@code uint8} array of {@code shape}. */
  public static byte[] header(long[] shape) {
    StringBuilder s = new StringBuilder("{'descr': '|u1', 'fortran_order': False, 'shape': (");
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0) {
        throw new IllegalArgumentException("shape[" + i + "] must be >= 0, was " + shape[i]);
      }
      s.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    s.append(shape.length == 1 ? ",), }" : "), }");
    int unpadded = MAGIC.length + 4 + s.length() + 1;
    int total = (unpadded + ALIGN - 1) / ALIGN * ALIGN;
    s.append(" ".repeat(total - unpadded)).append('\n');
    int len = s.length();
    if (len > 0xffff) {
      throw new IllegalArgumentException("a version 1.0 header holds at most 65535 bytes");
    }
    byte[] out = new byte[total];
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    out[6] = 1;
    out[7] = 0;
    out[8] = (byte) len;
    out[9] = (byte) (len >> 8);
    byte[] h = s.toString().getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(h, 0, out, 10, h.length);
    return out;
  }

  /**
   * Writes a {@code uint8} array of {@code shape} holding {@code data}.
   *
   * @throws IllegalArgumentException when {@code data} is not the product of {@code shape} long
   */
  public static void writeUint8(OutputStream out, long[] shape, byte[] data) throws IOException {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "data has "
              + data.length
              + " bytes, the shape "
              + java.util.Arrays.toString(shape)
              + " needs "
              + n);
    }
    out.write(header(shape));
    out.write(data);
  }
}
