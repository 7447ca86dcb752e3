package org.tttvideo.connectors.video;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tttvideo.storyboard.VideoIds;

/**
 * Encodes a video and writes it through Flink's {@link FileSystem} to {@code
 * <outputDir>/<videoId>.mp4} (a local path, or S3/HDFS on a cluster), so that readers never see a
 * half-written file.
 *
 * <ol>
 *   <li>{@link Mp4Encoder} writes a local temporary file (FFmpeg's MP4 muxer needs to seek);
 *   <li>it is copied to {@code <outputDir>/.<videoId>.mp4.inprogress.<uuid>}, computing SHA-256 and
 *       the byte count on the way;
 *   <li>{@link FileSystem#rename} moves it to {@code <outputDir>/<videoId>.mp4}.
 * </ol>
 *
 * <pre>{@code
 * VideoStore store = new VideoStore("file:///data/videos");
 * StoredVideo stored = store.store("sb-1a2b3c4d5e6f7a8b", segments);   // List<Frames>
 * // stored.uri() = "file:/data/videos/sb-1a2b3c4d5e6f7a8b.mp4"
 * }</pre>
 *
 * <p>The same frames give the same bytes and so the same SHA-256 ({@link Mp4Encoder}). Storing a
 * video again (a restart from a checkpoint) replaces the file: on local file systems the rename
 * replaces it atomically; where rename refuses an existing target (HDFS), an identical file is kept
 * and a different one is deleted first. Object stores such as S3 have no atomic rename: Flink's S3
 * file systems emulate it by copying, so readers may briefly see the file missing, never partial.
 *
 * <p>Video ids are file names: an id must be a {@link VideoIds#isValid valid video id}, so it
 * cannot hold {@code /} or {@code \}, be {@code .} or {@code ..}, or be empty, and cannot escape
 * the output directory.
 *
 * <p>Serializable, so a Flink function can hold one; it keeps no open resources.
 */
