package org.tttvideo.storyboard.testutils;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the project's shared reference data ({@code ../shared} beside the checkout). The build
 * passes its location as the system property {@code ttt.shared.dir}; a test that needs it fails
 * (never skips) when it is missing, so a broken checkout cannot pass silently.
 */
public final class SharedTestData {
  private SharedTestData() {}

  /** The shared folder. */
  public static Path root() {
    String prop = System.getProperty("ttt.shared.dir");
    Path p = prop != null ? Path.of(prop) : Path.of("..", "shared");
    if (!Files.isDirectory(p)) {
      p = Path.of("..", "..", "shared");
    }
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException(
          "shared reference data not found (system property ttt.shared.dir=" + prop + ")");
    }
    return p.toAbsolutePath().normalize();
  }

  /** A path inside the shared folder that must exist. */
  public static Path resolve(String relative) {
    Path p = root().resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException("missing shared test data: " + p);
    }
    return p;
  }
}
