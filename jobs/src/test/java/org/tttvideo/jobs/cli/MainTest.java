package org.tttvideo.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Argument handling of the command line: help, usage errors, the job's options. */
class MainTest {

  /**
   * {@code job}'s main runs inside the JobManager in application mode and under /jars/run: it must
   * return, not exit (an exit would end this test JVM and fail the build), and report failure as an
   * exception.
   */
  @Test
  void jobReturnsFromMainInsteadOfExitingTheJvm() {
    Main.main(new String[] {"job", "--dry-run"});
    assertThatThrownBy(
            () -> Main.main(new String[] {"job", "--dry-run", "--set", "model.presett=x"}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("ttt-video job failed with exit status ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "submit", "watch", "job", "frame-strip"})
  void everyCommandHasHelpWithExamples(String command) {
    CliRun r = CliRun.run(command, "--help");

    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("Usage: ttt-video " + command).contains("Examples:");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void topLevelHelpListsTheCommands() {
    CliRun r = CliRun.run("--help");

    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("local", "submit", "watch", "job", "frame-strip", "Examples:");
  }

  @Test
  void noCommandIsAUsageError() {
    CliRun r = CliRun.run();

    assertThat(r.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .containsExactly(
            "error: a command is needed: local, submit, watch, job or frame-strip (see"
                + " 'ttt-video --help')");
  }

  @Test
  void unknownOptionIsOneLineWithTheCommandsHelp() {
    CliRun r = CliRun.run("local", "--no-such-option", "x.json");

    assertThat(r.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .containsExactly(
            "error: Unknown option: '--no-such-option' (see 'ttt-video local --help')");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void badDurationNamesTheValue() {
    CliRun r = CliRun.run("submit", "--timeout", "soon", "x.json");

    assertThat(r.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains("'soon' is not a duration");
  }

  @Test
  void jobListsEveryOption() {
    CliRun r = CliRun.run("job", "--list-options");

    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("| `kafka.bootstrap-servers` | localhost:9092 |")
        .contains("| `model.preset` | small |")
        .contains("| `checkpoint.interval` | 10 s |")
        .contains("| `storyboard.max-segments` | 21 |");
  }

  @Test
  void jobOptionsComeFromFileThenSetThenTypedOptions(@TempDir Path dir) throws Exception {
    Path props = dir.resolve("job.properties");
    Files.writeString(
        props,
        "kafka.bootstrap-servers=file:9092\nmodel.preset=small\ntopics.videos=v1\n"
            + "storyboard.max-segments=5\n");

    CliRun r =
        CliRun.run(
            "job",
            "--dry-run",
            "--properties",
            props.toString(),
            "--set",
            "topics.videos=v2",
            "--set",
            "model.preset=cogvideox-5b-ttt",
            "--preset",
            "tiny",
            "--output-dir",
            "s3://bucket/videos");

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out().lines())
        .contains(
            "kafka.bootstrap-servers=file:9092",
            "model.preset=tiny",
            "topics.videos=v2",
            "output.dir=s3://bucket/videos",
            "storyboard.max-segments=5");
  }

  @Test
  void unknownJobOptionIsOneLine() {
    CliRun r = CliRun.run("job", "--dry-run", "--set", "model.presett=tiny");

    assertThat(r.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("error: unknown option 'model.presett'");
  }

  @Test
  void badPresetIsOneLine() {
    CliRun r = CliRun.run("job", "--dry-run", "--preset", "huge");

    assertThat(r.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .containsExactly(
            "error: model.preset is 'huge'; allowed are tiny, small, toon, cogvideox-5b-ttt");
  }

  @Test
  void thePaperPresetIsRefusedUpFrontWithTheReason() {
    // before any weights are allocated: the 5B preset would take 7.23 billion parameters
    CliRun r = CliRun.run("job", "--dry-run", "--preset", "cogvideox-5b-ttt");

    assertThat(r.status()).isEqualTo(ExitCodes.USAGE).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly(
            "error: model.preset is 'cogvideox-5b-ttt', which cannot run: there is no loader for"
                + " the real CogVideoX-5B checkpoint yet (nor its T5 text encoder and VAE), so it"
                + " would allocate 7.23 billion seeded parameters and make noise; it describes"
                + " the paper's model for parameter counts only. Presets that run: tiny, small, toon");
  }

  @Test
  void missingPropertiesFileIsOneLine(@TempDir Path dir) {
    CliRun r =
        CliRun.run("job", "--dry-run", "--properties", dir.resolve("nope.properties").toString());

    assertThat(r.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .containsExactly(
            "error: cannot read properties file '"
                + dir.resolve("nope.properties")
                + "': no such file");
  }

  @Test
  void exampleLocalPropertiesAreValid() {
    Path example = Path.of("").toAbsolutePath().getParent().resolve("examples/local.properties");

    CliRun r = CliRun.run("job", "--dry-run", "--properties", example.toString());

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("model.preset=");
  }
}