public final class VideoStore implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(VideoStore.class);

  /** File name suffix of stored videos. */
  public static final String SUFFIX = ".mp4";

  /** Infix of temporary files, after {@code .<videoId>.mp4}; a leading dot hides them. */
  static final String IN_PROGRESS = ".inprogress.";

  private static final int COPY_BUFFER_BYTES = 1 << 16;

  private final String outputDir;
  private final Mp4Encoder encoder;

  /** The local directory for FFmpeg's output; null means {@code java.io.tmpdir}. */
  private final String localTempDir;

  /** Stores under {@code outputDirUri} with the default encoder and {@code java.io.tmpdir}. */
  public VideoStore(String outputDirUri) {
    this(outputDirUri, new Mp4Encoder(), null);
  }

  /**
   * @param outputDirUri the directory of the videos, e.g. {@code file:///data/videos} or {@code
   *     s3://bucket/videos}; created when missing
   * @param encoder encodes the frames
   * @param localTempDir a local directory for the encoder's temporary file (on a task manager, one
   *     of Flink's {@code io.tmp.dirs}); null for {@code java.io.tmpdir}
   */
  public VideoStore(String outputDirUri, Mp4Encoder encoder, java.nio.file.Path localTempDir) {
    Objects.requireNonNull(outputDirUri, "outputDirUri");
    if (outputDirUri.isBlank()) {
      throw new IllegalArgumentException("outputDirUri must not be blank");
    }
    new Path(outputDirUri); // fails early on a malformed URI
    this.outputDir = outputDirUri;
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.localTempDir = localTempDir == null ? null : localTempDir.toString();
  }

  /** Encodes one run of frames and stores it as {@code <outputDir>/<videoId>.mp4}. */
  public StoredVideo store(String videoId, Frames video) throws IOException {
    return store(videoId, List.of(Objects.requireNonNull(video, "video")));
  }

  /**
   * Encodes the segments in order and stores the video as {@code <outputDir>/<videoId>.mp4}.
   *
   * @throws IllegalArgumentException for an id that is not a valid file name, or segments {@link
   *     Mp4Encoder#encode(List, java.nio.file.Path)} rejects
   * @throws IOException when encoding, copying or renaming fails; no temporary file is left
   */
  public StoredVideo store(String videoId, List<Frames> segments) throws IOException {
    checkVideoId(videoId);
    Frames.checkCompatible(segments);
    java.nio.file.Path local =
        localTempDir == null
            ? Files.createTempFile("ttt-video-", SUFFIX)
            : Files.createTempFile(java.nio.file.Path.of(localTempDir), "ttt-video-", SUFFIX);
    try {
      encoder.encode(segments, local);
      return storeEncoded(videoId, local);
    } finally {
      Files.deleteIfExists(local);
    }
  }

  /**
   * Stores an MP4 file that is already encoded as {@code <outputDir>/<videoId>.mp4}; {@code
   * localMp4} itself is left in place.
   */
  public StoredVideo storeEncoded(String videoId, java.nio.file.Path localMp4) throws IOException {
    checkVideoId(videoId);
    Objects.requireNonNull(localMp4, "localMp4");
    Path dir = new Path(outputDir);
    FileSystem fs = dir.getFileSystem();
    fs.mkdirs(dir);
    Path target = new Path(dir, videoId + SUFFIX);
    Path temp = new Path(dir, "." + videoId + SUFFIX + IN_PROGRESS + UUID.randomUUID());

    String sha256;
    long bytes;
    boolean moved = false;
    try {
      MessageDigest digest = sha256();
      try (FSDataOutputStream out = fs.create(temp, FileSystem.WriteMode.NO_OVERWRITE);
          InputStream in = Files.newInputStream(localMp4)) {
        bytes = copy(in, new DigestOutputStream(out, digest));
        out.flush();
        out.sync(); // durable before it becomes visible under its final name
      }
      sha256 = HexFormat.of().formatHex(digest.digest());
      long localBytes = Files.size(localMp4);
      if (bytes != localBytes) {
        throw new IOException(
            "copied "
                + bytes
                + " bytes of "
                + localMp4
                + " to "
                + temp
                + ", expected "
                + localBytes);
      }
      moved = moveIntoPlace(fs, temp, target, sha256);
    } finally {
      if (!moved) {
        deleteQuietly(fs, temp);
      }
    }
    StoredVideo stored = new StoredVideo(target.toUri().toString(), sha256, bytes);
    LOG.info("stored video {}: {} bytes, sha256 {}, at {}", videoId, bytes, sha256, stored.uri());
    return stored;
  }

  /** The URI a video of this id is stored under. */
  public String uriOf(String videoId) {
    checkVideoId(videoId);
    return new Path(new Path(outputDir), videoId + SUFFIX).toUri().toString();
  }

  /**
   * Checks that {@code videoId} can be a file name inside the output directory.
   *
   * @throws IllegalArgumentException naming the id and what is allowed
   */
  public static void checkVideoId(String videoId) {
    if (videoId == null || videoId.isEmpty()) {
      throw new IllegalArgumentException("videoId must not be empty");
    }
    if (videoId.indexOf('/') >= 0 || videoId.indexOf('\\') >= 0) {
      throw new IllegalArgumentException(
          "videoId '"
              + videoId
              + "' contains a path separator ('/' or '\\'); it would leave the output directory");
    }
    if (videoId.equals(".") || videoId.equals("..")) {
      throw new IllegalArgumentException(
          "videoId '" + videoId + "' names a directory; it would leave the output directory");
    }
    if (!VideoIds.isValid(videoId)) {
      throw new IllegalArgumentException(
          "videoId '"
              + videoId
              + "' is not allowed: a letter or digit, then up to 127 letters, digits, '.', '_' or"
              + " '-' (pattern "
              + VideoIds.PATTERN.pattern()
              + ")");
    }
  }

  /**
   * Renames {@code temp} to {@code target}. Returns true when {@code temp} is gone (renamed, or
   * deleted because an identical target already exists).
   */
  private static boolean moveIntoPlace(FileSystem fs, Path temp, Path target, String sha256)
      throws IOException {
    if (fs.rename(temp, target)) {
      return true;
    }
    if (!fs.exists(target)) {
      throw new IOException("could not rename " + temp + " to " + target);
    }
    // The file system does not replace an existing target (HDFS). A restarted job stores the same
    // bytes again: keep an identical file, replace a different one.
    if (sha256(fs, target).equals(sha256)) {
      fs.delete(temp, false);
      return true;
    }
    LOG.warn("{} exists with different content; replacing it", target);
    if (!fs.delete(target, false) || !fs.rename(temp, target)) {
      throw new IOException("could not replace " + target + " with " + temp);
    }
    return true;
  }

  private static String sha256(FileSystem fs, Path file) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = fs.open(file)) {
      copy(in, new DigestOutputStream(OutputStream.nullOutputStream(), digest));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static long copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[COPY_BUFFER_BYTES];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      out.write(buffer, 0, n);
      total += n;
    }
    return total;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static void deleteQuietly(FileSystem fs, Path path) {
    try {
      fs.delete(path, false);
    } catch (IOException e) {
      LOG.warn("could not delete temporary file {}", path, e);
    }
  }
}
