package org.tttvideo.connectors.video;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The RGB24 frames of one segment or of one whole video, packed in one array.
 *
 * <p>Legend: N = frame count, H = height, W = width, 3 = the channels R, G, B (one unsigned byte
 * each). {@code rgb} is {@code [N, H, W, 3]}, row-major, with no padding between rows or frames:
 * the byte of channel {@code c} at row {@code y}, column {@code x} of frame {@code n} sits at
 * {@code ((n * H + y) * W + x) * 3 + c}.
 *
 * <p>A record of ints and one {@code byte[]}, so Flink handles it as a POJO (records are POJOs
 * since Flink 1.19) and Kryo copies it without trouble; nothing here is a {@code
 * Collections.unmodifiableList}. The array is not copied (a minute of 720x480 video is 1 GB): do
 * not change it after handing it over.
 *
 * <pre>{@code
 * byte[][] decoded = ...;                                 // 48 frames of 192 * 128 * 3 bytes
 * Frames segment = Frames.of(192, 128, 16, decoded);
 * Frames video = Frames.concat(List.of(segment, next));  // 96 frames, 6.0 s
 * byte[] first = video.frame(0);                         // a copy of frame 0
 * }</pre>
 *
 * @param width W, pixels per row, at least 1
 * @param height H, rows per frame, at least 1
 * @param fps frames per second of the video these frames belong to, at least 1
 * @param frameCount N, at least 1
 * @param rgb {@code [N, H, W, 3]}, exactly {@code N * H * W * 3} bytes
 */
public record Frames(int width, int height, int fps, int frameCount, byte[] rgb) {

  /** The largest array the JVM reliably allocates. */
  static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

  public Frames {
    positive("width", width);
    positive("height", height);
    positive("fps", fps);
    positive("frameCount", frameCount);
    Objects.requireNonNull(rgb, "rgb");
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

  /**
   * Packs one array per frame, each {@code H * W * 3} bytes of RGB24; the arrays are copied.
   *
   * @throws IllegalArgumentException when there is no frame, a frame has the wrong size, or the
   *     video does not fit in one array (use a list of segments instead)
   */
  public static Frames of(int width, int height, int fps, byte[][] frames) {
    Objects.requireNonNull(frames, "frames");
    positive("width", width);
    positive("height", height);
    if (frames.length == 0) {
      throw new IllegalArgumentException("frames is empty; at least one frame is needed");
    }
    long frameBytes = (long) width * height * 3;
    long total = frameBytes * frames.length;
    if (total > MAX_ARRAY_BYTES) {
      throw new IllegalArgumentException(
          frames.length
              + " frames of "
              + width
              + "x"
              + height
              + " need "
              + total
              + " bytes, more than one array holds ("
              + MAX_ARRAY_BYTES
              + "); keep the video as a list of segments");
    }
    byte[] rgb = new byte[(int) total];
    for (int n = 0; n < frames.length; n++) {
      int index = n;
      byte[] frame = Objects.requireNonNull(frames[n], () -> "frames[" + index + "]");
      if (frame.length != frameBytes) {
        throw new IllegalArgumentException(
            "frames["
                + n
                + "] has "
                + frame.length
                + " bytes; a "
                + width
                + "x"
                + height
                + " RGB24 frame has "
                + frameBytes);
      }
      System.arraycopy(frame, 0, rgb, (int) (n * frameBytes), frame.length);
    }
    return new Frames(width, height, fps, frames.length, rgb);
  }

  /**
   * Joins segments in order into one {@code Frames}; all must share width, height and fps.
   *
   * @throws IllegalArgumentException when the list is empty, the segments differ in geometry or
   *     fps, or the result does not fit in one array
   */
  public static Frames concat(List<Frames> segments) {
    checkCompatible(segments);
    Frames first = segments.get(0);
    long total = 0;
    int frameCount = 0;
    for (Frames s : segments) {
      total += s.rgb.length;
      frameCount += s.frameCount;
    }
    if (total > MAX_ARRAY_BYTES) {
      throw new IllegalArgumentException(
          "the "
              + segments.size()
              + " segments hold "
              + total
              + " bytes, more than one array holds ("
              + MAX_ARRAY_BYTES
              + "); keep the video as a list of segments");
    }
    byte[] rgb = new byte[(int) total];
    int offset = 0;
    for (Frames s : segments) {
      System.arraycopy(s.rgb, 0, rgb, offset, s.rgb.length);
      offset += s.rgb.length;
    }
    return new Frames(first.width, first.height, first.fps, frameCount, rgb);
  }

  /**
   * Checks that {@code segments} is not empty and that every segment has the width, height and fps
   * of the first one.
   *
   * @throws IllegalArgumentException naming the first segment that differs
   */
  public static void checkCompatible(List<Frames> segments) {
    Objects.requireNonNull(segments, "segments");
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("segments is empty; at least one segment is needed");
    }
    Frames first = Objects.requireNonNull(segments.get(0), "segments[0]");
    for (int i = 1; i < segments.size(); i++) {
      Frames s = Objects.requireNonNull(segments.get(i), "segments[" + i + "]");
      if (s.width != first.width || s.height != first.height || s.fps != first.fps) {
        throw new IllegalArgumentException(
            "segments["
                + i
                + "] is "
                + s.describeGeometry()
                + " but segments[0] is "
                + first.describeGeometry()
                + "; all segments of a video must match");
      }
    }
  }

  /** {@code H * W * 3}, the bytes of one frame. */
  public int frameBytes() {
    return height * width * 3;
  }

  /** {@code N / fps}. */
  public double durationSeconds() {
    return frameCount / (double) fps;
  }

  /** A copy of frame {@code n}: {@code [H, W, 3]}. */
  public byte[] frame(int n) {
    Objects.checkIndex(n, frameCount);
    int size = frameBytes();
    return Arrays.copyOfRange(rgb, n * size, (n + 1) * size);
  }

  /**
   * The index in {@link #rgb()} of channel {@code c} of pixel ({@code x}, {@code y}) of frame n.
   */
  public int index(int n, int y, int x, int c) {
    Objects.checkIndex(n, frameCount);
    Objects.checkIndex(y, height);
    Objects.checkIndex(x, width);
    Objects.checkIndex(c, 3);
    return ((n * height + y) * width + x) * 3 + c;
  }

  /** Records compare arrays by identity; frames compare by content. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Frames f
        && width == f.width
        && height == f.height
        && fps == f.fps
        && frameCount == f.frameCount
        && Arrays.equals(rgb, f.rgb);
  }

  @Override
  public int hashCode() {
    return Objects.hash(width, height, fps, frameCount, Arrays.hashCode(rgb));
  }

  /** Geometry only: a video's bytes do not belong in a log line. */
  @Override
  public String toString() {
    return "Frames[" + describeGeometry() + ", " + frameCount + " frames]";
  }

  private String describeGeometry() {
    return width + "x" + height + " @" + fps + " fps";
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }
}
