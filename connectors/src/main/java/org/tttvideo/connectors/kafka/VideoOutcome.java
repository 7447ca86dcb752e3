package org.tttvideo.connectors.kafka;

import org.tttvideo.video.VideoFailed;
import org.tttvideo.video.VideoReady;

/**
 * What the {@code videos} topic carries for one video: either a {@link VideoReady} or a {@link
 * VideoFailed}, never both. One stream type for both, so that a single exactly-once Kafka sink (one
 * transaction per checkpoint) writes every outcome.
 *
 * <p>A record of two records, so Flink serializes it with its POJO serializer (which allows null
 * fields); no Kryo.
 *
 * <pre>{@code
 * VideoOutcome o = VideoOutcome.of(ready);
 * if (o.isReady()) publish(o.ready().uri());
 * }</pre>
 *
 * @param ready the finished video, or null
 * @param failed the failure, or null
 */
public record VideoOutcome(VideoReady ready, VideoFailed failed) {

  public VideoOutcome {
    if ((ready == null) == (failed == null)) {
      throw new IllegalArgumentException(
          "a video outcome is either ready or failed: exactly one of ready and failed must be"
              + " given");
    }
  }

  /** A finished video. */
  public static VideoOutcome of(VideoReady ready) {
    return new VideoOutcome(ready, null);
  }

  /** A failed video. */
  public static VideoOutcome of(VideoFailed failed) {
    return new VideoOutcome(null, failed);
  }

  public boolean isReady() {
    return ready != null;
  }

  /** The video id, the Kafka key. */
  public String videoId() {
    return ready != null ? ready.videoId() : failed.videoId();
  }
}
