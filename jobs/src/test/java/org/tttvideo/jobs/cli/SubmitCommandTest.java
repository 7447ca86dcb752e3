package org.tttvideo.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tttvideo.jobs.local.Ports;

/** {@code submit}'s errors: each one line on standard error and a non-zero status, bounded. */
class SubmitCommandTest {

  @Test
  void unreachableKafkaFailsWithinFifteenSeconds(@TempDir Path dir) throws Exception {
    Path storyboard =
        Files.writeString(
            dir.resolve("s.json"),
            "{\"format\": \"plot\", \"text\": \"A fox runs.\"}",
            StandardCharsets.UTF_8);
    int closed = Ports.freePort(); // nothing listens there

    long start = System.nanoTime();
    CliRun r =
        CliRun.run(
            "submit",
            "--wait",
            "--bootstrap-servers",
            "localhost:" + closed,
            storyboard.toString());
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;

    assertThat(r.status()).isEqualTo(ExitCodes.NOT_ALL_VIDEOS);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0))
        .startsWith("error: cannot reach Kafka at localhost:" + closed + " within 10 s")
        .endsWith("check --bootstrap-servers, and --kafka-property for TLS or SASL");
    assertThat(seconds).isLessThan(15);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void unresolvableHostIsOneLine(@TempDir Path dir) throws Exception {
    Path storyboard = Files.writeString(dir.resolve("s.txt"), "A fox runs.");

    CliRun r =
        CliRun.run(
            "submit", "--bootstrap-servers", "no-such-host.invalid:9092", storyboard.toString());

    assertThat(r.status()).isEqualTo(ExitCodes.NOT_ALL_VIDEOS);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("error: cannot connect to Kafka at no-such-host");
  }

  @Test
  void missingStoryboardFileBeforeConnecting(@TempDir Path dir) {
    String missing = dir.resolve("missing.json").toString();

    CliRun r = CliRun.run("submit", "--bootstrap-servers", "localhost:1", missing);

    assertThat(r.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .containsExactly("error: cannot read storyboard file '" + missing + "': no such file");
  }

  @Test
  void aFileIsNeeded() {
    CliRun r = CliRun.run("submit");

    assertThat(r.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("error: Missing required parameter: 'FILE'");
  }
}
