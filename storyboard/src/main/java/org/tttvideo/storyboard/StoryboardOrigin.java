package org.tttvideo.storyboard;

/**
 * Where a valid storyboard came from: what a stage after validation needs to reject it the way the
 * validation does (same source, position and payload), so that a client matching rejections to its
 * records (by topic, partition and offset, then video id or position) finds it.
 *
 * <pre>{@code
 * Storyboard traced = storyboard.withOrigin(new StoryboardOrigin(source, 0, payload));
 * Rejection r = new Rejection(code, "videoId", message, traced.videoId(),
 *     traced.origin().videoIndex(), traced.origin().payload(), traced.origin().source());
 * }</pre>
 *
 * @param source topic, partition and offset of the record, or {@code null} when it did not come
 *     from Kafka
 * @param videoIndex position of the video in its record (reference format), else 0
 * @param payload the record's value as kept in rejections (already cut to {@code
 *     storyboard.max-rejected-payload-bytes})
 */
public record StoryboardOrigin(RecordSource source, int videoIndex, Payload payload) {
  public StoryboardOrigin {
    if (videoIndex < 0) {
      throw new IllegalArgumentException("videoIndex must be >= 0, was " + videoIndex);
    }
    if (payload == null) {
      throw new IllegalArgumentException("payload must not be null (use Payload.absent())");
    }
  }
}
