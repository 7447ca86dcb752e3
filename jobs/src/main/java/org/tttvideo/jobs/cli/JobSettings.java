package org.tttvideo.jobs.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.tttvideo.jobs.GenerationJobOptions;
import picocli.CommandLine.Option;

/**
 * The job's options on a command line (a picocli mixin): a properties file, {@code --set key=value}
 * on top of it, and the typed options of each command on top of both. Keys are those of {@link
 * GenerationJobOptions} ({@code ttt-video job --list-options}) and the {@code storyboard.*} limits.
 *
 * <pre>{@code
 * ttt-video job --properties examples/local.properties --set model.preset=tiny
 * }</pre>
 */
public final class JobSettings {

  @Option(
      names = "--properties",
      paramLabel = "FILE",
      description =
          "Job options in a Java properties file (keys as listed by `ttt-video job"
              + " --list-options`, e.g. examples/local.properties).")
  Path properties;

  @Option(
      names = {"-s", "--set"},
      paramLabel = "KEY=VALUE",
      description =
          "One job option, e.g. --set generation.max-active-videos=4; repeatable; wins over"
              + " --properties.")
  Map<String, String> set = new LinkedHashMap<>();

  /** The options of the file and of {@code --set}, in that order of precedence (later wins). */
  public Map<String, String> values() {
    Map<String, String> out = new LinkedHashMap<>();
    if (properties != null) {
      out.putAll(read(properties));
    }
    out.putAll(set);
    return out;
  }

  /**
   * The job's checked configuration: the file, {@code --set}, then {@code overrides} (a command's
   * typed options that were given; null values are skipped).
   *
   * @throws CliException (usage) for an unreadable file, an unknown key or a bad value
   */
  public Configuration configuration(Map<String, String> overrides) {
    Map<String, String> all = values();
    overrides.forEach(
        (k, v) -> {
          if (v != null) {
            all.put(k, v);
          }
        });
    try {
      return GenerationJobOptions.fromMap(all);
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, e.getMessage(), e);
    }
  }

  /** Reads a properties file (UTF-8) into a map. */
  static Map<String, String> read(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new CliException(
          CliException.USAGE, "cannot read properties file '" + file + "': no such file");
    } catch (IOException e) {
      throw new CliException(
          CliException.USAGE, "cannot read properties file '" + file + "': " + e.getMessage(), e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : p.stringPropertyNames()) {
      out.put(k, p.getProperty(k).trim());
    }
    return out;
  }
}
