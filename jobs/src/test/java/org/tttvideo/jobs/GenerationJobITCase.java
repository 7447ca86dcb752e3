package org.tttvideo.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tttvideo.connectors.kafka.VideoOutcome;
import org.tttvideo.connectors.kafka.VideoProgressDeserializer;
import org.tttvideo.connectors.video.Mp4Info;
import org.tttvideo.connectors.video.Mp4Probe;
import org.tttvideo.jobs.testutils.EmbeddedKafkaExtension;
import org.tttvideo.jobs.testutils.JobRuns;
import org.tttvideo.jobs.testutils.JobTopics;
import org.tttvideo.jobs.testutils.SmallestVideoModel;
import org.tttvideo.jobs.testutils.TestStoryboards;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.storyboard.BadCorpus;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.RejectionCode;
import org.tttvideo.storyboard.RejectionJson;
import org.tttvideo.video.VideoProgress;
import org.tttvideo.video.VideoReady;

/**
 * The whole job on a MiniCluster (parallelism 2) against the in-JVM KRaft broker: 3 storyboards and
 * 5 bad records in; exactly 3 {@link VideoReady} records for a {@code read_committed} reader, each
 * MP4 read back by FFmpeg with the expected frames, resolution and duration and the SHA-256 of the
 * record; exactly 5 rejections with their codes; progress that ends in DONE; and the job still
 * running afterwards.
 *
 * <p>The model is the tiny preset ({@link SmallestVideoModel}), 16x16 output.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class GenerationJobITCase {
  private static final int PARTITIONS = 2;
  private static final Duration WAIT = Duration.ofSeconds(180);

  @RegisterExtension static final MiniClusterExtension FLINK = JobRuns.miniCluster();

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @TempDir Path dir;

  @Test
  void threeStoryboardsGiveThreeVideosAndFiveBadRecordsFiveRejections() throws Exception {
    JobTopics t = JobTopics.create(KAFKA.broker(), "it", PARTITIONS);
    Map<String, Integer> segments = new LinkedHashMap<>();
    segments.put("heron-1", 1);
    segments.put("heron-2", 2);
    segments.put("heron-3", 3);
    List<byte[]> values = new ArrayList<>();
    long seed = 11;
    for (Map.Entry<String, Integer> e : segments.entrySet()) {
      values.add(TestStoryboards.storyboard(e.getKey(), seed++, e.getValue(), 2));
    }
    List<BadCorpus.Entry> bad =
        TestStoryboards.bad(
            RejectionCode.MALFORMED_JSON,
            RejectionCode.EMPTY_PAYLOAD,
            RejectionCode.UNKNOWN_FIELD,
            RejectionCode.EMPTY_TEXT,
            RejectionCode.INVALID_VIDEO_ID);
    bad.forEach(b -> values.add(b.value()));
    JobRuns.publish(KAFKA.broker(), t.storyboards(), values);

    Path out = dir.resolve("videos");
    Configuration options = t.options(KAFKA.broker(), out.toUri().toString(), Map.of());
    JobClient job = JobRuns.job(options, null).executeAsync();
    try {
      List<ConsumerRecord<byte[], byte[]>> records =
          KAFKA
              .broker()
              .readAll(t.partitions(t.videos(), t.rejected()), 8, WAIT, Duration.ofSeconds(3));

      // exactly 5 rejections, one per bad record, with its code
      List<Rejection> rejections = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : records) {
        if (r.topic().equals(t.rejected())) {
          rejections.add(RejectionJson.read(r.value()));
        }
      }
      assertThat(rejections)
          .extracting(Rejection::code)
          .containsExactlyInAnyOrderElementsOf(bad.stream().map(BadCorpus.Entry::code).toList());
      assertThat(rejections)
          .allSatisfy(r -> assertThat(r.source().topic()).isEqualTo(t.storyboards()));

      // exactly 3 VideoReady, one per storyboard, for a read_committed reader
      List<VideoOutcome> outcomes = JobRuns.outcomes(records, t.videos());
      assertThat(outcomes).hasSize(3).allMatch(VideoOutcome::isReady);
      Map<String, VideoReady> ready = new HashMap<>();
      outcomes.forEach(o -> ready.put(o.videoId(), o.ready()));
      assertThat(ready).containsOnlyKeys(segments.keySet());

      ModelConfig model = SmallestVideoModel.config();
      seed = 11;
      for (Map.Entry<String, Integer> e : segments.entrySet()) {
        VideoReady r = ready.get(e.getKey());
        int frames = model.outputFrames(e.getValue());
        Path file = JobRuns.file(r.uri());
        assertThat(file).isEqualTo(out.resolve(e.getKey() + ".mp4"));
        assertThat(r.sha256()).isEqualTo(JobRuns.sha256(file));
        assertThat(r.bytes()).isEqualTo(Files.size(file));
        assertThat(r.segments()).isEqualTo(e.getValue());
        assertThat(r.seed()).isEqualTo(seed++);
        assertThat(r.modelPreset()).isEqualTo(SmallestVideoModel.NAME);
        assertThat(r.fps()).isEqualTo(model.fps());
        assertThat(r.width()).isEqualTo(16);
        assertThat(r.height()).isEqualTo(16);
        assertThat(r.durationSeconds()).isEqualTo(frames / (double) model.fps());

        Mp4Info info = Mp4Probe.probe(file);
        assertThat(info.frameCount()).as(e.getKey()).isEqualTo(frames);
        assertThat(info.width()).isEqualTo(16);
        assertThat(info.height()).isEqualTo(16);
        assertThat(info.fps()).isEqualTo(model.fps());
        assertThat(info.durationSeconds()).isCloseTo(r.durationSeconds(), within(1e-6));
        assertThat(info.codecName()).isEqualTo("h264");
        assertThat(info.moovBeforeMdat()).isTrue();
      }
      try (Stream<Path> files = Files.list(out)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("heron-1.mp4", "heron-2.mp4", "heron-3.mp4");
      }

      // progress: every video's last record (one partition per video, so in order) is DONE
      Map<String, VideoProgress> last = new HashMap<>();
      try (VideoProgressDeserializer d = new VideoProgressDeserializer()) {
        for (ConsumerRecord<byte[], byte[]> r :
            KAFKA
                .broker()
                .readAll(
                    t.partitions(t.progress()),
                    Integer.MAX_VALUE,
                    Duration.ofSeconds(3),
                    Duration.ZERO)) {
          VideoProgress p = d.deserialize(r.topic(), r.value());
          last.put(p.videoId(), p);
        }
      }
      assertThat(last).containsOnlyKeys(segments.keySet());
      assertThat(last.values())
          .allSatisfy(p -> assertThat(p.status()).isEqualTo(VideoProgress.Status.DONE));

      assertThat(job.getJobStatus().get(30, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
    } finally {
      job.cancel().get(60, TimeUnit.SECONDS);
    }
  }
}
