package org.tttvideo.jobs.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One in-process run of the command line: exit status, standard output and standard error.
 *
 * @param status the exit status
 * @param out what was printed on standard output
 * @param err what was printed on standard error
 */
record CliRun(int status, String out, String err) {

  /** Runs {@code ttt-video args...} in this JVM with empty standard input. */
  static CliRun run(String... args) {
    return runWithInput(new byte[0], args);
  }

  static CliRun runWithInput(byte[] stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = Main.run(args, new ByteArrayInputStream(stdin), o, e);
    }
    return new CliRun(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The non-empty lines of standard error. */
  List<String> errLines() {
    return err.lines().filter(l -> !l.isBlank()).toList();
  }
}
