package org.tttvideo.jobs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.NewTopic;
import org.bytedeco.ffmpeg.global.avutil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tttvideo.jobs.GenerationJob;
import org.tttvideo.jobs.GenerationJobOptions;
import org.tttvideo.jobs.local.LocalFlink;
import org.tttvideo.jobs.local.LocalKafka;
import org.tttvideo.jobs.local.Ports;
import org.tttvideo.model.dit.ModelWeights;
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
 * {@code ttt-video local}: Kafka's KRaft broker and a Flink MiniCluster with its dashboard in this
 * JVM, the generation job on them, and the given storyboards through it, with a progress bar per
 * video. Ends with one line per storyboard ({@code VIDEO ...} or {@code REJECTED ...}) and stops
 * everything, unless {@code --keep-running}. Ctrl-C stops the job, the cluster and the broker
 * cleanly.
 */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs everything on this machine, in this JVM: Kafka's own KRaft broker (port 9092), a Flink"
          + " MiniCluster with its web dashboard (port 8081) and the generation job; publishes the"
          + " storyboard files, shows a progress bar per video and prints where each MP4 is.",
      "Ends with one line per storyboard, for scripts:",
      "  VIDEO <videoId> <path> sha256=<hex>",
      "  REJECTED <videoId|-> <CODE> <message>",
      "  FAILED <videoId> <CODE> <message>",
      "and stops, unless --keep-running. Ctrl-C stops the job, the cluster and the broker cleanly.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  ttt-video local examples/storyboards/quick-9s.json",
      "  ttt-video local --output-dir /tmp/videos examples/storyboards/*.json",
      "  cat my-story.txt | ttt-video local -",
      "  ttt-video local --keep-running        # then: ttt-video submit --wait FILE",
      "  ttt-video local --kafka-port 19092 --dashboard-port 18081 --set generation.max-active-videos=4 FILE",
      ExitCodes.HELP
    })
