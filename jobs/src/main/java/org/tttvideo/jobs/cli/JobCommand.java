package org.tttvideo.jobs.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.tttvideo.jobs.GenerationJob;
import org.tttvideo.jobs.GenerationJobOptions;
import org.tttvideo.storyboard.StoryboardOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ttt-video job}: the generation job on the Flink cluster this runs in (under {@code flink
 * run}, the cluster's; otherwise a local one without dashboard), with its options from a properties
 * file, {@code --set} and the typed options.
 */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the generation job on the Flink cluster it is submitted to: the entry point for"
          + " `flink run`. Options come from a properties file, --set KEY=VALUE and the options"
          + " below (later wins); --list-options lists every key with its default.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  flink run -d -c org.tttvideo.jobs.cli.Main ttt-video-jobs-<version>-cluster.jar \\",
      "      job --properties job.properties",
      "  flink run -c org.tttvideo.jobs.cli.Main ttt-video-jobs-<version>-cluster.jar job \\",
      "      --bootstrap-servers kafka:9092 --output-dir s3://bucket/videos --preset small",
      "  ttt-video job --list-options",
      ExitCodes.HELP
    })
public final class JobCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin JobSettings settings;

  @Option(
      names = {"-b", "--bootstrap-servers"},
      paramLabel = "HOST:PORT[,...]",
      description = "kafka.bootstrap-servers")
  String bootstrapServers;

  @Option(
      names = "--output-dir",
      paramLabel = "URI",
      description = "output.dir, e.g. s3://bucket/videos")
  String outputDir;

  @Option(names = "--preset", paramLabel = "NAME", description = "model.preset")
  String preset;

  @Option(names = "--weights", paramLabel = "FILE", description = "model.weights-path")
  String weights;

  @Option(names = "--backend", paramLabel = "NAME", description = "model.backend")
  String backend;

  @Option(
      names = "--list-options",
      description = "Print every job option (key, default, description) and exit.")
  boolean listOptions;

  @Option(
      names = "--dry-run",
      description =
          "Check the options and print the job's effective configuration, without running it.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (listOptions) {
      printOptions(out);
      return ExitCodes.OK;
    }
    Configuration options = options();
    if (dryRun) {
      // every option with its effective value (defaults included), then any other keys given
      java.util.Map<String, String> given = new java.util.TreeMap<>(options.toMap());
      for (ConfigOption<?> o : GenerationJobOptions.ALL) {
        given.remove(o.key());
        out.println(o.key() + "=" + format(options.getOptional(o).orElse(null), o));
      }
      given.forEach((k, v) -> out.println(k + "=" + v));
      out.flush();
      return ExitCodes.OK;
    }
    GenerationJob.fromOptions(options).execute();
    return ExitCodes.OK;
  }

  /** The job's checked options. */
  Configuration options() {
    Map<String, String> overrides = new HashMap<>();
    overrides.put(GenerationJobOptions.BOOTSTRAP_SERVERS.key(), bootstrapServers);
    overrides.put(GenerationJobOptions.OUTPUT_DIR.key(), outputDir);
    overrides.put(GenerationJobOptions.MODEL_PRESET.key(), preset);
    overrides.put(GenerationJobOptions.MODEL_WEIGHTS_PATH.key(), weights);
    overrides.put(GenerationJobOptions.BACKEND.key(), backend);
    return settings.configuration(overrides);
  }

  private static String format(Object value, ConfigOption<?> o) {
    Object v = value != null ? value : o.hasDefaultValue() ? o.defaultValue() : null;
    if (v instanceof java.time.Duration d) {
      return org.apache.flink.util.TimeUtils.formatWithHighestUnit(d);
    }
    return v == null ? "" : String.valueOf(v);
  }

  /** The options as a Markdown table: key, default, description. */
  static void printOptions(PrintWriter out) {
    out.println("| key | default | description |");
    out.println("|---|---|---|");
    for (ConfigOption<?> o : GenerationJobOptions.ALL) {
      String def = o.hasDefaultValue() ? String.valueOf(o.defaultValue()) : "(none)";
      if (o.defaultValue() instanceof java.time.Duration d) {
        def = org.apache.flink.util.TimeUtils.formatWithHighestUnit(d);
      }
      out.println(
          "| `"
              + o.key()
              + "` | "
              + def
              + " | "
              + new HtmlFormatter().format(o.description()).replace("|", "\\|")
              + " |");
    }
    for (StoryboardOptions.Spec s : StoryboardOptions.SPECS) {
      out.println(
          "| `"
              + s.key()
              + "` | "
              + (s.defaultValue().isEmpty() ? "(empty)" : s.defaultValue())
              + " | "
              + s.description().replace("|", "\\|")
              + " |");
    }
    out.flush();
  }
}
