package org.tttvideo.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tttvideo.connectors.video.Mp4Info;
import org.tttvideo.connectors.video.Mp4Probe;
import org.tttvideo.jobs.GenerationJob;
import org.tttvideo.jobs.local.Ports;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.operators.generation.GenerationMetrics;

/**
 * End to end, as a user runs it: {@code ttt-video local --keep-running} in a child JVM (Kafka's
 * broker, a MiniCluster with the dashboard, the job), {@code submit --wait} of an example
 * storyboard, the MP4 probed with FFmpeg, the job and its operator metrics through Flink's REST
 * API, and a clean exit on a signal; and Ctrl-C in the middle of a generation.
 *
 * <p>The {@code small} preset with the 9-second example (3 segments, 25 steps) takes about 10 s on
 * two cores and gives a video a person can watch (192x128).
 */
class LocalModeITCase {
  private static final Path EXAMPLES =
      Path.of("").toAbsolutePath().getParent().resolve("examples/storyboards");
  private static final Duration START = Duration.ofMinutes(3);
  private static final Duration STOP = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void localKeepRunningSubmitWaitRestMetricsAndSignal(@TempDir Path dir) throws Exception {
    int kafkaPort = Ports.freePort();
    int dashboardPort = Ports.freePort();
    Path videos = dir.resolve("videos");
    try (LocalProcess local =
        LocalProcess.start(
            dir,
            "local",
            "local",
            "--keep-running",
            "--plain",
            "--preset",
            "small",
            "--kafka-port",
            Integer.toString(kafkaPort),
            "--dashboard-port",
            Integer.toString(dashboardPort),
            "--output-dir",
            videos.toString())) {
      String dashboardLine = local.awaitLine(l -> l.startsWith("Dashboard: "), START);
      assertThat(dashboardLine)
          .startsWith("Dashboard: http://localhost:" + dashboardPort + "/#/job/running/");
      local.awaitLine(l -> l.startsWith("Keeping Kafka"), Duration.ofSeconds(30));
      String rest = "http://localhost:" + dashboardPort;
      assertThat(get(rest + "/overview").get("taskmanagers").asInt()).isEqualTo(1);
      // the REST API takes no jars and answers only the dashboard's own origin
      assertThat(get(rest + "/config").get("features").get("web-submit").asBoolean()).isFalse();
      HttpResponse<String> upload =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(rest + "/jars/upload"))
                  .timeout(Duration.ofSeconds(10))
                  .POST(HttpRequest.BodyPublishers.ofString("x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(upload.statusCode()).as(upload.body()).isEqualTo(404);
      HttpResponse<String> crossOrigin =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(rest + "/overview"))
                  .timeout(Duration.ofSeconds(10))
                  .header("Origin", "http://attacker.example")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(crossOrigin.headers().firstValue("Access-Control-Allow-Origin"))
          .contains("http://localhost:" + dashboardPort);

      CliRun submit =
          CliRun.run(
              "submit",
              "--wait",
              "--plain",
              "--timeout",
              "5min",
              "--bootstrap-servers",
              "localhost:" + kafkaPort,
              EXAMPLES.resolve("quick-9s.json").toString());

      assertThat(submit.status()).as(submit.out() + submit.err()).isZero();
      List<String> lines = submit.out().lines().toList();
      String video = lines.get(lines.size() - 1);
      assertThat(video)
          .startsWith(
              "VIDEO quick-9s-paper-boat "
                  + videos.resolve("quick-9s-paper-boat.mp4")
                  + " sha256=");
      Path mp4 = videos.resolve("quick-9s-paper-boat.mp4");
      assertThat(video).endsWith("sha256=" + sha256(mp4));
      assertThat(submit.out()).contains("step 1/25", "finished quick-9s-paper-boat");

      ModelConfig small = ModelConfig.small();
      Mp4Info info = Mp4Probe.probe(mp4);
      assertThat(info.frameCount()).isEqualTo(small.outputFrames(3));
      assertThat(info.width()).isEqualTo(small.derived().outputWidth());
      assertThat(info.height()).isEqualTo(small.derived().outputHeight());
      assertThat(info.fps()).isEqualTo(small.fps());
      assertThat(info.durationSeconds())
          .isCloseTo(small.seconds(3), org.assertj.core.data.Offset.offset(0.2));
      assertThat(info.moovBeforeMdat()).isTrue();
      // the local process shows the finished video of the other client too
      local.awaitLine(l -> l.startsWith("VIDEO quick-9s-paper-boat "), Duration.ofSeconds(30));

      JsonNode jobs = get(rest + "/jobs/overview").get("jobs");
      assertThat(jobs).hasSize(1);
      assertThat(jobs.get(0).get("name").asText()).isEqualTo(GenerationJob.NAME);
      assertThat(jobs.get(0).get("state").asText()).isEqualTo("RUNNING");
      String jobId = jobs.get(0).get("jid").asText();
      Map<String, String> metrics = generationMetrics(rest, jobId);
      assertThat(metrics)
          .containsKeys(
              GenerationMetrics.METRIC_VIDEOS_ACTIVE,
              GenerationMetrics.METRIC_VIDEOS_QUEUED,
              GenerationMetrics.METRIC_OLDEST_ACTIVE_STEP,
              GenerationMetrics.METRIC_OLDEST_ACTIVE_SEGMENT,
              GenerationMetrics.METRIC_UNITS_PER_SECOND,
              GenerationMetrics.METRIC_SECONDS_PER_DENOISING_STEP,
              GenerationMetrics.METRIC_VIDEOS_FINISHED);
      assertThat(Double.parseDouble(metrics.get(GenerationMetrics.METRIC_VIDEOS_FINISHED)))
          .isEqualTo(1.0);
      assertThat(Double.parseDouble(metrics.get(GenerationMetrics.METRIC_VIDEOS_ACTIVE)))
          .isEqualTo(0.0);
      assertThat(Double.parseDouble(metrics.get(GenerationMetrics.METRIC_OLDEST_ACTIVE_STEP)))
          .isEqualTo(-1.0);
      assertThat(Double.parseDouble(metrics.get(GenerationMetrics.METRIC_UNITS_PER_SECOND)))
          .isPositive();
      assertThat(
              Double.parseDouble(metrics.get(GenerationMetrics.METRIC_SECONDS_PER_DENOISING_STEP)))
          .isPositive();

      local.signal("TERM");
      Integer status = local.awaitExit(STOP);
      assertThat(status).as(local.err()).isEqualTo(143);
      assertThat(local.err()).contains("stopped cleanly");
      assertThat(Ports.isFree(kafkaPort)).isTrue();
      assertThat(Ports.isFree(dashboardPort)).isTrue();
    }
  }

