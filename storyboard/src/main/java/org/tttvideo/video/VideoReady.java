package org.tttvideo.video;

import java.util.Objects;

/**
 * A finished video, published on the {@code videos} topic exactly once per video.
 *
 * @param videoId the storyboard's video id (the Kafka key)
 * @param uri where the MP4 is, as Flink's FileSystem names it ({@code file:/...}, {@code s3://...})
 * @param sha256 lower-case hex SHA-256 of the file's bytes
 * @param bytes file size
 * @param durationSeconds frames / fps
 * @param fps frames per second
 * @param width frame width in pixels
 * @param height frame height in pixels
 * @param segments 3-second segments in the video
 * @param seed the seed the video was generated from
 * @param modelPreset the model preset that generated it
 * @param wallTimeMillis from the storyboard's arrival at the generation operator to the file's
 *     rename (informational: differs between runs)
 */
public record VideoReady(
    String videoId,
    String uri,
    String sha256,
    long bytes,
    double durationSeconds,
    int fps,
    int width,
    int height,
    int segments,
    long seed,
    String modelPreset,
    long wallTimeMillis) {

  public VideoReady {
    Objects.requireNonNull(videoId, "videoId");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(modelPreset, "modelPreset");
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got " + sha256);
    }
    if (bytes <= 0 || fps <= 0 || width <= 0 || height <= 0 || segments <= 0) {
      throw new IllegalArgumentException(
          "bytes, fps, width, height and segments must be positive: "
              + bytes
              + ", "
              + fps
              + ", "
              + width
              + ", "
              + height
              + ", "
              + segments);
    }
  }
}
