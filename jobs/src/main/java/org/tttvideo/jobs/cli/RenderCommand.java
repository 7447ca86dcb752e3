package org.tttvideo.jobs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.ffmpeg.global.avutil;
import org.tttvideo.connectors.video.Frames;
import org.tttvideo.connectors.video.Mp4Encoder;
import org.tttvideo.jobs.cli.WorldStoryboards.WorldStoryboard;
import org.tttvideo.toonworld.Clip;
import org.tttvideo.toonworld.Renderer;
import org.tttvideo.toonworld.WorldSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ttt-video render}: the ground truth of a storyboard written in the ToonWorld's words,
 * drawn by the procedural {@link Renderer} (no model) and encoded to an MP4.
 */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Renders the ToonWorld ground truth of a storyboard written in the world's words",
      "(docs/toonworld.md) to an MP4: no model, the world's own renderer."
    },
    footer = {
      "",
      "Examples:",
      "  ttt-video render examples/storyboards/toonworld-minute.json -o videos/toonworld-minute.mp4",
      "  ttt-video render --seed 3 my-storyboard.txt -o truth.mp4"
    })
public final class RenderCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Parameters(
      index = "0",
      paramLabel = "STORYBOARD",
      description = "A storyboard file in any format the job accepts, or - for standard input.")
  String storyboard;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE.mp4",
      required = true,
      description = "The MP4 to write (replaced if present).")
  Path output;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "The renderer's seed (default: the storyboard's seed).")
  Long seed;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (seed != null && seed < 0) {
      throw new CliException(CliException.USAGE, "--seed must be 0 or more, got " + seed);
    }
    WorldStoryboard s = WorldStoryboards.read(storyboard, main.stdin());
    WorldStoryboards.warnUnknown(s, err);
    WorldSpec world = s.world().spec();
    long renderSeed = seed != null ? seed : s.storyboard().seed();
    long t0 = System.nanoTime();
    Clip clip = Renderer.render(world, renderSeed);
    double renderSeconds = (System.nanoTime() - t0) / 1e9;
    Path parent = output.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    new Mp4Encoder().encode(frames(clip), output);
    out.println(
        String.format(
            Locale.ROOT,
            "wrote %s: %d scenes, %d segments, %.1f s, %dx%d at %d fps (rendered in %.2f s, seed"
                + " %d)",
            output,
            world.scenes().size(),
            world.segmentCount(),
            clip.frameCount() / (double) clip.fps(),
            clip.width(),
            clip.height(),
            clip.fps(),
            renderSeconds,
            renderSeed));
    out.flush();
    return ExitCodes.OK;
  }

  /** The clip's packed RGB24 frames as the encoder's {@link Frames} (the same layout). */
  static Frames frames(Clip clip) {
    return new Frames(clip.width(), clip.height(), clip.fps(), clip.frameCount(), clip.rgb());
  }
}
