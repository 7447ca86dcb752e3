package org.tttvideo.jobs.testutils;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.common.TopicPartition;
import org.tttvideo.jobs.GenerationJobOptions;

/**
 * The four topics of one run of the generation job, named with a per-run prefix so that several
 * runs share one broker without seeing each other's records.
 *
 * <pre>{@code
 * JobTopics t = JobTopics.create(kafka, "run1", 2);
 * Configuration options = t.options(kafka, "file:///tmp/out");
 * }</pre>
 */
public record JobTopics(
    String prefix, String storyboards, String videos, String progress, String rejected, int parts) {

  /**
   * Creates {@code <prefix>.storyboards} and the other three, each with {@code parts} partitions.
   */
  public static JobTopics create(EmbeddedKafka kafka, String prefix, int parts) throws Exception {
    JobTopics t =
        new JobTopics(
            prefix,
            prefix + ".storyboards",
            prefix + ".videos",
            prefix + ".video-progress",
            prefix + ".storyboards.rejected",
            parts);
    kafka.createTopics(parts, t.storyboards, t.videos, t.progress, t.rejected);
    return t;
  }

  /**
   * Job options for these topics on {@code kafka}: a consumer group and transactional ids of this
   * run, the tiny model's settings of a test, and {@code extra} on top.
   */
  public Configuration options(EmbeddedKafka kafka, String outputDir, Map<String, String> extra) {
    Map<String, String> m = new HashMap<>();
    m.put(GenerationJobOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
    m.put(GenerationJobOptions.TOPIC_STORYBOARDS.key(), storyboards);
    m.put(GenerationJobOptions.TOPIC_VIDEOS.key(), videos);
    m.put(GenerationJobOptions.TOPIC_PROGRESS.key(), progress);
    m.put(GenerationJobOptions.TOPIC_REJECTED.key(), rejected);
    m.put(GenerationJobOptions.GROUP_ID.key(), prefix + "-group");
    m.put(GenerationJobOptions.TRANSACTIONAL_ID_PREFIX.key(), prefix + "-tx");
    m.put(GenerationJobOptions.OUTPUT_DIR.key(), outputDir);
    m.put(GenerationJobOptions.MODEL_PRESET.key(), "tiny");
    m.put(GenerationJobOptions.CHECKPOINT_INTERVAL.key(), "500 ms");
    m.put(GenerationJobOptions.TRANSACTION_TIMEOUT.key(), "2 min");
    m.put(GenerationJobOptions.CHECKPOINT_TIMEOUT.key(), "30 s");
    m.put(GenerationJobOptions.TIME_SLICE.key(), "50 ms");
    m.put(GenerationJobOptions.PROGRESS_INTERVAL.key(), "200 ms");
    m.put(GenerationJobOptions.RESTART_ATTEMPTS.key(), "3");
    m.put(GenerationJobOptions.RESTART_DELAY.key(), "200 ms");
    m.putAll(extra);
    return GenerationJobOptions.fromMap(m);
  }

  /** Every partition of the given topics. */
  public List<TopicPartition> partitions(String... topics) {
    List<TopicPartition> out = new ArrayList<>();
    for (String t : topics) {
      for (int p = 0; p < parts; p++) {
        out.add(new TopicPartition(t, p));
      }
    }
    return out;
  }
}
