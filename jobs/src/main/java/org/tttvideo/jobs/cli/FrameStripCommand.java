package org.tttvideo.jobs.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avutil;
import org.tttvideo.connectors.video.Frames;
import org.tttvideo.connectors.video.Mp4Probe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ttt-video frame-strip}: a PNG of evenly spaced frames of an MP4, side by side, for the
 * README (decoded with FFmpeg through {@link Mp4Probe#readFrames}, written with {@link ImageIO}).
 */
@Command(
    name = "frame-strip",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Writes a PNG of N evenly spaced frames of an MP4 side by side.",
    footer = {
      "",
      "Examples:",
      "  ttt-video frame-strip videos/quick-9s-paper-boat.mp4 -o docs/images/frame-strip.png",
      "  ttt-video frame-strip --frames 6 --scale 2 video.mp4 -o strip.png"
    })
public final class FrameStripCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "VIDEO", description = "An MP4 file.")
  Path video;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "PNG",
      required = true,
      description = "The PNG to write.")
  Path output;

  @Option(
      names = "--frames",
      paramLabel = "N",
      defaultValue = "8",
      description = "Frames in the strip (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(
      names = "--scale",
      paramLabel = "K",
      defaultValue = "1",
      description = "Integer scale of each frame, nearest neighbour (default: ${DEFAULT-VALUE}).")
  int scale;

  @Option(
      names = "--gap",
      paramLabel = "PIXELS",
      defaultValue = "2",
      description = "White pixels between frames (default: ${DEFAULT-VALUE}).")
  int gap;

  @Override
  public Integer call() throws IOException {
    if (frames < 1 || scale < 1 || gap < 0) {
      throw new CliException(
          CliException.USAGE, "--frames and --scale must be at least 1, --gap at least 0");
    }
    if (!Files.isRegularFile(video)) {
      throw new CliException(CliException.USAGE, "cannot read video '" + video + "': no such file");
    }
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    Frames decoded = Mp4Probe.readFrames(video);
    BufferedImage strip = strip(decoded, frames, scale, gap);
    Path parent = output.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(strip, "png", output.toFile())) {
      throw new CliException(CliException.FAILURE, "no PNG writer in this JVM");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "wrote "
            + output
            + " ("
            + strip.getWidth()
            + "x"
            + strip.getHeight()
            + ", "
            + Math.min(frames, decoded.frameCount())
            + " of "
            + decoded.frameCount()
            + " frames)");
    out.flush();
    return ExitCodes.OK;
  }

  /** The strip: {@code n} frames at evenly spaced indices (first and last included). */
  static BufferedImage strip(Frames f, int n, int scale, int gap) {
    int count = Math.min(n, f.frameCount());
    int w = f.width() * scale;
    int h = f.height() * scale;
    BufferedImage img =
        new BufferedImage(count * w + (count - 1) * gap, h, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < img.getWidth(); x++) {
      for (int y = 0; y < h; y++) {
        img.setRGB(x, y, 0xFFFFFF);
      }
    }
    byte[] rgb = f.rgb();
    int frameBytes = f.width() * f.height() * 3;
    for (int i = 0; i < count; i++) {
      int index =
          count == 1 ? 0 : (int) Math.round(i * (f.frameCount() - 1) / (double) (count - 1));
      int base = index * frameBytes;
      int x0 = i * (w + gap);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int p = base + ((y / scale) * f.width() + (x / scale)) * 3;
          int color = (rgb[p] & 0xFF) << 16 | (rgb[p + 1] & 0xFF) << 8 | (rgb[p + 2] & 0xFF);
          img.setRGB(x0 + x, y, color);
        }
      }
    }
    return img;
  }
}
