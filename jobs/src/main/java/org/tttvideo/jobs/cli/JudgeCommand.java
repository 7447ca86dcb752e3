package org.tttvideo.jobs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.global.avutil;
import org.tttvideo.connectors.video.Frames;
import org.tttvideo.connectors.video.Mp4Probe;
import org.tttvideo.jobs.cli.WorldStoryboards.WorldStoryboard;
import org.tttvideo.toonworld.Clip;
import org.tttvideo.toonworld.judge.Judge;
import org.tttvideo.toonworld.judge.JudgeReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ttt-video judge}: scores a video against a storyboard written in the ToonWorld's words
 * ({@link Judge}: from the pixels and the text alone), or every video of a folder against the
 * storyboard of the same name beside it.
 */
@Command(
    name = "judge",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Scores a video against a storyboard in the ToonWorld's words (docs/toonworld.md):",
      "text following (room, characters, actions), consistency and presence, each in [0, 1].",
      "With a folder: every NAME.mp4 in it against NAME.txt or NAME.json beside it."
    },
    footer = {
      "",
      "Examples:",
      "  ttt-video judge videos/toonworld-minute.mp4 examples/storyboards/toonworld-minute.txt",
      "  ttt-video judge --json video.mp4 storyboard.json",
      "  ttt-video judge videos/"
    })
public final class JudgeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Parameters(
      arity = "1..2",
      paramLabel = "VIDEO STORYBOARD | FOLDER",
      description = "An MP4 and its storyboard, or a folder of MP4s with their storyboards.")
  List<Path> paths;

  @Option(
      names = "--json",
      description =
          "One JSON object per video (a folder: one per line, with the file names) instead of the"
              + " table.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    if (paths.size() == 2) {
      JudgeReport r = judge(paths.get(0), paths.get(1).toString(), err);
      out.print(json ? r.toJson() + "\n" : r.table());
      out.flush();
      return ExitCodes.OK;
    }
    Path folder = paths.get(0);
    if (!Files.isDirectory(folder)) {
      throw new CliException(
          CliException.USAGE,
          "give VIDEO STORYBOARD, or a FOLDER of videos; '" + folder + "' is not a folder");
    }
    List<Path> videos;
    try (Stream<Path> s = Files.list(folder)) {
      videos = s.filter(p -> p.getFileName().toString().endsWith(".mp4")).sorted().toList();
    }
    if (videos.isEmpty()) {
      throw new CliException(CliException.USAGE, "no .mp4 files in '" + folder + "'");
    }
    List<JudgeReport.Overall> all = new ArrayList<>();
    for (Path video : videos) {
      Path storyboard = storyboardOf(video);
      if (storyboard == null) {
        err.println("warning: no storyboard (NAME.txt or NAME.json) beside " + video + "; skipped");
        err.flush();
        continue;
      }
      JudgeReport r = judge(video, storyboard.toString(), err);
      all.add(r.overall());
      if (json) {
        out.println(
            "{\"video\":"
                + quoted(video.getFileName().toString())
                + ",\"storyboard\":"
                + quoted(storyboard.getFileName().toString())
                + ",\"report\":"
                + r.toJson()
                + "}");
      } else {
        out.println("== " + video.getFileName() + " against " + storyboard.getFileName());
        out.print(r.table());
      }
    }
    if (!json && !all.isEmpty()) {
      out.println(
          String.format(
              Locale.ROOT,
              "mean over %d videos: textFollowing %.3f, consistency %.3f, presence %.3f",
              all.size(),
              all.stream().mapToDouble(JudgeReport.Overall::textFollowing).average().orElse(0),
              all.stream().mapToDouble(JudgeReport.Overall::consistency).average().orElse(0),
              all.stream().mapToDouble(JudgeReport.Overall::presence).average().orElse(0)));
    }
    out.flush();
    return all.isEmpty() ? ExitCodes.USAGE : ExitCodes.OK;
  }

  private JudgeReport judge(Path video, String storyboard, PrintWriter err) throws IOException {
    if (!Files.isRegularFile(video)) {
      throw new CliException(CliException.USAGE, "cannot read video '" + video + "': no such file");
    }
    WorldStoryboard s = WorldStoryboards.read(storyboard, main.stdin());
    WorldStoryboards.warnUnknown(s, err);
    Frames f = Mp4Probe.readFrames(video);
    Clip clip = new Clip(f.width(), f.height(), f.fps(), f.frameCount(), f.rgb());
    try {
      return Judge.judge(clip, s.world().spec());
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, video + ": " + e.getMessage(), e);
    }
  }

  /** NAME.txt or NAME.json beside NAME.mp4, or null. */
  static Path storyboardOf(Path video) {
    String name = video.getFileName().toString();
    String base = name.substring(0, name.length() - ".mp4".length());
    for (String ext : List.of(".txt", ".json")) {
      Path p = video.resolveSibling(base + ext);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
