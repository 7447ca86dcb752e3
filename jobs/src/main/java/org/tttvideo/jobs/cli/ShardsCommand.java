package org.tttvideo.jobs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.global.avutil;
import org.tttvideo.connectors.video.Mp4Encoder;
import org.tttvideo.toonworld.Split;
import org.tttvideo.toonworld.dataset.DatasetConfig;
import org.tttvideo.toonworld.dataset.DatasetWriter;
import org.tttvideo.toonworld.dataset.Example;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ttt-video shards}: a ToonWorld training set and held-out set ({@link DatasetWriter}:
 * numpy-readable shards and a manifest), and the first examples of each split as MP4s with their
 * storyboards, for people and for {@code ttt-video judge FOLDER}.
 */
@Command(
    name = "shards",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Writes ToonWorld (storyboard, video) pairs: a training and a held-out split as shards that",
      "Python reads with numpy alone (tools/toonworld/read_shards.py), seeded and reproducible,",
      "and the first --mp4 examples of each split as MP4 + storyboard text."
    },
    footer = {
      "",
      "Example:",
      "  ttt-video shards --output data/toonworld --train 512 --held-out 64 --max-segments 3"
    })
public final class ShardsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      required = true,
      description = "The folder to write (manifest.json, train/, held_out/, mp4/).")
  Path output;

  @Option(
      names = "--train",
      paramLabel = "N",
      defaultValue = "64",
      description = "Examples of the training split (default: ${DEFAULT-VALUE}).")
  int train;

  @Option(
      names = "--held-out",
      paramLabel = "N",
      defaultValue = "16",
      description = "Examples of the held-out split (default: ${DEFAULT-VALUE}).")
  int heldOut;

  @Option(
      names = "--min-segments",
      paramLabel = "N",
      defaultValue = "1",
      description = "Fewest 3-second segments of an example (default: ${DEFAULT-VALUE}).")
  int minSegments;

  @Option(
      names = "--max-segments",
      paramLabel = "N",
      defaultValue = "21",
      description = "Most segments of an example, at most 21 (default: ${DEFAULT-VALUE}).")
  int maxSegments;

  @Option(
      names = "--per-shard",
      paramLabel = "N",
      defaultValue = "16",
      description = "Examples per shard file (default: ${DEFAULT-VALUE}).")
  int perShard;

  @Option(
      names = "--mp4",
      paramLabel = "N",
      defaultValue = "4",
      description = "MP4s (with storyboards) of the first N examples of each split (default: 4).")
  int mp4;

  @Override
  public Integer call() throws IOException {
    if (mp4 < 0) {
      throw new CliException(CliException.USAGE, "--mp4 must be 0 or more, got " + mp4);
    }
    DatasetConfig config;
    try {
      config = new DatasetConfig(train, heldOut, minSegments, maxSegments, perShard);
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    long t0 = System.nanoTime();
    DatasetWriter.write(output, config);
    double seconds = (System.nanoTime() - t0) / 1e9;
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    Mp4Encoder encoder = new Mp4Encoder();
    int videos = 0;
    for (Split split : Split.values()) {
      int n = Math.min(mp4, split == Split.TRAIN ? train : heldOut);
      Path dir = output.resolve("mp4").resolve(split.jsonName());
      Files.createDirectories(dir);
      for (int i = 0; i < n; i++) {
        Example e = Example.make(split, i, DatasetWriter.segmentsOf(split, i, config));
        encoder.encode(RenderCommand.frames(e.clip()), dir.resolve(e.id() + ".mp4"));
        Files.writeString(dir.resolve(e.id() + ".txt"), e.text().annotationText());
        videos++;
      }
    }
    out.println(
        String.format(
            Locale.ROOT,
            "wrote %d training and %d held-out examples to %s in %.1f s (%s), and %d MP4s under"
                + " %s",
            train,
            heldOut,
            output,
            seconds,
            sizes(output),
            videos,
            output.resolve("mp4")));
    out.flush();
    return ExitCodes.OK;
  }

  /** The bytes of each split's shards, for the summary line. */
  private static String sizes(Path root) throws IOException {
    StringBuilder b = new StringBuilder();
    for (Split split : Split.values()) {
      Path dir = root.resolve(split.jsonName());
      long bytes = 0;
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          for (Path p : s.toList()) {
            bytes += Files.size(p);
          }
        }
      }
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(split.jsonName())
          .append(' ')
          .append(String.format(Locale.ROOT, "%.1f MB", bytes / 1e6));
    }
    return b.toString();
  }
}
