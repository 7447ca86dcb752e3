package org.tttvideo.connectors.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tttvideo.connectors.video.testutils.FfmpegLogs;
import org.tttvideo.connectors.video.testutils.SyntheticVideos;

class Mp4EncoderTest {
  private static final int WIDTH = 192;
  private static final int HEIGHT = 128;
  private static final int FPS = 16;
  private static final int FRAMES = 48;

  @TempDir Path dir;

  @BeforeAll
  static void quiet() {
    FfmpegLogs.errorsOnly();
  }

  @Test
  void encodesEveryFrameAsH264WithTheIndexFirst() throws IOException {
    Path mp4 = dir.resolve("gradients.mp4");
    new Mp4Encoder().encode(SyntheticVideos.movingGradients(WIDTH, HEIGHT, FPS, FRAMES), mp4);

    Mp4Info info = Mp4Probe.probe(mp4);
    assertThat(info.frameCount()).isEqualTo(FRAMES);
    assertThat(info.width()).isEqualTo(WIDTH);
    assertThat(info.height()).isEqualTo(HEIGHT);
    assertThat(info.fps()).isEqualTo(16.0);
    assertThat(info.durationSeconds()).isCloseTo(3.0, within(1e-9));
    assertThat(info.codecName()).isEqualTo("h264");
    assertThat(info.topLevelBoxes()).containsSubsequence("ftyp", "moov", "mdat");
    assertThat(info.moovBeforeMdat()).isTrue();
    assertThat(info.bytes()).isEqualTo(Files.size(mp4));
  }

  @Test
  void sameFramesGiveTheSameBytes() throws IOException {
    Frames video = SyntheticVideos.movingGradients(WIDTH, HEIGHT, FPS, FRAMES);
    Path first = dir.resolve("first.mp4");
    Path second = dir.resolve("second.mp4");
    Mp4Encoder encoder = new Mp4Encoder();
    encoder.encode(video, first);
    encoder.encode(video, second);

    assertThat(sha256(second)).isEqualTo(sha256(first));
  }

  @Test
  void segmentsEncodeLikeTheJoinedVideo() throws IOException {
    Frames a = SyntheticVideos.movingGradients(64, 48, FPS, 10);
    Frames b = SyntheticVideos.flat(64, 48, FPS, 6, 30, 160, 90);
    Path joined = dir.resolve("joined.mp4");
    Path parts = dir.resolve("parts.mp4");
    Mp4Encoder encoder = new Mp4Encoder();
    encoder.encode(Frames.concat(List.of(a, b)), joined);
    encoder.encode(List.of(a, b), parts);

    assertThat(sha256(parts)).isEqualTo(sha256(joined));
    assertThat(Mp4Probe.probe(parts).frameCount()).isEqualTo(16);
  }

  @Test
  void rejectsOddSizesNamingTheValue() {
    Mp4Encoder encoder = new Mp4Encoder();
    Path out = dir.resolve("odd.mp4");
    assertThatThrownBy(() -> encoder.encode(SyntheticVideos.flat(191, 128, FPS, 2, 0, 0, 0), out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "width must be even for yuv420p (one chroma sample per 2x2 pixels), got 191; crop or"
                + " pad the frames to 190 or 192");
    assertThatThrownBy(() -> encoder.encode(SyntheticVideos.flat(192, 127, FPS, 2, 0, 0, 0), out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("height must be even for yuv420p")
        .hasMessageContaining("got 127");
    assertThat(out).doesNotExist();
  }

  @Test
  void rejectsSegmentsThatDiffer() {
    Frames a = SyntheticVideos.flat(64, 48, FPS, 2, 0, 0, 0);
    Frames b = SyntheticVideos.flat(64, 32, FPS, 2, 0, 0, 0);
    assertThatThrownBy(() -> new Mp4Encoder().encode(List.of(a, b), dir.resolve("x.mp4")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("segments[1] is 64x32 @16 fps but segments[0] is 64x48 @16 fps");
  }

  @Test
  void failsClearlyWhenTheEncoderIsMissing() {
    Mp4Encoder encoder =
        new Mp4Encoder(Mp4EncoderOptions.DEFAULTS.withCodecName("libx264-not-in-this-build"));
    Path out = dir.resolve("missing.mp4");
    assertThatThrownBy(() -> encoder.encode(SyntheticVideos.flat(64, 48, FPS, 2, 0, 0, 0), out))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("FFmpeg has no encoder named 'libx264-not-in-this-build'")
        .hasMessageContaining("libopenh264");
    assertThat(out).doesNotExist();
  }

  @Test
  void rejectsAnAudioEncoder() {
    Mp4Encoder encoder = new Mp4Encoder(Mp4EncoderOptions.DEFAULTS.withCodecName("aac"));
    assertThatThrownBy(
            () ->
                encoder.encode(
                    SyntheticVideos.flat(64, 48, FPS, 2, 0, 0, 0), dir.resolve("aac.mp4")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("FFmpeg encoder 'aac' is not a video encoder");
  }

  @Test
  void optionsAreValidated() {
    assertThat(Mp4EncoderOptions.DEFAULTS)
        .isEqualTo(new Mp4EncoderOptions("libopenh264", "high", 2_000_000, 16));
    assertThatThrownBy(() -> Mp4EncoderOptions.DEFAULTS.withGopSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gopSize must be at least 1 frame, got 0");
    assertThatThrownBy(() -> Mp4EncoderOptions.DEFAULTS.withBitrate(-5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bitrate must be at least 1 bit per second, got -5");
    assertThatThrownBy(() -> Mp4EncoderOptions.DEFAULTS.withCodecName(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("codecName must name an FFmpeg video encoder");
  }

  @Test
  void gopSizeSetsTheKeyFrameInterval() throws IOException {
    // Fewer key frames cost fewer bytes: shows the option reaches the encoder.
    Frames video = SyntheticVideos.movingGradients(64, 48, FPS, 32);
    Path everyFrame = dir.resolve("gop1.mp4");
    Path rarely = dir.resolve("gop32.mp4");
    new Mp4Encoder(Mp4EncoderOptions.DEFAULTS.withGopSize(1)).encode(video, everyFrame);
    new Mp4Encoder(Mp4EncoderOptions.DEFAULTS.withGopSize(32)).encode(video, rarely);

    assertThat(Files.size(rarely)).isLessThan(Files.size(everyFrame));
  }

  static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
