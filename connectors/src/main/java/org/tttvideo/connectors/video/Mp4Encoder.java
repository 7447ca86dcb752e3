package org.tttvideo.connectors.video;

import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Encodes RGB24 {@link Frames} to an MP4 file with JavaCV's {@link FFmpegFrameRecorder}: H.264
 * through the LGPL build's {@code libopenh264} by default, yuv420p, a constant frame rate of the
 * frames' fps, and the {@code moov} atom before {@code mdat} ({@code movflags=+faststart}) so a
 * browser starts playing before the whole file has arrived.
 *
 * <pre>{@code
 * Mp4Encoder encoder = new Mp4Encoder(Mp4EncoderOptions.DEFAULTS);
 * encoder.encode(segments, Path.of("video.mp4"));   // List<Frames>, one per segment
 * Mp4Info info = Mp4Probe.probe(Path.of("video.mp4"));
 * }</pre>
 *
 * <p><b>Same frames, same bytes.</b> The output is a function of the frames and the options only:
 * {@code fflags=+bitexact} keeps the muxer from writing its version string, no {@code
 * creation_time} is set (so the {@code mvhd}/{@code tkhd} times stay 0), {@code flags=+bitexact}
 * does the same for the encoder, and {@code threads=1} keeps the slice layout of libopenh264 from
 * depending on the number of CPU cores. Timestamps are frame numbers, never wall-clock time. The
 * bytes still depend on the FFmpeg and openh264 builds: pin {@code org.bytedeco:ffmpeg}.
 *
 * <p>Width and height must be even: yuv420p keeps one chroma sample per 2x2 pixels. Odd sizes are
 * rejected rather than padded, because padding would change the video's resolution behind the
 * caller's back.
 *
 * <p>FFmpeg's MP4 muxer seeks back to write sizes and, for faststart, to move the {@code moov}
 * atom, so the output is a local file; {@link VideoStore} copies it to its final place.
 *
 * <p>Stateless and thread-safe: every call opens its own recorder.
 */
public final class Mp4Encoder implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Mp4EncoderOptions options;

  public Mp4Encoder() {
    this(Mp4EncoderOptions.DEFAULTS);
  }

  public Mp4Encoder(Mp4EncoderOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  public Mp4EncoderOptions options() {
    return options;
  }

  /** Encodes one run of frames to {@code out} (a local file, replaced if present). */
  public void encode(Frames frames, Path out) throws IOException {
    encode(List.of(Objects.requireNonNull(frames, "frames")), out);
  }

  /**
   * Encodes the segments one after another to {@code out} (a local file, replaced if present)
   * without joining them in memory first. The output equals that of {@code
   * encode(Frames.concat(segments), out)} byte for byte.
   *
   * @throws IllegalArgumentException when the list is empty, the segments differ in width, height
   *     or fps, or width or height is odd
   * @throws IllegalStateException when FFmpeg has no video encoder of the configured name
   * @throws IOException when FFmpeg fails to encode or write; a partial file is deleted
   */
  public void encode(List<Frames> segments, Path out) throws IOException {
    Frames.checkCompatible(segments);
    Objects.requireNonNull(out, "out");
    Frames first = segments.get(0);
    even("width", first.width());
    even("height", first.height());
    AVCodec codec = findVideoEncoder(options.codecName());

    FFmpegFrameRecorder recorder =
        new FFmpegFrameRecorder(out.toFile(), first.width(), first.height(), 0);
    boolean done = false;
    try {
      configure(recorder, codec.id(), first.fps());
      recorder.start();
      // One direct buffer for every frame: JavaCV hands its address to swscale (RGB24 -> yuv420p).
      ByteBuffer frameBuffer = ByteBuffer.allocateDirect(first.frameBytes());
      for (Frames segment : segments) {
        byte[] rgb = segment.rgb();
        int frameBytes = segment.frameBytes();
        for (int n = 0; n < segment.frameCount(); n++) {
          frameBuffer.clear();
          frameBuffer.put(rgb, n * frameBytes, frameBytes).flip();
          recorder.recordImage(
              segment.width(),
              segment.height(),
              Frame.DEPTH_UBYTE,
              3,
              segment.width() * 3,
              AV_PIX_FMT_RGB24,
              frameBuffer);
        }
      }
      recorder.stop(); // flushes the encoder, writes the trailer, moves moov to the front
      done = true;
    } finally {
      recorder.release();
      if (!done) {
        Files.deleteIfExists(out);
      }
    }
  }

  private void configure(FFmpegFrameRecorder recorder, int codecId, int fps) {
    recorder.setFormat("mp4");
    recorder.setVideoCodec(codecId);
    recorder.setVideoCodecName(options.codecName());
    recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
    recorder.setFrameRate(fps); // time base 1/fps: frame n has pts n, a constant frame rate
    recorder.setGopSize(options.gopSize());
    recorder.setVideoBitrate(options.bitrate());
    // Muxer: moov before mdat; no version string, no creation time.
    recorder.setOption("movflags", "+faststart");
    recorder.setOption("fflags", "+bitexact");
    // Encoder: bit-exact output, a slice layout independent of the core count, no skipped frames.
    recorder.setVideoOption("flags", "+bitexact");
    recorder.setVideoOption("threads", "1");
    recorder.setVideoOption("allow_skip_frames", "0");
    if (!options.profile().isEmpty()) {
      recorder.setVideoOption("profile", options.profile());
    }
    // swscale converts RGB to YUV with the BT.601 matrix into limited range; say so in the
    // stream, so that players do not guess BT.709 and shift the colours.
    recorder.setVideoOption("colorspace", "smpte170m");
    recorder.setVideoOption("color_primaries", "smpte170m");
    recorder.setVideoOption("color_trc", "smpte170m");
    recorder.setVideoOption("color_range", "tv");
  }

  /**
   * The FFmpeg video encoder called {@code name}.
   *
   * @throws IllegalStateException when FFmpeg cannot be loaded or has no video encoder of that name
   */
  static AVCodec findVideoEncoder(String name) {
    try {
      // Only libavcodec: FFmpegFrameRecorder.tryLoad() also loads libavdevice, which needs
      // libpulse.so.0 and fails on hosts without PulseAudio although nothing here uses a device.
      Loader.load(avcodec.class);
    } catch (LinkageError e) {
      throw new IllegalStateException(
          "FFmpeg's libavcodec could not be loaded: org.bytedeco:ffmpeg and its native jar for"
              + " this platform must be on the class path",
          e);
    }
    AVCodec codec = avcodec.avcodec_find_encoder_by_name(name);
    if (codec == null || codec.isNull()) {
      throw new IllegalStateException(
          "FFmpeg has no encoder named '"
              + name
              + "'. H.264 needs 'libopenh264', which the LGPL build of org.bytedeco:ffmpeg"
              + " (without the -gpl classifier) contains; check that this build is the one on"
              + " the class path");
    }
    if (codec.type() != AVMEDIA_TYPE_VIDEO) {
      throw new IllegalStateException(
          "FFmpeg encoder '" + name + "' is not a video encoder (media type " + codec.type() + ")");
    }
    return codec;
  }

  private static void even(String name, int value) {
    if (value % 2 != 0) {
      throw new IllegalArgumentException(
          name
              + " must be even for yuv420p (one chroma sample per 2x2 pixels), got "
              + value
              + "; crop or pad the frames to "
              + (value - 1)
              + " or "
              + (value + 1));
    }
  }
}
