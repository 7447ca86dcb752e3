package org.tttvideo.connectors.video;

import java.util.HexFormat;
import java.util.Objects;

/**
 * Where {@link VideoStore} put a video, and a fingerprint of its bytes.
 *
 * <pre>{@code
 * StoredVideo stored = store.store("sb-1a2b3c4d5e6f7a8b", segments);
 * stored.uri();      // "file:/data/videos/sb-1a2b3c4d5e6f7a8b.mp4"
 * stored.sha256();   // 64 lowercase hex digits
 * }</pre>
 *
 * @param uri the final file, as Flink's {@code Path#toUri()} writes it
 * @param sha256 SHA-256 of the file's bytes, 64 lowercase hex digits
 * @param bytes size of the file
 */
public record StoredVideo(String uri, String sha256, long bytes) {
  public StoredVideo {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(sha256, "sha256");
    if (sha256.length() != 64
        || !sha256.chars().allMatch(c -> HexFormat.isHexDigit(c) && !Character.isUpperCase(c))) {
      throw new IllegalArgumentException(
          "sha256 must be 64 lowercase hex digits, got '" + sha256 + "'");
    }
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
    }
  }
}
