package org.tttvideo.toonworld;

import java.util.Arrays;

/**
 * Rendered frames, packed RGB24 in one array, in the layout of connectors' {@code Frames}.
 *
 * <p>Legend: N = frame count, H = height, W = width, 3 = R, G, B (unsigned bytes). {@code rgb} is
 * {@code [N, H, W, 3]} row-major: channel {@code c} of pixel ({@code x}, {@code y}) in frame {@code
 * n} is at {@code ((n * H + y) * W + x) * 3 + c}. The array is not copied.
 *
 * @param width W, at least 1
 * @param height H, at least 1
 * @param fps frames per second, at least 1
 * @param frameCount N, at least 1
 * @param rgb {@code [N, H, W, 3]}, exactly {@code N * H * W * 3} bytes
 */
public record Clip(int width, int height, int fps, int frameCount, byte[] rgb) {

  public Clip {
    positive("width", width);
    positive("height", height);
    positive("fps", fps);
    positive("frameCount", frameCount);
    if (rgb == null) {
      throw new IllegalArgumentException("rgb must not be null");
    }
    long expected = (long) frameCount * height * width * 3;
    if (rgb.length != expected) {
      throw new IllegalArgumentException(
          "rgb has "
              + rgb.length
              + " bytes; frameCount * height * width * 3 = "
              + frameCount
              + " * "
              + height
              + " * "
              + width
              + " * 3 = "
              + expected);
    }
  }

  /** Bytes per frame: {@code H * W * 3}. */
  public int frameBytes() {
    return height * width * 3;
  }

  /** A copy of frame {@code n}. */
  public byte[] frame(int n) {
    checkFrame(n);
    int size = frameBytes();
    return Arrays.copyOfRange(rgb, n * size, (n + 1) * size);
  }

  /** Pixel ({@code x}, {@code y}) of frame {@code n} as {@code 0xRRGGBB}. */
  public int pixel(int n, int x, int y) {
    checkFrame(n);
    if (x < 0 || x >= width || y < 0 || y >= height) {
      throw new IndexOutOfBoundsException(
          "pixel (" + x + ", " + y + ") outside " + width + " x " + height);
    }
    int i = ((n * height + y) * width + x) * 3;
    return ((rgb[i] & 0xff) << 16) | ((rgb[i + 1] & 0xff) << 8) | (rgb[i + 2] & 0xff);
  }

  /** Frames {@code [from, to)} as a clip of their own (copied). */
  public Clip frames(int from, int to) {
    if (from < 0 || to > frameCount || from >= to) {
      throw new IndexOutOfBoundsException(
          "frames [" + from + ", " + to + ") outside [0, " + frameCount + ")");
    }
    int size = frameBytes();
    return new Clip(width, height, fps, to - from, Arrays.copyOfRange(rgb, from * size, to * size));
  }

  private void checkFrame(int n) {
    if (n < 0 || n >= frameCount) {
      throw new IndexOutOfBoundsException("frame must be in [0, " + frameCount + "), was " + n);
    }
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, was " + value);
    }
  }
}
