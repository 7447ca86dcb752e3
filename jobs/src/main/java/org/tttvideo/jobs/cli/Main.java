package org.tttvideo.jobs.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The command line, {@code ttt-video}: {@code local} (everything in one JVM, with the dashboard),
 * {@code submit} (storyboards to any Kafka), {@code watch} (the job's output topics), {@code job}
 * (the entry point on a Flink cluster) and {@code frame-strip} (a PNG of an MP4's frames).
 *
 * <pre>{@code
 * ./ttt-video local examples/storyboards/quick-9s.json
 * flink run -c org.tttvideo.jobs.cli.Main ttt-video-jobs-<version>-cluster.jar job --properties job.properties
 * }</pre>
 *
 * Errors the user can act on are one line on standard error ({@code error: ...}); the full story is
 * in the log file ({@value #LOG_FILE_PROPERTY}, printed by {@code local}).
 */
@Command(
    name = "ttt-video",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Storyboards in, videos out: a TTT video diffusion transformer on Apache Flink and Kafka.",
      ""
    },
    subcommands = {
      LocalCommand.class,
      SubmitCommand.class,
      WatchCommand.class,
      JobCommand.class,
      FrameStripCommand.class,
      RenderCommand.class,
      JudgeCommand.class,
      ShardsCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  ttt-video local examples/storyboards/quick-9s.json",
      "  ttt-video local --keep-running",
      "  ttt-video submit --wait --bootstrap-servers localhost:9092 examples/storyboards/plot.json",
      "  ttt-video watch --download videos/",
      "  flink run -c org.tttvideo.jobs.cli.Main ttt-video-jobs-cluster.jar job --properties"
          + " job.properties",
      "",
      "`ttt-video COMMAND --help` explains each command."
    })
public final class Main implements Runnable {
  /** The system property naming the log file of the command line. */
  public static final String LOG_FILE_PROPERTY = "ttt.log.file";

  private static final String CLI_LOG_CONFIG = "log4j2-cli.xml";

  @Spec CommandSpec spec;

  private final InputStream stdin;

  Main(InputStream stdin) {
    this.stdin = stdin;
  }

  /** Standard input of this run (for {@code -} as a storyboard file). */
  InputStream stdin() {
    return stdin;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a command is needed: local, submit, watch, job or frame-strip");
  }

  /**
   * Runs the command line and exits with its status; {@code job} never exits the JVM (see below).
   */
  public static void main(String[] args) {
    configureLogging(args.length > 0 && args[0].matches("[a-z-]+") ? args[0] : "cli");
    int status = run(args, System.in, System.out, System.err);
    if (args.length > 0 && args[0].equals("job")) {
      // `job` runs inside Flink's client, or in application mode and under /jars/run inside the
      // JobManager: System.exit would end that JVM. Success returns; failure is an exception,
      // which Flink reports as the job's submission error.
      if (status != 0) {
        throw new IllegalStateException(
            "ttt-video job failed with exit status " + status + " (the reason is printed above)");
      }
      return;
    }
    System.exit(status);
  }

  /**
   * Runs a command line with the given streams and returns its exit status (without exiting), for
   * tests and embedding.
   */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    CommandLine cl = commandLine(in);
    cl.setOut(o);
    cl.setErr(e);
    try {
      return cl.execute(args);
    } finally {
      o.flush();
      e.flush();
    }
  }

  /** The picocli command tree with the one-line error handlers. */
  static CommandLine commandLine(InputStream in) {
    CommandLine cl = new CommandLine(new Main(in));
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr()
              .println(
                  "error: "
                      + Submissions.oneLine(String.valueOf(ex.getMessage()))
                      + " (see '"
                      + c.getCommandSpec().qualifiedName()
                      + " --help')");
          return ExitCodes.USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parsed) -> {
          if (ex instanceof CliException ce) {
            LoggerFactory.getLogger(Main.class).info("command failed: {}", ce.getMessage(), ce);
            c.getErr().println("error: " + Submissions.oneLine(ce.getMessage()));
            return ce.exitCode();
          }
          LoggerFactory.getLogger(Main.class).error("command failed", ex);
          c.getErr()
              .println(
                  "error: "
                      + KafkaClients.rootMessage(ex)
                      + " ("
                      + ex.getClass().getSimpleName()
                      + "; details in "
                      + System.getProperty(LOG_FILE_PROPERTY, "the log")
                      + ")");
          return ExitCodes.NOT_ALL_VIDEOS;
        });
    return cl;
  }

  /**
   * Sends the command line's logs to a file, not the terminal, unless a log4j configuration was
   * given (as Flink's scripts do under {@code flink run}): {@code <tmp>/ttt-video-<command>.log},
   * one file per command so that a {@code submit} beside a {@code local} does not write into its
   * log. Runs before the first logger exists.
   */
  static void configureLogging(String command) {
    if (System.getProperty("log4j.configurationFile") == null
        && System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", CLI_LOG_CONFIG);
      // log4j's own warnings (e.g. about Flink's log message placeholders) would reach the terminal
      if (System.getProperty("log4j2.statusLoggerLevel") == null) {
        System.setProperty("log4j2.statusLoggerLevel", "ERROR");
      }
      if (System.getProperty(LOG_FILE_PROPERTY) == null) {
        System.setProperty(
            LOG_FILE_PROPERTY,
            Path.of(System.getProperty("java.io.tmpdir"), "ttt-video-" + command + ".log")
                .toString());
      }
      // the dashboard shows the job manager's log from here
      if (System.getProperty("log.file") == null) {
        System.setProperty("log.file", System.getProperty(LOG_FILE_PROPERTY));
      }
    }
  }

  /** The version from the jar's manifest, when built as a jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"ttt-video " + (v == null ? "(development build)" : v)};
    }
  }
}
