package org.tttvideo.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Runs {@code deploy/e2e/fault-campaign.sh} at the size CI affords (local mode killed twice in the
 * 21-segment example at 3 steps, hostile records mixed with valid ones, a backlog of 100 tiny
 * storyboards) on this test's classpath, and checks its table: every kill point survived, and no
 * record lost or duplicated in any scenario. The full size is run by hand (deploy/README.md). About
 * 6-8 minutes on two cores; {@code -Dttt.e2e.skip=true} leaves it out.
 */
@DisabledIfSystemProperty(
    named = "ttt.e2e.skip",
    matches = "true",
    disabledReason = "-Dttt.e2e.skip=true: the fault campaign is left out")
class FaultCampaignE2E {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private static final Path SCRIPT = REPO.resolve("deploy/e2e/fault-campaign.sh");
  private static final int KILLS = 2;
  private static final int BACKLOG = 100;

  /** scenario, kills (tried/survived or -), records, videos, rejections, duplicates, lost. */
  private static final Pattern ROW =
      Pattern.compile(
          "^CAMPAIGN (local-kill|hostile|backlog) +(\\S+) +([0-9]+) +([0-9]+) +([0-9]+) +([0-9]+)"
              + " +([0-9]+) *$");

  @Test
  @Timeout(value = 25, unit = TimeUnit.MINUTES)
  void nothingIsLostOrDuplicatedAtAnyKillPointOrHostileRecord() throws Exception {
    Path work = Path.of(System.getProperty("java.io.tmpdir"));
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    Process script =
        new ProcessBuilder(
                "bash",
                SCRIPT.toString(),
                "--dir",
                REPO.resolve("jobs").resolve(targetDir()).resolve("fault-campaign").toString(),
                "--kills",
                Integer.toString(KILLS),
                "--steps",
                "3",
                "--backlog",
                Integer.toString(BACKLOG),
                "--timeout",
                "1400",
                "--classpath",
                System.getProperty("java.class.path"))
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    Thread reader = ScriptOutput.follow(script, "fault-campaign.sh", lines);
    int status;
    try {
      status = script.waitFor();
      reader.join(10_000);
    } finally {
      script.descendants().forEach(ProcessHandle::destroyForcibly);
      script.destroyForcibly();
    }
    String output = String.join("\n", lines);
    assertThat(status).as("exit status; output:\n%s", output).isZero();
    assertThat(lines).as(output).contains("CAMPAIGN PASSED");
    List<List<String>> rows = new ArrayList<>();
    synchronized (lines) {
      for (String l : lines) {
        Matcher m = ROW.matcher(l);
        if (m.matches()) {
          List<String> row = new ArrayList<>();
          for (int g = 1; g <= 7; g++) {
            row.add(m.group(g));
          }
          rows.add(row);
        }
      }
    }
    assertThat(rows)
        .as(output)
        .extracting(r -> r.get(0))
        .containsExactly("local-kill", "hostile", "backlog");
    // local-kill: every kill survived, one record, one video, nothing else
    assertThat(rows.get(0).subList(1, 7))
        .as(output)
        .containsExactly(KILLS + "/" + KILLS, "1", "1", "0", "0", "0");
    // hostile: 2 valid storyboards and 8 hostile records, each ending once where it should
    assertThat(rows.get(1).subList(2, 7)).as(output).containsExactly("10", "2", "8", "0", "0");
    // backlog: every storyboard a video, once
    assertThat(rows.get(2).subList(2, 7))
        .as(output)
        .containsExactly(Integer.toString(BACKLOG), Integer.toString(BACKLOG), "0", "0", "0");
    assertThat(lines).as(output).anyMatch(l -> l.startsWith("BACKLOG PEAK HEAP "));
  }

  private static String targetDir() {
    // the build folder of the classes under test (target, or -Dbuild.dir.name)
    Path classes =
        Path.of(
            FaultCampaignE2E.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    return classes.getParent().getFileName().toString();
  }
}
