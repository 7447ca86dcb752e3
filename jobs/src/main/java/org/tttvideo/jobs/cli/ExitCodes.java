package org.tttvideo.jobs.cli;

/** The exit statuses of the commands, as their help texts list them. */
public final class ExitCodes {
  private ExitCodes() {}

  /** Every storyboard became a video (or, for {@code watch} and {@code job}, a normal end). */
  public static final int OK = 0;

  /** A storyboard was rejected or its video failed, or something around the job failed. */
  public static final int NOT_ALL_VIDEOS = 1;

  /** Bad arguments: an unknown option, a missing or unreadable file, a bad option value. */
  public static final int USAGE = CliException.USAGE;

  /** Interrupted (Ctrl-C, SIGINT): the JVM's own status after a clean shutdown. */
  public static final int INTERRUPTED = 130;

  /** The help section that lists these. */
  static final String HELP =
      "%nExit status: 0 every storyboard became a video; 1 a storyboard was rejected, a video"
          + " failed or something failed; 2 bad arguments or an unreadable file; 130 interrupted"
          + " (Ctrl-C).";
}
