package org.tttvideo.storyboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoryboardCheckTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(List<String> args) {
    return StoryboardCheck.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private List<String> lines() {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void everyExamplePassesAndTheExitStatusIsZero() {
    List<String> files = Examples.files().stream().map(Path::toString).toList();

    assertThat(run(files)).isZero();

    List<String> lines = lines();
    int storyboards =
        Examples.EXPECTED.values().stream().mapToInt(Examples.Expected::storyboards).sum();
    assertThat(lines).hasSize(storyboards + 1);
    assertThat(lines.get(lines.size() - 1)).isEqualTo(storyboards + " passed, 0 failed");
    String quick = Examples.dir().resolve("quick-9s.json").toString();
    assertThat(lines).contains(quick + "#1: ok quick-9s-paper-boat segments=3 scenes=2");
    String ref = Examples.dir().resolve("reference-format.json").toString();
    assertThat(lines)
        .anyMatch(l -> l.matches("\\Q" + ref + "\\E#2: ok sb-[0-9a-f]{16} segments=3 scenes=3"));
  }

  @Test
  void aRejectedStoryboardIsPrintedWithCodeFieldAndMessageAndFailsTheRun(@TempDir Path dir)
      throws IOException {
    Path good = dir.resolve("good.json");
    Files.writeString(
        good, "{\"format\": \"plot\", \"videoId\": \"ok-1\", \"text\": \"A cat sits.\"}");
    Path mixed = dir.resolve("mixed.json");
    Files.writeString(mixed, "[[{\"text\": \"A.\"}], [{\"text\": \"\"}]]");
    Path missing = dir.resolve("missing.json");

    assertThat(run(List.of(good.toString(), mixed.toString(), missing.toString()))).isEqualTo(1);

    List<String> lines = lines();
    assertThat(lines.get(0)).isEqualTo(good + "#1: ok ok-1 segments=1 scenes=1");
    assertThat(lines.get(1)).startsWith(mixed + "#1: ok sb-");
    assertThat(lines.get(2))
        .startsWith(mixed + "#2: rejected EMPTY_TEXT [1][0].text: [1][0].text is empty");
    assertThat(lines.get(3)).startsWith(missing + ": cannot read:");
    assertThat(lines.get(4)).isEqualTo("2 passed, 2 failed");
  }

  @Test
  void withoutFilesItPrintsUsage() {
    assertThat(run(List.of())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage:").contains("FILE...");
  }
}
