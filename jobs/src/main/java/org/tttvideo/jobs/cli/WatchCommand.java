package org.tttvideo.jobs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.tttvideo.jobs.GenerationJobOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ttt-video watch}: follows {@code videos}, {@code video-progress} and {@code
 * storyboards.rejected} and prints each record as a readable line; {@code --download DIR} copies
 * each finished video there.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Follows the job's output topics (videos, video-progress, storyboards.rejected) and prints"
          + " one readable line per record, until Ctrl-C (or --limit / --timeout):",
      "  12:00:01 progress  <videoId>  [####----]  45%%  step 11/25  segment 2/3  ETA 0:12",
      "  12:00:30 ready     <videoId> <path> (9.0 s, 192x128 at 8 fps, ...) sha256=<hex>",
      "  12:00:30 failed    <videoId> <CODE>: <message>",
      "  12:00:31 rejected  <videoId|-> <CODE> <field>: <message> (record <topic>/<p>@<offset>)",
      "Videos and rejections are read committed: they show up when the job's checkpoint after"
          + " them completes.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  ttt-video watch",
      "  ttt-video watch --from-beginning --no-progress",
      "  ttt-video watch -b kafka-1:9093 -k security.protocol=SSL --download videos/",
      ExitCodes.HELP
    })
public final class WatchCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Option(names = "--from-beginning", description = "Start at the beginning of each topic.")
  boolean fromBeginning;

  @Option(names = "--no-progress", description = "Leave out the video-progress records.")
  boolean noProgress;

  @Option(
      names = "--download",
      paramLabel = "DIR",
      description =
          "Copy each finished video into DIR as <videoId>.mp4 (through Flink's FileSystem for its"
              + " URI) and check its SHA-256.")
  Path download;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Stop after N outcomes (ready, failed or rejected records).")
  Integer limit;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Stop after this long, e.g. 10min.")
  Duration timeout;

  @Mixin JobSettings settings;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Configuration options = settings.configuration(java.util.Map.of());
    Topics topics = Topics.of(options);
    KafkaClients clients = kafka.clients(options.get(GenerationJobOptions.BOOTSTRAP_SERVERS));
    clients.requireReachable(
        java.util.List.of(topics.videos(), topics.progress(), topics.rejected()));
    VideoDownloads downloads = download == null ? null : new VideoDownloads(download);
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    int outcomes = 0;
    boolean downloadFailed = false;
    try (OutputFollower follower =
        fromBeginning
            ? OutputFollower.fromBeginning(clients, topics)
            : OutputFollower.atEnd(clients, topics)) {
      out.println(
          "watching "
              + topics.videos()
              + ", "
              + topics.progress()
              + " and "
              + topics.rejected()
              + " on "
              + clients.bootstrapServers()
              + " (Ctrl-C stops)");
      out.flush();
      while ((limit == null || outcomes < limit) && System.nanoTime() < deadline) {
        for (VideoEvent e : follower.poll(Duration.ofMillis(200))) {
          if (e instanceof VideoEvent.Progress && noProgress) {
            continue;
          }
          if (e instanceof VideoEvent.Unreadable) {
            err.println(LocalTime.now().format(TIME) + " " + EventFormat.describe(e));
            err.flush();
            continue;
          }
          out.println(LocalTime.now().format(TIME) + " " + EventFormat.describe(e));
          if (!(e instanceof VideoEvent.Progress)) {
            outcomes++;
          }
          if (e instanceof VideoEvent.Ready r && downloads != null) {
            try {
              out.println("         downloaded " + downloads.download(r.ready()));
            } catch (IOException | RuntimeException ex) {
              downloadFailed = true;
              err.println(
                  "error: cannot download "
                      + r.ready().uri()
                      + ": "
                      + KafkaClients.rootMessage(ex));
              err.flush();
            }
          }
          out.flush();
        }
      }
    }
    return downloadFailed ? ExitCodes.NOT_ALL_VIDEOS : ExitCodes.OK;
  }
}
