package org.tttvideo.jobs.cli;

/**
 * A failure the user can act on (a missing file, a port in use, an unreachable Kafka): {@link Main}
 * prints its message as one line on standard error, {@code error: <message>}, and exits with {@link
 * #exitCode()}, without a stack trace.
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Exit status of a bad argument or input file (picocli's usage error status). */
  public static final int USAGE = 2;

  /**
   * Exit status of a failure of the environment: a port in use, Kafka unreachable, a job failed.
   */
  public static final int FAILURE = 1;

  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