  /**
   * A crash (SIGKILL of the whole local JVM) after a checkpoint taken mid-generation, then the same
   * command again in the same folder: the job is restored from the retained checkpoint, the video
   * continues from its cursor, the storyboard is not published twice, and the MP4 is byte for byte
   * the one an uninterrupted run makes.
   */
  @Test
  void aRunAfterACrashResumesFromTheLastCheckpoint(@TempDir Path dir) throws Exception {
    Path storyboard = EXAMPLES.resolve("quick-9s.json");
    Path crashed = dir.resolve("crashed");
    Path clean = dir.resolve("clean");
    Files.createDirectories(crashed);
    Files.createDirectories(clean);
    Path checkpoints = crashed.resolve(LocalCommand.DEFAULT_WORK_DIR).resolve("checkpoints");
    try (LocalProcess first = LocalProcess.start(crashed, "first", localArgs(storyboard))) {
      // under way: past its first denoising step (progress lines come about once a second)
      first.awaitLine(l -> l.matches(".* step ([2-9]|1[0-9])/25 .*"), START);
      awaitNewerCheckpoint(
          checkpoints, LocalResume.latestCheckpoint(checkpoints), Duration.ofSeconds(60));
      first.signal("KILL");
      first.awaitExit(STOP);
      assertThat(first.out()).doesNotContain("VIDEO ");
    }
    String resumed;
    try (LocalProcess second = LocalProcess.start(crashed, "second", localArgs(storyboard))) {
      resumed = second.awaitLine(l -> l.startsWith("VIDEO "), START);
      assertThat(second.awaitExit(STOP)).as(second.err()).isZero();
      assertThat(second.out())
          .contains("Resuming the job of an earlier run in ")
          .contains(" was published by an earlier run as storyboards/0@0; following it")
          .doesNotContain("published " + storyboard + " ->")
          // it continued: the first progress record of the resumed video is past step 1
          .doesNotContain(" step 1/25");
    }
    String reference;
    try (LocalProcess once = LocalProcess.start(clean, "once", localArgs(storyboard))) {
      reference = once.awaitLine(l -> l.startsWith("VIDEO "), START);
      assertThat(once.awaitExit(STOP)).as(once.err()).isZero();
      assertThat(once.out()).doesNotContain("Resuming");
    }
    String sha = resumed.substring(resumed.indexOf("sha256="));
    assertThat(sha).isEqualTo(reference.substring(reference.indexOf("sha256=")));
    assertThat(sha)
        .isEqualTo(
            "sha256=" + sha256(crashed.resolve("videos").resolve("quick-9s-paper-boat.mp4")));
  }

