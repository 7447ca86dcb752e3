package org.tttvideo.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tttvideo.jobs.local.Ports;

/**
 * What {@code local} refuses before it starts anything: each a one-line error and a non-zero
 * status, within milliseconds (nothing is started, so nothing needs stopping).
 */
class LocalCommandTest {

  @Test
  void missingStoryboardFile(@TempDir Path dir) {
    String missing = dir.resolve("no-such-storyboard.json").toString();

    CliRun r = CliRun.run("local", "--kafka-port", "1", "--dashboard-port", "2", missing);

    assertThat(r.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .containsExactly("error: cannot read storyboard file '" + missing + "': no such file");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void directoryAsStoryboardFile(@TempDir Path dir) {
    CliRun r = CliRun.run("local", dir.toString());

    assertThat(r.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .containsExactly("error: cannot read storyboard file '" + dir + "': it is a directory");
  }

  /**
   * A port in use is refused before anything starts (nothing on standard output): Kafka's bound on
   * localhost, the dashboard's on the wildcard address, as each server binds.
   */
  @ParameterizedTest
  @CsvSource({"true, Kafka, --kafka-port", "false, Flink dashboard, --dashboard-port"})
  void portInUse(boolean kafka, String what, String option, @TempDir Path dir) throws Exception {
    Path storyboard = storyboard(dir);
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(kafka ? new InetSocketAddress("localhost", 0) : new InetSocketAddress(0));
      int port = taken.getLocalPort();

      CliRun r =
          kafka
              ? local(storyboard, port, Ports.freePort())
              : local(storyboard, Ports.freePort(), port);

      assertThat(r.status()).isEqualTo(ExitCodes.NOT_ALL_VIDEOS);
      assertThat(r.errLines())
          .containsExactly(
              "error: port "
                  + port
                  + " ("
                  + what
                  + ") is already in use; stop what uses it or choose another port with "
                  + option);
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void samePortTwice(@TempDir Path dir) throws Exception {
    CliRun r =
        CliRun.run(
            "local",
            "--kafka-port",
            "19999",
            "--dashboard-port",
            "19999",
            storyboard(dir).toString());

    assertThat(r.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .containsExactly("error: --kafka-port and --dashboard-port are both 19999");
  }

  @Test
  void portOutOfRange(@TempDir Path dir) throws Exception {
    CliRun r = CliRun.run("local", "--kafka-port", "70000", storyboard(dir).toString());

    assertThat(r.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .containsExactly("error: --kafka-port is 70000; a port is a number from 1 to 65535");
  }

  @Test
  void nothingToDo() {
    CliRun r = CliRun.run("local");

    assertThat(r.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .containsExactly("error: give one or more storyboard files, or --keep-running");
  }

  @Test
  void standardInputOnlyOnce() {
    CliRun r = CliRun.runWithInput("x".getBytes(StandardCharsets.UTF_8), "local", "-", "-");

    assertThat(r.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).containsExactly("error: standard input (-) can be given only once");
  }

  @Test
  void badJobOptionBeforeAnythingStarts(@TempDir Path dir) throws Exception {
    CliRun r = localWithPreset("huge", dir);

    assertThat(r.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .containsExactly(
            "error: model.preset is 'huge'; allowed are tiny, small, toon, cogvideox-5b-ttt");
  }

  @Test
  void thePaperPresetIsRefusedBeforeAnythingStarts(@TempDir Path dir) throws Exception {
    CliRun r = localWithPreset("cogvideox-5b-ttt", dir);

    assertThat(r.status()).isEqualTo(ExitCodes.USAGE).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0))
        .startsWith(
            "error: model.preset is 'cogvideox-5b-ttt', which cannot run: there is no loader for"
                + " the real CogVideoX-5B checkpoint yet")
        .endsWith("Presets that run: tiny, small, toon");
  }

  /** {@code local --preset PRESET} on free ports with a one-line plot. */
  private static CliRun localWithPreset(String preset, Path dir) throws Exception {
    return local(storyboard(dir), Ports.freePort(), Ports.freePort(), "--preset", preset);
  }

  /** {@code local} of one storyboard file on the given ports, with further options. */
  private static CliRun local(
      Path storyboard, int kafkaPort, int dashboardPort, String... options) {
    List<String> args = new ArrayList<>(List.of("local"));
    args.addAll(List.of(options));
    args.addAll(
        List.of(
            "--kafka-port",
            Integer.toString(kafkaPort),
            "--dashboard-port",
            Integer.toString(dashboardPort),
            storyboard.toString()));
    return CliRun.run(args.toArray(String[]::new));
  }

  private static Path storyboard(Path dir) throws Exception {
    return Files.writeString(
        dir.resolve("s.json"),
        "{\"format\": \"plot\", \"text\": \"A fox runs. It jumps.\"}",
        StandardCharsets.UTF_8);
  }
}
