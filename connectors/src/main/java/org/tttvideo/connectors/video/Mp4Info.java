package org.tttvideo.connectors.video;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Mp4Probe#probe} found in an MP4 file.
 *
 * <pre>{@code
 * Mp4Info info = Mp4Probe.probe(Path.of("video.mp4"));
 * assert info.frameCount() == 48 && info.moovBeforeMdat();
 * }</pre>
 *
 * @param frameCount frames decoded from the first video stream (counted, not read from metadata)
 * @param fps the stream's frame rate as FFmpeg reports it
 * @param width pixels per row
 * @param height rows per frame
 * @param durationSeconds the container's duration
 * @param codecName FFmpeg's name of the stream's codec, e.g. {@code h264}
 * @param topLevelBoxes the types of the top-level MP4 boxes in file order, e.g. {@code [ftyp, moov,
 *     free, mdat]}
 * @param bytes size of the file
 */
public record Mp4Info(
    int frameCount,
    double fps,
    int width,
    int height,
    double durationSeconds,
    String codecName,
    List<String> topLevelBoxes,
    long bytes) {

  public Mp4Info {
    Objects.requireNonNull(codecName, "codecName");
    topLevelBoxes = List.copyOf(topLevelBoxes);
  }

  /**
   * Whether the {@code moov} box (the index) precedes the first {@code mdat} box (the media), which
   * lets a browser start playing while the file downloads. False when either box is missing.
   */
  public boolean moovBeforeMdat() {
    return Mp4Probe.moovBeforeMdat(topLevelBoxes);
  }
}
