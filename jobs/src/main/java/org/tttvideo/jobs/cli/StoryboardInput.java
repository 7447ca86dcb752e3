package org.tttvideo.jobs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One storyboard file as given on the command line, read whole: it is published unchanged as one
 * Kafka record, whatever its format (a reference-format file holding several videos is one record,
 * which the job's source splits into one storyboard per video, as the reference implementation's
 * input files are).
 *
 * @param label the name as given ({@code -} for standard input)
 * @param value the file's bytes
 */
public record StoryboardInput(String label, byte[] value) {

  /** The label of standard input. */
  public static final String STDIN = "-";

  /**
   * Reads every file (or standard input for {@code -}, at most once) before anything is started, so
   * that a missing file is an error at once.
   *
   * @throws CliException (usage) naming the first file that cannot be read and why
   */
  public static List<StoryboardInput> readAll(List<String> names, InputStream stdin) {
    List<StoryboardInput> out = new ArrayList<>();
    boolean stdinRead = false;
    for (String name : names) {
      if (STDIN.equals(name)) {
        if (stdinRead) {
          throw new CliException(CliException.USAGE, "standard input (-) can be given only once");
        }
        stdinRead = true;
        try {
          out.add(new StoryboardInput(STDIN, stdin.readAllBytes()));
        } catch (IOException e) {
          throw new CliException(
              CliException.USAGE, "cannot read standard input: " + e.getMessage(), e);
        }
      } else {
        out.add(read(name));
      }
    }
    return List.copyOf(out);
  }

  static StoryboardInput read(String name) {
    Path file = Path.of(name);
    String prefix = "cannot read storyboard file '" + name + "': ";
    if (Files.isDirectory(file)) {
      throw new CliException(CliException.USAGE, prefix + "it is a directory");
    }
    try {
      return new StoryboardInput(name, Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new CliException(CliException.USAGE, prefix + "no such file");
    } catch (AccessDeniedException e) {
      throw new CliException(CliException.USAGE, prefix + "permission denied");
    } catch (IOException e) {
      throw new CliException(CliException.USAGE, prefix + e.getMessage(), e);
    }
  }
}
