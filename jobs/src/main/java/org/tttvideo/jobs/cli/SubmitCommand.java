package org.tttvideo.jobs.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.tttvideo.jobs.GenerationJobOptions;
import org.tttvideo.storyboard.HeuristicExpander;
import org.tttvideo.storyboard.StoryboardOptions;
import org.tttvideo.storyboard.StoryboardParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ttt-video submit}: publishes storyboard files to the {@code storyboards} topic of any
 * Kafka cluster; with {@code --wait}, follows their progress and prints the outcome of each.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Publishes storyboard files (any accepted format, or - for standard input) to the"
          + " storyboards topic of a Kafka cluster where the generation job runs, one record per"
          + " file. With --wait, shows a progress bar per video and ends with one line per"
          + " storyboard:",
      "  VIDEO <videoId> <path|uri> sha256=<hex>",
      "  REJECTED <videoId|-> <CODE> <message>",
      "  FAILED <videoId> <CODE> <message>",
      "Without --wait, prints where each record went: SUBMITTED <videoId|-> <file>"
          + " <topic>/<partition>@<offset>.",
      "An unreachable Kafka is an error within about 15 s.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  ttt-video submit --wait examples/storyboards/quick-9s.json",
      "  ttt-video submit -b kafka-1:9093 -k security.protocol=SASL_SSL -k sasl.mechanism=PLAIN \\",
      "      -k sasl.jaas.config=\"$JAAS\" --properties job.properties --wait story.json",
      "  cat story.txt | ttt-video submit -",
      ExitCodes.HELP
    })
public final class SubmitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand Main main;

  @Parameters(
      paramLabel = "FILE",
      arity = "1..*",
      description = "Storyboard files, or - for standard input.")
  List<String> files = new ArrayList<>();

  @Mixin KafkaOptions kafka;

  @Option(
      names = "--topic",
      paramLabel = "TOPIC",
      description = "The storyboards topic (default: topics.storyboards of the job options).")
  String topic;

  @Option(
      names = "--wait",
      description = "Follow the videos' progress and print the outcome of each storyboard.")
  boolean await;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "With --wait: give up after this long, e.g. 30min (default: never).")
  Duration timeout;

  @Option(names = "--plain", description = "Plain progress lines instead of bars redrawn in place.")
  boolean plain;

  @Mixin JobSettings settings;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<StoryboardInput> inputs = StoryboardInput.readAll(files, main.stdin());
    Map<String, String> overrides = new HashMap<>();
    overrides.put(GenerationJobOptions.TOPIC_STORYBOARDS.key(), topic);
    Configuration options = settings.configuration(overrides);
    StoryboardOptions storyboardOptions = GenerationJobOptions.storyboardOptions(options);
    Topics topics = Topics.of(options);
    KafkaClients clients = kafka.clients(options.get(GenerationJobOptions.BOOTSTRAP_SERVERS));

    List<String> needed = new ArrayList<>(List.of(topics.storyboards()));
    if (await) {
      needed.addAll(List.of(topics.videos(), topics.progress(), topics.rejected()));
    }
    clients.requireReachable(needed);
    int maxRecord = storyboardOptions.maxPayloadBytes() + 64 * 1024;
    Delivery delivery = new Delivery(clients, topics, maxRecord, out, err);
    Submissions submissions =
        new Submissions(new StoryboardParser(storyboardOptions, new HeuristicExpander()));
    if (!await) {
      delivery.publish(submissions, inputs, true);
      for (Submissions.Submission s : submissions.all()) {
        for (Submissions.Slot slot : s.slots()) {
          out.println(
              "SUBMITTED "
                  + (slot.expectedVideoId().isEmpty() ? "-" : slot.expectedVideoId())
                  + " "
                  + s.label()
                  + " "
                  + topics.storyboards()
                  + "/"
                  + s.partition()
                  + "@"
                  + s.offset());
        }
      }
      out.flush();
      return ExitCodes.OK;
    }
    try (OutputFollower follower = OutputFollower.atEnd(clients, topics)) {
      delivery.publish(submissions, inputs, false);
      ProgressView view = new ProgressView(out, !plain && System.console() != null);
      boolean complete =
          delivery.await(follower, submissions, view, timeout, Optional::empty, () -> false);
      return delivery.close(submissions, complete, timeout);
    }
  }
}
