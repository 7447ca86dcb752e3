package org.tttvideo.toonworld.judge;

import java.util.Arrays;
import org.tttvideo.toonworld.Clip;
import org.tttvideo.toonworld.Layout;

/**
 * The camera's left edge in world x per frame of a segment, read from how the scenery slides: each
 * frame is compared with the segment's first valid frame at every shift of up to {@link
 * Layout#PAN_DISTANCE} px, on a few rows that cross furniture, window and floor edges, and the
 * shift under which most pixels agree wins. The shifts are then placed so that their mean is the
 * room's middle ({@link Layout#STILL_CAMERA_X}), which is where every camera of the world is on
 * average over a segment (still, or panning evenly across the middle).
 *
 * <p>Measuring the camera instead of trusting the text keeps the motion of a character relative to
 * the room: played backwards, a pan goes the other way and a sitting mouse still sits.
 */
final class CameraReading {

  private static final int[] ROWS = {22, 40, 56, 70, 80, 92, 104, 112};

  private CameraReading() {}

  /**
   * @param clip the video
   * @param f0 its frame where the segment starts
   * @param valid per frame of the segment whether it is a picture of the world
   * @return per frame of the segment the camera's left edge (for invalid frames, that of the frame
   *     before, or of the first valid one)
   */
  static int[] cameraX(Clip clip, int f0, boolean[] valid) {
    int n = valid.length;
    int[] shift = new int[n];
    int ref = -1;
    for (int f = 0; f < n; f++) {
      if (valid[f]) {
        ref = ref < 0 ? f : ref;
      }
    }
    int[] out = new int[n];
    if (ref < 0) {
      Arrays.fill(out, Layout.STILL_CAMERA_X);
      return out;
    }
    long sum = 0;
    int count = 0;
    int last = 0;
    for (int f = 0; f < n; f++) {
      if (valid[f]) {
        last = f == ref ? 0 : bestShift(clip, f0 + ref, f0 + f);
        sum += last;
        count++;
      }
      shift[f] = last;
    }
    int anchor = (int) Math.round(Layout.STILL_CAMERA_X - (double) sum / count);
    for (int f = 0; f < n; f++) {
      out[f] = anchor + shift[f];
    }
    return out;
  }

  /**
   * How far right the camera moved from frame {@code a} to frame {@code b}: the d in
   * [-PAN_DISTANCE, PAN_DISTANCE] for which pixel (x, y) of {@code b} most often shows what pixel
   * (x + d, y) of {@code a} shows.
   */
  private static int bestShift(Clip clip, int a, int b) {
    int w = clip.width();
    int best = 0;
    double bestScore = -1;
    for (int k = 0; k <= 2 * Layout.PAN_DISTANCE; k++) {
      // try 0, 1, -1, 2, -2, ... so that ties keep the smallest motion
      int d = (k + 1) / 2 * (k % 2 == 1 ? 1 : -1);
      int agree = 0;
      int total = 0;
      for (int y : ROWS) {
        for (int x = Math.max(0, -d); x < Math.min(w, w - d); x++) {
          total++;
          if (FrameReading.near(clip.pixel(a, x + d, y), clip.pixel(b, x, y))) {
            agree++;
          }
        }
      }
      double score = (double) agree / total;
      if (score > bestScore) {
        bestScore = score;
        best = d;
      }
    }
    return best;
  }
}
