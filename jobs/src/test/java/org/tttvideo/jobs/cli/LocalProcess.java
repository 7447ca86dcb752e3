package org.tttvideo.jobs.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code ttt-video} run as a child JVM with this test's classpath and the Vector API module, as the
 * launcher runs it; its standard output and error go to files in a directory of the test. {@link
 * #close()} kills it if it still runs, so a failing test never leaves one behind.
 */
final class LocalProcess implements AutoCloseable {
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private LocalProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts {@code Main args...}; the log goes to {@code dir/<name>.log}. */
  static LocalProcess start(Path dir, String name, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--add-modules");
    cmd.add("jdk.incubator.vector");
    cmd.add("-Xmx2g");
    cmd.add("-Dttt.log.file=" + dir.resolve(name + ".log"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    return new LocalProcess(p, out, err);
  }

  long pid() {
    return process.pid();
  }

  String out() {
    return read(stdout);
  }

  String err() {
    return read(stderr);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Waits until a line of standard output matches, the process ends, or the timeout passes.
   *
   * @throws AssertionError with both outputs when the line did not come
   */
  String awaitLine(Predicate<String> line, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String l : out().lines().toList()) {
        if (line.test(l)) {
          return l;
        }
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "no matching line within "
            + timeout
            + " (alive: "
            + process.isAlive()
            + ")\n--- stdout:\n"
            + out()
            + "\n--- stderr:\n"
            + err());
  }

  /** Sends a signal ({@code INT} for Ctrl-C, {@code TERM}) with the system's kill command. */
  void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** The exit status, or null when it still runs after {@code timeout}. */
  Integer awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
