package org.tttvideo.connectors.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tttvideo.connectors.video.testutils.FfmpegLogs;
import org.tttvideo.connectors.video.testutils.SyntheticVideos;

class Mp4ProbeTest {
  /**
   * H.264 is lossy, and RGB -> yuv420p -> RGB rounds: a flat colour comes back within a level or
   * two (measured: gray exact, the red below 0.7 on average). R and B exchanged on the red is off
   * by 134 on average.
   */
  private static final double MAX_MEAN_ABSOLUTE_ERROR = 3.0;

  @TempDir Path dir;

  @BeforeAll
  static void quiet() {
    FfmpegLogs.errorsOnly();
  }

  @Test
  void flatGrayComesBackWithinTolerance() throws IOException {
    Frames gray = SyntheticVideos.flat(64, 48, 16, 8, 128, 128, 128);
    Frames decoded = encodeAndDecode(gray);

    assertThat(decoded.frameCount()).isEqualTo(8);
    assertThat(decoded.width()).isEqualTo(64);
    assertThat(decoded.height()).isEqualTo(48);
    assertThat(decoded.fps()).isEqualTo(16);
    assertThat(SyntheticVideos.meanAbsoluteError(decoded, gray))
        .isLessThan(MAX_MEAN_ABSOLUTE_ERROR);
    assertThat(SyntheticVideos.maxAbsoluteError(decoded, gray)).isLessThanOrEqualTo(4);
  }

  @Test
  void redStaysRedAndASwapWouldBeCaught() throws IOException {
    Frames red = SyntheticVideos.flat(64, 48, 16, 8, 220, 30, 20);
    Frames decoded = encodeAndDecode(red);

    assertThat(SyntheticVideos.meanAbsoluteError(decoded, red)).isLessThan(MAX_MEAN_ABSOLUTE_ERROR);
    // The same check on output whose R and B were exchanged (a BGR/RGB mix-up) fails by far.
    assertThat(SyntheticVideos.meanAbsoluteError(SyntheticVideos.swapRedAndBlue(decoded), red))
        .isGreaterThan(40 * MAX_MEAN_ABSOLUTE_ERROR);
  }

  @Test
  void gradientsComeBackClose() throws IOException {
    Frames video = SyntheticVideos.movingGradients(192, 128, 16, 48);
    Frames decoded = encodeAndDecode(video);

    assertThat(decoded.frameCount()).isEqualTo(48);
    // The pattern wraps from 255 to 0 along sharp edges, which 4:2:0 chroma blurs: measured 2.8
    // on average (the swapped output: 43.8), so the bounds leave room for another FFmpeg build.
    assertThat(SyntheticVideos.meanAbsoluteError(decoded, video)).isLessThan(5.0);
    assertThat(SyntheticVideos.meanAbsoluteError(SyntheticVideos.swapRedAndBlue(decoded), video))
        .isGreaterThan(30.0);
  }

  @Test
  void readsTopLevelBoxesInFileOrder() throws IOException {
    Path file = dir.resolve("boxes.mp4");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(box("ftyp", 12));
    bytes.write(box("mdat", 20));
    bytes.write(largeBox("moov", 9));
    bytes.write(box("free", 0));
    Files.write(file, bytes.toByteArray());

    List<String> boxes = Mp4Probe.topLevelBoxes(file);
    assertThat(boxes).containsExactly("ftyp", "mdat", "moov", "free");
    assertThat(Mp4Probe.moovBeforeMdat(boxes)).isFalse();
    assertThat(Mp4Probe.moovBeforeMdat(List.of("ftyp", "moov", "free", "mdat"))).isTrue();
    assertThat(Mp4Probe.moovBeforeMdat(List.of("ftyp", "moov"))).isFalse();
  }

  @Test
  void sizeZeroRunsToTheEndOfTheFile() throws IOException {
    Path file = dir.resolve("to-end.mp4");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(box("ftyp", 4));
    bytes.write(header(0, "mdat"));
    bytes.write(new byte[100]); // would be read as further boxes if size 0 were ignored
    Files.write(file, bytes.toByteArray());

    assertThat(Mp4Probe.topLevelBoxes(file)).containsExactly("ftyp", "mdat");
  }

  @Test
  void rejectsBoxesThatOverrunTheFile() throws IOException {
    Path file = dir.resolve("overrun.mp4");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(box("ftyp", 4));
    bytes.write(header(1000, "mdat"));
    Files.write(file, bytes.toByteArray());

    assertThatThrownBy(() -> Mp4Probe.topLevelBoxes(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("box 'mdat' at offset 12 has size 1000, but only 8 bytes remain");
  }

  @Test
  void rejectsATruncatedHeader() throws IOException {
    Path file = dir.resolve("truncated.mp4");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(box("ftyp", 4));
    bytes.write(new byte[] {0, 0, 0});
    Files.write(file, bytes.toByteArray());

    assertThatThrownBy(() -> Mp4Probe.topLevelBoxes(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("a box header at offset 12 is cut off after 3 of 8 bytes");
  }

  @Test
  void rejectsAFileWithoutVideo() throws IOException {
    Path file = dir.resolve("not-a-video.mp4");
    Files.write(file, box("ftyp", 4));
    assertThatThrownBy(() -> Mp4Probe.probe(file)).isInstanceOf(IOException.class);
  }

  private Frames encodeAndDecode(Frames frames) throws IOException {
    Path mp4 = dir.resolve("video.mp4");
    new Mp4Encoder().encode(frames, mp4);
    return Mp4Probe.readFrames(mp4);
  }

  /** A box with a 32-bit size and {@code payload} zero bytes. */
  private static byte[] box(String type, int payload) {
    return ByteBuffer.allocate(8 + payload).put(header(8 + payload, type)).array();
  }

  /** A box with size 1 and a 64-bit size after the type. */
  private static byte[] largeBox(String type, int payload) {
    return ByteBuffer.allocate(16 + payload)
        .putInt(1)
        .put(type.getBytes(StandardCharsets.ISO_8859_1))
        .putLong(16 + payload)
        .array();
  }

  private static byte[] header(int size, String type) {
    return ByteBuffer.allocate(8)
        .putInt(size)
        .put(type.getBytes(StandardCharsets.ISO_8859_1))
        .array();
  }
}
