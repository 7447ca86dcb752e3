package org.tttvideo.connectors.video.testutils;

import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg logs every opened file at INFO level to stderr; tests only want errors. */
public final class FfmpegLogs {
  private FfmpegLogs() {}

  /** Sets FFmpeg's process-wide log level to errors only. */
  public static void errorsOnly() {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
  }
}