  private String[] localArgs(Path storyboard) throws IOException {
    return new String[] {
      "local",
      "--plain",
      "--preset",
      "small",
      "--kafka-port",
      Integer.toString(Ports.freePort()),
      "--dashboard-port",
      Integer.toString(Ports.freePort()),
      "--output-dir",
      "videos",
      storyboard.toString()
    };
  }

  /**
   * Waits for a checkpoint other than {@code seen} (the newest there was before: one that completed
   * after the call, so it holds the progress made until then).
   */
  private static void awaitNewerCheckpoint(Path checkpoints, Optional<Path> seen, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Optional<Path> latest = LocalResume.latestCheckpoint(checkpoints);
        latest.isEmpty() || latest.equals(seen);
        latest = LocalResume.latestCheckpoint(checkpoints)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no checkpoint newer than " + seen + " in " + checkpoints + " after " + timeout);
      }
      Thread.sleep(100);
    }
  }

  @Test
  void ctrlCDuringGenerationStopsCleanly(@TempDir Path dir) throws Exception {
    int kafkaPort = Ports.freePort();
    int dashboardPort = Ports.freePort();
    try (LocalProcess local =
        LocalProcess.start(
            dir,
            "local",
            "local",
            "--plain",
            "--preset",
            "small",
            "--kafka-port",
            Integer.toString(kafkaPort),
            "--dashboard-port",
            Integer.toString(dashboardPort),
            "--output-dir",
            dir.resolve("videos").toString(),
            EXAMPLES.resolve("full-minute-storyboard.json").toString())) {
      local.awaitLine(l -> l.contains(" step "), START);

      local.signal("INT");
      Integer status = local.awaitExit(STOP);

      assertThat(status).as(local.out() + local.err()).isEqualTo(ExitCodes.INTERRUPTED);
      assertThat(local.err())
          .contains("stopping: cancelling the job, stopping the cluster and the broker")
          .contains("stopped cleanly");
      assertThat(local.out()).doesNotContain("VIDEO ");
      assertThat(Ports.isFree(kafkaPort)).isTrue();
      assertThat(Ports.isFree(dashboardPort)).isTrue();
    }
  }

  /**
   * The generation operator's metrics (name to value) from the REST API, once the metric fetcher
   * has them (it refreshes every 10 s) and a video has finished.
   */
  private static Map<String, String> generationMetrics(String rest, String jobId) throws Exception {
    String vertex = null;
    for (JsonNode v : get(rest + "/jobs/" + jobId).get("vertices")) {
      if (v.get("name").asText().contains("generate")) {
        vertex = v.get("id").asText();
      }
    }
    assertThat(vertex).as("a vertex named after the generate operator").isNotNull();
    String base = rest + "/jobs/" + jobId + "/vertices/" + vertex + "/metrics";
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    Map<String, String> out = new LinkedHashMap<>();
    while (System.nanoTime() < deadline) {
      List<String> ids = new ArrayList<>();
      for (JsonNode m : get(base)) {
        String id = m.get("id").asText();
        if (id.startsWith("0.generate.")) {
          ids.add(id);
        }
      }
      out.clear();
      if (!ids.isEmpty()) {
        for (JsonNode m : get(base + "?get=" + String.join(",", ids))) {
          out.put(m.get("id").asText().substring("0.generate.".length()), m.get("value").asText());
        }
      }
      if ("1".equals(out.get(GenerationMetrics.METRIC_VIDEOS_FINISHED))) {
        return out;
      }
      Thread.sleep(1000);
    }
    throw new AssertionError(
        "the generate operator's metrics did not show a finished video: " + out);
  }

  private static JsonNode get(String url) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
