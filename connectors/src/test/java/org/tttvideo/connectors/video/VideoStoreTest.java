package org.tttvideo.connectors.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tttvideo.connectors.video.testutils.FfmpegLogs;
import org.tttvideo.connectors.video.testutils.SyntheticVideos;

class VideoStoreTest {
  @TempDir Path dir;
  @TempDir Path localTemp;

  @BeforeAll
  static void quiet() {
    FfmpegLogs.errorsOnly();
  }

  @Test
  void storesUnderTheVideoIdAndLeavesNoTemporaryFile() throws IOException {
    Path out = dir.resolve("videos"); // created by the store
    VideoStore store = store(out);
    Frames video = SyntheticVideos.movingGradients(192, 128, 16, 48);

    StoredVideo stored = store.store("sb-0123456789abcdef", video);

    Path file = out.resolve("sb-0123456789abcdef.mp4");
    assertThat(Path.of(URI.create(stored.uri()))).isEqualTo(file);
    assertThat(stored.uri()).isEqualTo(store.uriOf("sb-0123456789abcdef"));
    assertThat(listNames(out)).containsExactly("sb-0123456789abcdef.mp4");
    assertThat(listNames(localTemp)).isEmpty();
    assertThat(stored.bytes()).isEqualTo(Files.size(file));
    assertThat(stored.sha256()).isEqualTo(Mp4EncoderTest.sha256(file));
    Mp4Info info = Mp4Probe.probe(file);
    assertThat(info.frameCount()).isEqualTo(48);
    assertThat(info.moovBeforeMdat()).isTrue();
  }

  @Test
  void sameFramesGiveTheSameHashUnderAnyId() throws IOException {
    VideoStore store = store(dir);
    List<Frames> segments =
        List.of(
            SyntheticVideos.movingGradients(64, 48, 16, 12),
            SyntheticVideos.flat(64, 48, 16, 12, 40, 90, 200));

    StoredVideo a = store.store("a", segments);
    StoredVideo b = store.store("b", segments);

    assertThat(b.sha256()).isEqualTo(a.sha256());
    assertThat(b.bytes()).isEqualTo(a.bytes());
    assertThat(listNames(dir)).containsExactlyInAnyOrder("a.mp4", "b.mp4");
  }

  @Test
  void storingAgainReplacesTheFile() throws IOException {
    // A restart from a checkpoint stores the video again, possibly over a different old file.
    VideoStore store = store(dir);
    Files.writeString(dir.resolve("v1.mp4"), "left over from an older run");

    StoredVideo stored = store.store("v1", SyntheticVideos.flat(64, 48, 16, 4, 1, 2, 3));
    StoredVideo again = store.store("v1", SyntheticVideos.flat(64, 48, 16, 4, 1, 2, 3));

    assertThat(again).isEqualTo(stored);
    assertThat(Mp4EncoderTest.sha256(dir.resolve("v1.mp4"))).isEqualTo(stored.sha256());
    assertThat(listNames(dir)).containsExactly("v1.mp4");
  }

  @Test
  void hashesTheCopiedFileExactly() throws IOException {
    Path local = localTemp.resolve("any.bin");
    Files.writeString(local, "abc");
    StoredVideo stored = store(dir).storeEncoded("raw", local);

    // SHA-256("abc") from FIPS 180-2, appendix B.1
    assertThat(stored.sha256())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(stored.bytes()).isEqualTo(3);
    assertThat(local).exists();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "../escape", "/abs", "a\\b", "..\\escape"})
  void rejectsIdsWithPathSeparators(String id) {
    assertThatThrownBy(() -> store(dir).store(id, SyntheticVideos.flat(2, 2, 16, 1, 0, 0, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "videoId '"
                + id
                + "' contains a path separator ('/' or '\\'); it would leave the output directory");
    assertThat(dir).isEmptyDirectory();
  }

  @ParameterizedTest
  @ValueSource(strings = {".", ".."})
  void rejectsDotIds(String id) {
    assertThatThrownBy(() -> VideoStore.checkVideoId(id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("videoId '" + id + "' names a directory; it would leave the output directory");
  }

  @Test
  void rejectsEmptyAndOtherwiseInvalidIds() {
    assertThatThrownBy(() -> VideoStore.checkVideoId(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("videoId must not be empty");
    assertThatThrownBy(() -> VideoStore.checkVideoId(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("videoId must not be empty");
    assertThatThrownBy(() -> VideoStore.checkVideoId(".hidden"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("videoId '.hidden' is not allowed: a letter or digit");
    assertThatThrownBy(() -> VideoStore.checkVideoId("s3:bucket"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("videoId 's3:bucket' is not allowed");
  }

  @Test
  void leavesNoTemporaryFileWhenEncodingFails() {
    VideoStore store =
        new VideoStore(
            dir.toUri().toString(),
            new Mp4Encoder(Mp4EncoderOptions.DEFAULTS.withCodecName("no-such-encoder")),
            localTemp);
    assertThatThrownBy(() -> store.store("v", SyntheticVideos.flat(64, 48, 16, 2, 0, 0, 0)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(dir).isEmptyDirectory();
    assertThat(localTemp).isEmptyDirectory();
  }

  private VideoStore store(Path outputDir) {
    return new VideoStore(outputDir.toUri().toString(), new Mp4Encoder(), localTemp);
  }

  private static List<String> listNames(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
