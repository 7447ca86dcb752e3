package org.tttvideo.jobs.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The checkout's {@code deploy/} folder and copies of it for tests that break things. */
final class DeployFiles {
  /** What {@link ManifestChecker} reads: the manifests and the Dockerfiles with build.sh. */
  static final List<String> FOLDERS = List.of("deploy/k8s", "deploy/docker");

  private DeployFiles() {}

  /** The checkout's root: the nearest folder above the working directory with deploy/k8s. */
  /** The checkout's root, its build facts and Flink's option keys, read once per test class. */
  record Checkout(Path root, BuildFacts build, FlinkOptionKeys keys) {}

  static Checkout checkout() {
    Path root = root();
    return new Checkout(root, BuildFacts.read(root), FlinkOptionKeys.fromClassPath());
  }

  static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("deploy/k8s/kustomization.yaml"))
          && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "no deploy/k8s/kustomization.yaml above " + Path.of("").toAbsolutePath());
  }

  /**
   * Copies {@link #FOLDERS} of {@code root} (their files, not build outputs in {@code target*})
   * under {@code dir}, keeping the relative paths.
   */
  static Path copy(Path root, Path dir) {
    for (String folder : FOLDERS) {
      Path from = root.resolve(folder);
      try (Stream<Path> files = Files.walk(from)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Path rel = from.relativize(f);
          if (rel.toString().startsWith("target") || !Files.isRegularFile(f)) {
            continue;
          }
          Path to = dir.resolve(folder).resolve(rel);
          Files.createDirectories(to.getParent());
          Files.copy(f, to);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir;
  }

  /** Replaces the one occurrence of {@code from} in {@code file} by {@code to}. */
  static void replaceOnce(Path file, String from, String to) {
    try {
      String s = Files.readString(file);
      int i = s.indexOf(from);
      if (i < 0 || s.indexOf(from, i + 1) >= 0) {
        throw new IllegalArgumentException(
            "'" + from + "' must occur exactly once in " + file + " for this test");
      }
      Files.writeString(file, s.substring(0, i) + to + s.substring(i + from.length()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
