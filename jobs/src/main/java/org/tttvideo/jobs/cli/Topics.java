package org.tttvideo.jobs.cli;

import org.apache.flink.configuration.ReadableConfig;
import org.tttvideo.jobs.GenerationJobOptions;

/**
 * The four topics of a generation job.
 *
 * @param storyboards input
 * @param videos VideoReady and VideoFailed, exactly once
 * @param progress VideoProgress, at least once
 * @param rejected rejections, exactly once
 */
public record Topics(String storyboards, String videos, String progress, String rejected) {

  /** The topics named in the job's options. */
  public static Topics of(ReadableConfig options) {
    return new Topics(
        options.get(GenerationJobOptions.TOPIC_STORYBOARDS),
        options.get(GenerationJobOptions.TOPIC_VIDEOS),
        options.get(GenerationJobOptions.TOPIC_PROGRESS),
        options.get(GenerationJobOptions.TOPIC_REJECTED));
  }
}
