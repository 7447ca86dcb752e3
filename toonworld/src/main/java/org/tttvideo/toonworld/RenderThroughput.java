package org.tttvideo.toonworld;

import java.util.Locale;

/**
 * Measures how fast one core renders: sampled 21-segment (63 s, 504-frame) videos rendered one
 * after another on the calling thread, after a warm-up. Not a test (timings vary by machine); run
 * it by hand:
 *
 * <pre>
 * java -cp toonworld/target/classes org.tttvideo.toonworld.RenderThroughput [videos]
 * </pre>
 */
public final class RenderThroughput {

  /**
   * One measurement.
   *
   * @param videos videos rendered
   * @param frames frames rendered
   * @param seconds wall time
   */
  public record Result(int videos, long frames, double seconds) {

    public double framesPerSecond() {
      return frames / seconds;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%d videos, %d frames of %dx%d in %.2f s on one thread: %.0f frames/s (%.1f s of video"
              + " per second)",
          videos,
          frames,
          Geometry.WIDTH,
          Geometry.HEIGHT,
          seconds,
          framesPerSecond(),
          framesPerSecond() / Geometry.FPS);
    }
  }

  private RenderThroughput() {}

  public static void main(String[] args) {
    int videos = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    System.out.println(measure(videos, WorldSpec.MAX_SEGMENTS));
  }

  /** Renders {@code videos} sampled videos of {@code segments} segments after a warm-up. */
  public static Result measure(int videos, int segments) {
    for (int i = 0; i < 5; i++) {
      Renderer.render(WorldSampler.sample(Split.TRAIN, 1_000_000 + i, segments), i);
    }
    long frames = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < videos; i++) {
      Clip c = Renderer.render(WorldSampler.sample(Split.TRAIN, i, segments), i);
      frames += c.frameCount();
    }
    return new Result(videos, frames, (System.nanoTime() - t0) / 1e9);
  }
}
