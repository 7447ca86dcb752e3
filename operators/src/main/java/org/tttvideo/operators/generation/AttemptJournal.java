package org.tttvideo.operators.generation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which task attempts of one generation subtask ran, and which of them ended in an orderly way,
 * kept outside Flink's state so that it survives attempts that no checkpoint completed in: the
 * evidence {@link RestoreStrikes} needs to charge a task failure only to an attempt in which videos
 * ran and the task died with them.
 *
 * <p>One task manager lost costs several task attempts: the restarts that are deployed to the dead
 * task manager's slots, before its heartbeat times out, fail without running anything, and the
 * attempts on the live task managers are cancelled by them. Counted from attempt numbers alone,
 * each of these is a failure charged to the restored videos, and a healthy video ends as a poison
 * video after one lost task manager. With the journal, an attempt counts as a failure only when it
 * {@linkplain #began began} (restored its state and was about to run videos) and did not
 * {@linkplain #ended end} (it was not closed, or closed in the middle of a slice): a crash, a kill,
 * a hang.
 *
 * <p>Files, one per event, named {@code attempt-<n>.began} and {@code attempt-<n>.ended} in a
 * folder of the subtask under the job's checkpoint directory (any Flink file system: the directory
 * every task manager can reach, since restores read it). A few bytes each; the files of attempts
 * older than the last completed checkpoint are deleted.
 */
final class AttemptJournal {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptJournal.class);

  /** What the journal says about one attempt. */
  enum Outcome {
    /** The journal could not be read: count the attempt as a failure, as without a journal. */
    UNKNOWN,
    /** It never began: it failed before it restored (deployed to a lost task manager). */
    NEVER_RAN,
    /** It began and ended in an orderly way (cancelled because another task failed). */
    ENDED,
    /** It began and did not end in an orderly way: its videos may have caused the failure. */
    DIED
  }

  /** Where the journal of a subtask goes, below a checkpoint directory. */
  static Path folder(Path checkpointDir, String jobId, String operatorId, int subtask) {
    return new Path(
        checkpointDir, jobId + "/generation-attempts/" + operatorId + "/subtask-" + subtask);
  }

  private final Path dir;

  /** The names found at the last {@link #read()}, or null if the read failed. */
  private Set<String> names;

  AttemptJournal(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /** Reads the folder once; {@link #outcome} answers from what it found. */
  void read() {
    Set<String> found = new HashSet<>();
    try {
      FileSystem fs = dir.getFileSystem();
      if (fs.exists(dir)) {
        FileStatus[] statuses = fs.listStatus(dir);
        if (statuses != null) {
          for (FileStatus s : statuses) {
            found.add(s.getPath().getName());
          }
        }
      }
      names = found;
    } catch (IOException e) {
      names = null;
      LOG.warn(
          "Cannot read the attempt journal {}: every attempt since the restored checkpoint counts"
              + " as a failure",
          dir,
          e);
    }
  }

  /** What attempt {@code attempt} did, as of the last {@link #read()}. */
  Outcome outcome(int attempt) {
    if (names == null) {
      return Outcome.UNKNOWN;
    }
    if (!names.contains(name(attempt, "began"))) {
      return Outcome.NEVER_RAN;
    }
    return names.contains(name(attempt, "ended")) ? Outcome.ENDED : Outcome.DIED;
  }

  /**
   * Records that {@code attempt} restored its state and is about to run videos. Throws if it
   * cannot: an attempt that ran without this record would never be charged.
   */
  void began(int attempt) throws IOException {
    write(attempt, "began");
  }

  /** Records that {@code attempt} ended in an orderly way; a failure to write is only logged. */
  void ended(int attempt) {
    try {
      write(attempt, "ended");
    } catch (IOException e) {
      LOG.warn(
          "Cannot record the orderly end of attempt {} in {}: the next restore counts it as a"
              + " failure",
          attempt,
          dir,
          e);
    }
  }

  /** Deletes the records of the attempts before {@code attempt}; failures are only logged. */
  void forgetBefore(int attempt) {
    try {
      FileSystem fs = dir.getFileSystem();
      FileStatus[] statuses = fs.exists(dir) ? fs.listStatus(dir) : null;
      if (statuses == null) {
        return;
      }
      for (FileStatus s : statuses) {
        int a = attemptOf(s.getPath().getName());
        if (a >= 0 && a < attempt) {
          fs.delete(s.getPath(), false);
        }
      }
    } catch (IOException e) {
      LOG.warn("Cannot delete old records of the attempt journal {}", dir, e);
    }
  }

  private void write(int attempt, String event) throws IOException {
    Path file = new Path(dir, name(attempt, event));
    FileSystem fs = dir.getFileSystem();
    fs.mkdirs(dir);
    try (FSDataOutputStream out = fs.create(file, FileSystem.WriteMode.OVERWRITE)) {
      out.write((event + " " + System.currentTimeMillis() + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  static String name(int attempt, String event) {
    return "attempt-" + attempt + "." + event;
  }

  /** The attempt a record's file name is of, or -1 if it is not one. */
  static int attemptOf(String name) {
    if (!name.startsWith("attempt-")) {
      return -1;
    }
    int dot = name.indexOf('.');
    try {
      return dot < 0 ? -1 : Integer.parseInt(name.substring("attempt-".length(), dot));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
