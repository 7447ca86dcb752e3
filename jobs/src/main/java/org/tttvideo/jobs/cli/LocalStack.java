package org.tttvideo.jobs.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tttvideo.jobs.local.LocalFlink;
import org.tttvideo.jobs.local.LocalKafka;

/**
 * What {@code ttt-video local} started (broker, cluster), stopped in reverse order, once; and the
 * lock of its work folder.
 */
final class LocalStack {
  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

  private final Path work;
  private FileChannel lockChannel;
  private FileLock lock;
  volatile LocalKafka kafka;
  volatile LocalFlink flink;
  private boolean closed;

  LocalStack(Path work) {
    this.work = work;
  }

  /**
   * Takes the work folder for this run (one run per folder at a time); with {@code fresh}, deletes
   * what an earlier run left in it first.
   */
  synchronized void lock(boolean fresh) {
    try {
      Files.createDirectories(work);
      lockChannel =
          FileChannel.open(
              work.resolve(LocalCommand.LOCK_FILE),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      lock = lockChannel.tryLock();
    } catch (IOException e) {
      throw new CliException(
          CliException.USAGE, "cannot use --work-dir " + work + ": " + e.getMessage(), e);
    }
    if (lock == null) {
      throw new CliException(
          CliException.USAGE,
          "--work-dir "
              + work
              + " is in use by another `ttt-video local`; stop it or choose another folder");
    }
    if (fresh) {
      for (String dir : List.of(LocalCommand.KAFKA_DIR, LocalCommand.CHECKPOINTS_DIR)) {
        deleteRecursively(work.resolve(dir));
      }
    }
  }

  synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (flink != null) {
      flink.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      LOG.debug("cannot release the lock of {}", work, e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new CliException(
          CliException.FAILURE, "cannot delete " + dir + " for --fresh: " + e.getMessage(), e);
    }
  }
}
