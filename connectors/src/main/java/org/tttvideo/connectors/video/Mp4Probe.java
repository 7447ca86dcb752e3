package org.tttvideo.connectors.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Reads MP4 files back: what tests and ITCases use to check that a written video is what was asked
 * for. The frame count is found by decoding every frame with FFmpeg, never taken from the
 * container's metadata; the order of the top-level boxes is parsed directly from the file.
 *
 * <pre>{@code
 * Mp4Info info = Mp4Probe.probe(Path.of("video.mp4"));
 * assertThat(info.frameCount()).isEqualTo(48);
 * assertThat(info.moovBeforeMdat()).isTrue();
 * Frames decoded = Mp4Probe.readFrames(Path.of("video.mp4"));   // RGB24, for pixel checks
 * }</pre>
 */
public final class Mp4Probe {
  /** A box header: 32-bit size, 4-character type, and a 64-bit size when the first one is 1. */
  private static final int HEADER_BYTES = 8;

  private static final int LARGE_HEADER_BYTES = 16;

  private Mp4Probe() {}

  /**
   * Opens {@code file} with FFmpeg, decodes every frame of its first video stream, and parses its
   * top-level boxes.
   *
   * @throws IOException when the file cannot be read, has no video stream, or its boxes are
   *     malformed
   */
  public static Mp4Info probe(Path file) throws IOException {
    List<String> boxes = topLevelBoxes(file);
    try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
      grabber.start();
      requireVideo(grabber, file);
      int frames = 0;
      while (grabber.grabImage() != null) {
        frames++;
      }
      Mp4Info info =
          new Mp4Info(
              frames,
              grabber.getFrameRate(),
              grabber.getImageWidth(),
              grabber.getImageHeight(),
              grabber.getLengthInTime() / 1e6,
              grabber.getVideoCodecName(),
              boxes,
              file.toFile().length());
      return info;
    }
  }

  /**
   * Decodes every frame of the first video stream of {@code file} to RGB24. The fps of the result
   * is the stream's frame rate rounded to an integer.
   *
   * @throws IOException when the file cannot be decoded, has no video stream or no frame
   */
  public static Frames readFrames(Path file) throws IOException {
    try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
      grabber.setPixelFormat(AV_PIX_FMT_RGB24);
      grabber.start();
      requireVideo(grabber, file);
      int width = grabber.getImageWidth();
      int height = grabber.getImageHeight();
      int fps = (int) Math.round(grabber.getFrameRate());
      List<byte[]> frames = new ArrayList<>();
      Frame frame;
      while ((frame = grabber.grabImage()) != null) {
        frames.add(packRgb(frame, width, height, file));
      }
      if (frames.isEmpty()) {
        throw new IOException(file + " has a video stream but no frame could be decoded");
      }
      return Frames.of(width, height, Math.max(fps, 1), frames.toArray(new byte[0][]));
    }
  }

  /**
   * The types of the top-level boxes of an MP4 (ISO base media) file, in file order, read from the
   * box headers alone (ISO/IEC 14496-12, 4.2: a 32-bit big-endian size that covers the header, a
   * 4-character type; size 1 means a 64-bit size follows, size 0 means "to the end of the file").
   *
   * @throws IOException when a header is truncated or a size is impossible
   */
  public static List<String> topLevelBoxes(Path file) throws IOException {
    List<String> types = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      ByteBuffer header = ByteBuffer.allocate(LARGE_HEADER_BYTES); // big-endian, as in MP4
      long offset = 0;
      while (offset < fileSize) {
        readFully(channel, header, offset, HEADER_BYTES, file);
        long size = Integer.toUnsignedLong(header.getInt(0));
        String type = new String(header.array(), 4, 4, StandardCharsets.ISO_8859_1);
        long minimum = HEADER_BYTES;
        if (size == 1) {
          readFully(channel, header, offset, LARGE_HEADER_BYTES, file);
          size = header.getLong(8);
          minimum = LARGE_HEADER_BYTES;
        } else if (size == 0) {
          size = fileSize - offset;
        }
        if (size < minimum || size > fileSize - offset) {
          throw new IOException(
              "malformed MP4 "
                  + file
                  + ": box '"
                  + type
                  + "' at offset "
                  + offset
                  + " has size "
                  + size
                  + ", but only "
                  + (fileSize - offset)
                  + " bytes remain and a box is at least "
                  + minimum
                  + " bytes");
        }
        types.add(type);
        offset += size;
      }
    }
    return List.copyOf(types);
  }

  /** Whether {@code moov} occurs before the first {@code mdat}; false when either is missing. */
  public static boolean moovBeforeMdat(List<String> topLevelBoxes) {
    int moov = topLevelBoxes.indexOf("moov");
    int mdat = topLevelBoxes.indexOf("mdat");
    return moov >= 0 && mdat >= 0 && moov < mdat;
  }

  private static void requireVideo(FFmpegFrameGrabber grabber, Path file) throws IOException {
    if (grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
      throw new IOException(file + " has no video stream");
    }
  }

  /** Copies a decoded RGB24 image into {@code [H, W, 3]}, dropping any row padding. */
  private static byte[] packRgb(Frame frame, int width, int height, Path file) throws IOException {
    if (frame.imageWidth != width || frame.imageHeight != height || frame.imageChannels != 3) {
      throw new IOException(
          file
              + ": a decoded frame is "
              + frame.imageWidth
              + "x"
              + frame.imageHeight
              + " with "
              + frame.imageChannels
              + " channels; expected "
              + width
              + "x"
              + height
              + " RGB24 (the resolution changes mid-stream)");
    }
    ByteBuffer image = (ByteBuffer) Objects.requireNonNull(frame.image[0], "image");
    int rowBytes = width * 3;
    byte[] rgb = new byte[rowBytes * height];
    for (int y = 0; y < height; y++) {
      image.get(y * frame.imageStride, rgb, y * rowBytes, rowBytes); // [W, 3] row y
    }
    return rgb;
  }

  private static void readFully(
      FileChannel channel, ByteBuffer buffer, long offset, int length, Path file)
      throws IOException {
    buffer.clear().limit(length);
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, offset + buffer.position());
      if (read < 0) {
        throw new EOFException(
            "malformed MP4 "
                + file
                + ": a box header at offset "
                + offset
                + " is cut off after "
                + buffer.position()
                + " of "
                + length
                + " bytes");
      }
    }
  }
}