public final class LocalCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(LocalCommand.class);

  /** Checkpoints in local mode, unless set: videos show up this long after they are written. */
  static final String LOCAL_CHECKPOINT_INTERVAL = "2 s";

  /** The work folder, relative to the current directory, unless --work-dir. */
  static final String DEFAULT_WORK_DIR = ".ttt-video";

  static final String KAFKA_DIR = "kafka";
  static final String CHECKPOINTS_DIR = "checkpoints";
  static final String LOCK_FILE = "lock";

  /** How long reading an earlier run's records may take. */
  private static final Duration RESUME_READ_TIMEOUT = Duration.ofMinutes(2);

  @Spec CommandSpec spec;
  @ParentCommand Main main;

  @Parameters(
      paramLabel = "FILE",
      arity = "0..*",
      description =
          "Storyboard files in any accepted format (docs/storyboards.md), or - for standard"
              + " input. Each file is one Kafka record; a reference-format file may hold several"
              + " videos.")
  List<String> files = new ArrayList<>();

  @Option(
      names = "--output-dir",
      paramLabel = "DIR",
      defaultValue = "videos",
      description = "Where the MP4 files go (default: ${DEFAULT-VALUE}).")
  Path outputDir;

  @Option(
      names = "--preset",
      paramLabel = "NAME",
      description =
          "Model preset: tiny, small or toon (default: small, or model.preset of --properties);"
              + " cogvideox-5b-ttt is refused until its checkpoint can be loaded.")
  String preset;

  @Option(
      names = "--weights",
      paramLabel = "FILE",
      description = "Safetensors weights of the preset.")
  String weights;

  @Option(
      names = "--backend",
      paramLabel = "NAME",
      description = "Compute backend: vector, nd4j, or naive (the slow reference).")
  String backend;

  @Option(
      names = "--keep-running",
      description =
          "Keep the broker, the cluster and the dashboard up after the files are done (Ctrl-C"
              + " stops them); show what further submissions become.")
  boolean keepRunning;

  @Option(
      names = "--kafka-port",
      paramLabel = "PORT",
      defaultValue = "9092",
      description = "Port of the broker on localhost (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(
      names = "--dashboard-port",
      paramLabel = "PORT",
      defaultValue = "8081",
      description =
          "Port of the Flink dashboard and REST API on localhost (default: ${DEFAULT-VALUE}).")
  int dashboardPort;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      defaultValue = "1",
      description = "Task slots and job parallelism (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Give up waiting for the videos after this long, e.g. 20min (default: never).")
  Duration timeout;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      defaultValue = DEFAULT_WORK_DIR,
      description =
          "Where the broker's data and the job's checkpoints are kept (default: ${DEFAULT-VALUE}"
              + " in the current directory). A run in a folder that holds an earlier run's"
              + " checkpoint resumes it: its unfinished videos continue from the last checkpoint.")
  Path workDir;

  @Option(
      names = "--fresh",
      description =
          "Delete what --work-dir holds (an earlier run's broker data and checkpoints) and start"
              + " over instead of resuming.")
  boolean fresh;

  @Option(names = "--plain", description = "Plain progress lines instead of bars redrawn in place.")
  boolean plain;

  @Mixin JobSettings settings;

  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopping;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (files.isEmpty() && !keepRunning) {
      throw new CliException(
          CliException.USAGE, "give one or more storyboard files, or --keep-running");
    }
    if (parallelism < 1) {
      throw new CliException(CliException.USAGE, "--parallelism must be at least 1");
    }
    // everything the user can get wrong is checked before anything starts
    List<StoryboardInput> inputs = StoryboardInput.readAll(files, main.stdin());
    if (kafkaPort == dashboardPort) {
      throw new CliException(
          CliException.USAGE, "--kafka-port and --dashboard-port are both " + kafkaPort);
    }
    checkPort(kafkaPort, "Kafka", "--kafka-port");
    checkPort(dashboardPort, "Flink dashboard", "--dashboard-port");
    Path output = outputDir.toAbsolutePath().normalize();
    Path work = workDir.toAbsolutePath().normalize();
    Configuration options = options(output, work);
    StoryboardOptions storyboardOptions = GenerationJobOptions.storyboardOptions(options);
    Topics topics = Topics.of(options);
    try {
      Files.createDirectories(output);
    } catch (IOException e) {
      throw new CliException(
          CliException.USAGE, "cannot create --output-dir " + output + ": " + e.getMessage(), e);
    }

    LocalStack stack = new LocalStack(work);
    stack.lock(fresh);
    boolean earlier = Files.exists(work.resolve(KAFKA_DIR).resolve("meta.properties"));
    Optional<Path> restore =
        options.getOptional(GenerationJobOptions.CHECKPOINT_DIR).isPresent()
                && !options.get(GenerationJobOptions.CHECKPOINT_DIR).equals(checkpointsUri(work))
            ? Optional.empty()
            : LocalResume.latestCheckpoint(work.resolve(CHECKPOINTS_DIR));
    Thread hook =
        new Thread(
            () -> {
              stopping = true;
              err.println("stopping: cancelling the job, stopping the cluster and the broker ...");
              err.flush();
              stack.close();
              err.println("stopped cleanly");
              err.flush();
              stopped.countDown();
            },
            "ttt-video-local-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      out.println("Starting Kafka (KRaft broker in this JVM) on localhost:" + kafkaPort + " ...");
      out.flush();
      int maxRecord = storyboardOptions.maxPayloadBytes() + 64 * 1024;
      // a rejection record is at most max-rejected-payload-bytes + 16 KiB (RejectionJson); the rest
      // is key, headers and framing
      int maxRejected = storyboardOptions.maxRejectedPayloadBytes() + 32 * 1024;
      stack.kafka =
          LocalKafka.startKeepingData(
              kafkaPort, work.resolve(KAFKA_DIR), Math.max(maxRecord, maxRejected));
      stack.kafka.createTopics(topics(topics, maxRecord, maxRejected));

      out.println(
          "Starting Flink (MiniCluster in this JVM) with the dashboard on http://localhost:"
              + dashboardPort
              + "/ ...");
      out.flush();
      // FFmpeg prints each encoder's settings to the terminal at its default level
      avutil.av_log_set_level(avutil.AV_LOG_ERROR);
      if (restore.isPresent()) {
        out.println(
            "Resuming the job of an earlier run in "
                + work
                + " from its checkpoint "
                + work.relativize(restore.get())
                + " (--fresh starts over)");
        out.flush();
      }
      stack.flink =
          LocalFlink.submit(
              GenerationJob.fromOptions(options),
              dashboardPort,
              parallelism,
              restore.map(p -> p.toUri().toString()).orElse(null));
      stack.flink.awaitRunning(Duration.ofMinutes(2));
      out.println("Dashboard: " + stack.flink.dashboardUrl());
      out.println(
          "Model: preset "
              + options.get(GenerationJobOptions.MODEL_PRESET)
              + (options.getOptional(GenerationJobOptions.MODEL_WEIGHTS_PATH).isPresent()
                  ? ""
                  : ModelWeights.hasBundled(options.get(GenerationJobOptions.MODEL_PRESET))
                      ? " with the trained weights bundled with this build"
                      : " with untrained weights (seeded; the videos are noise until --weights is"
                          + " given)")
              + "; videos go to "
              + output);
      out.println("Logs: " + System.getProperty(Main.LOG_FILE_PROPERTY, "(the test's logging)"));
      out.flush();

      KafkaClients clients = new KafkaClients(stack.kafka.bootstrapServers(), Map.of());
      Delivery delivery = new Delivery(clients, topics, maxRecord, out, err);
      ProgressView view = new ProgressView(out, !plain && System.console() != null);
      int status = ExitCodes.OK;
      try (OutputFollower follower =
          earlier
              ? OutputFollower.fromBeginning(clients, topics)
              : OutputFollower.atEnd(clients, topics)) {
        StoryboardParser parser = new StoryboardParser(storyboardOptions, new HeuristicExpander());
        Submissions submissions = new Submissions(parser);
        List<StoryboardInput> toPublish = inputs;
        List<VideoEvent> past = List.of();
        if (earlier) {
          past = follower.drainToEnd(RESUME_READ_TIMEOUT);
          toPublish =
              LocalResume.followEarlier(
                  submissions, parser, clients, topics, inputs, past, RESUME_READ_TIMEOUT, out);
        }
        if (!toPublish.isEmpty()) {
          delivery.publish(submissions, toPublish, false);
        }
        for (VideoEvent e : past) {
          if (!(e instanceof VideoEvent.Progress)) {
            submissions.offer(e);
          }
        }
        if (!submissions.all().isEmpty()) {
          boolean complete =
              delivery.await(
                  follower, submissions, view, timeout, stack.flink::problem, () -> stopping);
          if (stopping) {
            return ExitCodes.INTERRUPTED;
          }
          status = delivery.close(submissions, complete, timeout);
        }
        if (keepRunning && !stopping) {
          out.println(
              "Keeping Kafka (localhost:"
                  + kafkaPort
                  + ") and Flink ("
                  + stack.flink.dashboardRoot()
                  + ") running; submit more with: ttt-video submit --wait --bootstrap-servers"
                  + " localhost:"
                  + kafkaPort
                  + " FILE. Ctrl-C stops.");
          out.flush();
          followForever(follower, view, stack.flink, err);
        }
      }
      return status;
    } catch (CliException e) {
      if (stopping) {
        return ExitCodes.INTERRUPTED;
      }
      throw e;
    } catch (Exception e) {
      if (stopping) {
        LOG.info("ignored during shutdown", e);
        return ExitCodes.INTERRUPTED;
      }
      throw new CliException(
          CliException.FAILURE, "local mode failed: " + KafkaClients.rootMessage(e), e);
    } finally {
      if (!stopping) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // the JVM is shutting down already: the hook does the closing
        }
        stack.close();
      } else {
        // let the hook finish its clean shutdown before this thread returns
        stopped.await();
      }
    }
  }

  private void checkPort(int port, String what, String option) {
    try {
      Ports.requireFree(port, what, option);
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw new CliException(CliException.FAILURE, e.getMessage(), e);
    }
  }

  private static String checkpointsUri(Path work) {
    return work.resolve(CHECKPOINTS_DIR).toUri().toString();
  }

  /** The job's options: the file and --set, then this command's options. */
  Configuration options(Path output, Path work) {
    Map<String, String> given = settings.values();
    Map<String, String> overrides = new HashMap<>();
    overrides.put(GenerationJobOptions.BOOTSTRAP_SERVERS.key(), "localhost:" + kafkaPort);
    overrides.put(GenerationJobOptions.OUTPUT_DIR.key(), output.toUri().toString());
    overrides.put(GenerationJobOptions.MODEL_PRESET.key(), preset);
    overrides.put(GenerationJobOptions.MODEL_WEIGHTS_PATH.key(), weights);
    overrides.put(GenerationJobOptions.BACKEND.key(), backend);
    if (!given.containsKey(GenerationJobOptions.CHECKPOINT_INTERVAL.key())) {
      overrides.put(GenerationJobOptions.CHECKPOINT_INTERVAL.key(), LOCAL_CHECKPOINT_INTERVAL);
    }
    if (!given.containsKey(GenerationJobOptions.CHECKPOINT_DIR.key())) {
      overrides.put(GenerationJobOptions.CHECKPOINT_DIR.key(), checkpointsUri(work));
    }
    return settings.configuration(overrides);
  }

  /**
   * The four topics, {@code parallelism} partitions each; {@code max.message.bytes} of {@code
   * storyboards} fits the largest accepted storyboard, that of {@code storyboards.rejected} the
   * largest rejection record (bounded by its written size).
   */
  private List<NewTopic> topics(Topics t, int maxRecord, int maxRejected) {
    short one = 1;
    return List.of(
        new NewTopic(t.storyboards(), parallelism, one)
            .configs(Map.of("max.message.bytes", Integer.toString(maxRecord))),
        new NewTopic(t.videos(), parallelism, one),
        new NewTopic(t.progress(), parallelism, one),
        new NewTopic(t.rejected(), parallelism, one)
            .configs(Map.of("max.message.bytes", Integer.toString(maxRejected))));
  }

  /** With --keep-running: shows every video's progress and outcome until Ctrl-C. */
  private void followForever(
      OutputFollower follower, ProgressView view, LocalFlink flink, PrintWriter err) {
    long nextCheck = 0;
    while (!stopping) {
      for (VideoEvent e : follower.poll(Duration.ofMillis(200))) {
        if (e instanceof VideoEvent.Progress p) {
          view.update(p.progress());
        } else if (e instanceof VideoEvent.Ready r) {
          view.note(Submissions.videoLine(r.ready()));
        } else if (e instanceof VideoEvent.Failed f) {
          view.note(Submissions.failedLine(f.failed()));
        } else if (e instanceof VideoEvent.Rejected r) {
          view.note(Submissions.rejectedLine(r.rejection()));
        } else {
          err.println("warning: " + EventFormat.describe(e));
          err.flush();
        }
      }
      if (System.nanoTime() > nextCheck && !stopping) {
        Optional<String> problem = flink.problem();
        if (problem.isPresent() && !stopping) {
          throw new CliException(CliException.FAILURE, problem.get());
        }
        nextCheck = System.nanoTime() + 2_000_000_000L;
      }
    }
  }
}
