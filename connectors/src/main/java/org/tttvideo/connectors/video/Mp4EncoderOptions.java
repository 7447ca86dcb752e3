package org.tttvideo.connectors.video;

import java.io.Serializable;
import java.util.Objects;

/**
 * Settings of {@link Mp4Encoder}, validated in the constructor. Start from {@link #DEFAULTS} and
 * change what differs:
 *
 * <pre>{@code
 * Mp4EncoderOptions options = Mp4EncoderOptions.DEFAULTS.withBitrate(4_000_000).withGopSize(32);
 * }</pre>
 *
 * @param codecName the FFmpeg encoder, chosen by name so that FFmpeg never silently falls back to
 *     another one: {@code libopenh264} (H.264 in the LGPL build), or e.g. {@code h264_nvenc} on a
 *     machine with an NVIDIA encoder
 * @param profile the encoder's {@code profile} option ({@code high}, {@code main} or {@code
 *     constrained_baseline} for libopenh264), or {@code ""} for the encoder's default. High profile
 *     (CABAC) is about a quarter smaller than baseline here and plays in every current browser.
 * @param bitrate target bit rate in bits per second. libopenh264 treats it as a ceiling in its
 *     quality mode; frames are never skipped to meet it, so every frame reaches the file.
 * @param gopSize frames from one key frame to the next (the seek granularity of players)
 */
public record Mp4EncoderOptions(String codecName, String profile, int bitrate, int gopSize)
    implements Serializable {

  /** H.264 through libopenh264, High profile, 2 Mbit/s ceiling, a key frame every 16 frames. */
  public static final Mp4EncoderOptions DEFAULTS =
      new Mp4EncoderOptions("libopenh264", "high", 2_000_000, 16);

  public Mp4EncoderOptions {
    Objects.requireNonNull(codecName, "codecName");
    Objects.requireNonNull(profile, "profile");
    if (codecName.isBlank()) {
      throw new IllegalArgumentException(
          "codecName must name an FFmpeg video encoder (e.g. libopenh264), got '"
              + codecName
              + "'");
    }
    if (bitrate < 1) {
      throw new IllegalArgumentException(
          "bitrate must be at least 1 bit per second, got " + bitrate);
    }
    if (gopSize < 1) {
      throw new IllegalArgumentException("gopSize must be at least 1 frame, got " + gopSize);
    }
  }

  public Mp4EncoderOptions withCodecName(String v) {
    return new Mp4EncoderOptions(v, profile, bitrate, gopSize);
  }

  public Mp4EncoderOptions withProfile(String v) {
    return new Mp4EncoderOptions(codecName, v, bitrate, gopSize);
  }

  public Mp4EncoderOptions withBitrate(int v) {
    return new Mp4EncoderOptions(codecName, profile, v, gopSize);
  }

  public Mp4EncoderOptions withGopSize(int v) {
    return new Mp4EncoderOptions(codecName, profile, bitrate, v);
  }
}
