package org.tttvideo.storyboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The example storyboards in {@code examples/storyboards/} and what each must parse to. Shared with
 * the job tests through the model's test jar. Fails (never skips) when the folder is missing.
 */
public final class Examples {

  /**
   * What one example file holds.
   *
   * @param segments segments of each storyboard in the file, in order
   * @param scenes scenes of each storyboard in the file, in order
   */
  public record Expected(List<Integer> segments, List<Integer> scenes) {
    public int storyboards() {
      return segments.size();
    }
  }

  /** Every example file and its expected content. */
  public static final Map<String, Expected> EXPECTED =
      Map.of(
          "full-minute-storyboard.json", new Expected(List.of(21), List.of(5)),
          "full-minute-storyboard.txt", new Expected(List.of(21), List.of(5)),
          "plot.json", new Expected(List.of(9), List.of(2)),
          "plot-sentences.json", new Expected(List.of(5), List.of(1)),
          "summary.json", new Expected(List.of(21), List.of(1)),
          "reference-format.json", new Expected(List.of(4, 3), List.of(3, 3)),
          "quick-9s.json", new Expected(List.of(3), List.of(2)),
          "toonworld-minute.txt", new Expected(List.of(21), List.of(5)),
          "toonworld-bedroom-9s.txt", new Expected(List.of(3), List.of(1)),
          "toonworld-bedroom-plot.json", new Expected(List.of(3), List.of(1)));

  private Examples() {}

  /** The examples folder of the checkout (tests run in a module folder). */
  public static Path dir() {
    for (Path p :
        List.of(Path.of("..", "examples", "storyboards"), Path.of("examples", "storyboards"))) {
      if (Files.isDirectory(p)) {
        return p.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException(
        "examples/storyboards not found from " + Path.of("").toAbsolutePath());
  }

  /** The files in the folder, sorted by name. */
  public static List<Path> files() {
    try (Stream<Path> s = Files.list(dir())) {
      return s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
