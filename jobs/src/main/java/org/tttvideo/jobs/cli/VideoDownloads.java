package org.tttvideo.jobs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.flink.core.fs.FileSystem;
import org.tttvideo.video.VideoReady;

/**
 * Copies finished videos from wherever the job wrote them ({@code file:}, and {@code s3:} or {@code
 * hdfs:} when Flink's file system for the scheme is on the classpath) into a local directory,
 * through Flink's {@link FileSystem}, and checks the SHA-256 of the copy against the {@link
 * VideoReady} record.
 */
final class VideoDownloads {
  private final Path dir;

  VideoDownloads(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir.toAbsolutePath().normalize());
  }

  /**
   * Copies the video to {@code <dir>/<videoId>.mp4} (through a hidden temporary file and a rename).
   *
   * @return the copy
   * @throws IOException when the source cannot be read or the copy's SHA-256 differs
   */
  Path download(VideoReady ready) throws IOException {
    URI uri = URI.create(ready.uri());
    org.apache.flink.core.fs.Path source = new org.apache.flink.core.fs.Path(uri);
    FileSystem fs = source.getFileSystem();
    Path target = dir.resolve(ready.videoId() + ".mp4");
    Path temp = dir.resolve("." + ready.videoId() + ".mp4.part");
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = fs.open(source);
        OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha)) {
      in.transferTo(out);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    String hex = HexFormat.of().formatHex(sha.digest());
    if (!hex.equals(ready.sha256())) {
      Files.deleteIfExists(temp);
      throw new IOException(
          "the copy of "
              + ready.uri()
              + " has SHA-256 "
              + hex
              + ", the record says "
              + ready.sha256());
    }
    return Files.move(
        temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
