package org.tttvideo.toonworld.judge;

import org.tttvideo.toonworld.Clip;
import org.tttvideo.toonworld.Renderer;
import org.tttvideo.toonworld.Split;
import org.tttvideo.toonworld.WorldSampler;
import org.tttvideo.toonworld.WorldSpec;

/** Prints the judge's time per 63-second (21-segment) video on one thread; a figure, not a test. */
public final class JudgeTiming {

  private JudgeTiming() {}

  public static void main(String[] args) {
    WorldSpec spec = WorldSampler.sample(Split.TRAIN, WorldSampler.seedOf(Split.TRAIN, 63), 21);
    Clip clip = Renderer.render(spec, 63);
    for (int i = 0; i < 3; i++) {
      Judge.judge(clip, spec); // warm-up
    }
    int runs = 10;
    long t0 = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      Judge.judge(clip, spec);
    }
    double ms = (System.nanoTime() - t0) / 1e6 / runs;
    System.out.printf("judge: %.1f ms per 63-s video (%d frames)%n", ms, clip.frameCount());
  }
}
