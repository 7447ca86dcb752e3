package org.tttvideo.model.ttt;

import java.util.Arrays;

/**
 * Where each segment's tokens sit in the model's sequence ({@code TTT_SPEC.md} §4): all segments'
 * text tokens first (segment 1's, then segment 2's, ...), then all video tokens, segment by
 * segment. Computes the token orders the TTT layer scans in:
 *
 * <ul>
 *   <li>forward: {@code [text_1, video_1, text_2, video_2, ...]};
 *   <li>backward: segment order reversed, text tokens inside a segment kept in order, video tokens
 *       flipped token by token (so the whole video token sequence is read backwards).
 * </ul>
 *
 * Each order is a list of positions in the model's layout, ready for {@code Compute.gather}.
 *
 * @param textLens T_i, text tokens of each segment
 * @param videoLens V_i, video tokens of each segment
 */
public record TokenLayout(int[] textLens, int[] videoLens) {

  public TokenLayout {
    if (textLens.length == 0 || textLens.length != videoLens.length) {
      throw new IllegalArgumentException(
          "need the same positive number of text and video segment lengths, got "
              + textLens.length
              + " and "
              + videoLens.length);
    }
    textLens = textLens.clone();
    videoLens = videoLens.clone();
    for (int i = 0; i < textLens.length; i++) {
      if (textLens[i] < 0 || videoLens[i] < 0) {
        throw new IllegalArgumentException("negative segment length at segment " + i);
      }
    }
  }

  /** {@code chunks} segments of {@code textLen} text and {@code videoLen} video tokens each. */
  public static TokenLayout uniform(int chunks, int textLen, int videoLen) {
    int[] t = new int[chunks];
    int[] v = new int[chunks];
    Arrays.fill(t, textLen);
    Arrays.fill(v, videoLen);
    return new TokenLayout(t, v);
  }

  public int segments() {
    return textLens.length;
  }

  public int totalText() {
    return Arrays.stream(textLens).sum();
  }

  public int totalTokens() {
    return totalText() + Arrays.stream(videoLens).sum();
  }

  /** Positions of segment {@code s}'s tokens, text then video, in the model's layout. */
  public int[] segmentPositions(int s, boolean reverseVideo) {
    int t0 = 0;
    int v0 = totalText();
    for (int i = 0; i < s; i++) {
      t0 += textLens[i];
      v0 += videoLens[i];
    }
    int[] idx = new int[textLens[s] + videoLens[s]];
    int k = 0;
    for (int t = 0; t < textLens[s]; t++) {
      idx[k++] = t0 + t;
    }
    for (int v = 0; v < videoLens[s]; v++) {
      idx[k++] = v0 + (reverseVideo ? videoLens[s] - 1 - v : v);
    }
    return idx;
  }

  /** The forward scan order: {@code [text_1, video_1, text_2, video_2, ...]}. */
  public int[] forwardOrder() {
    int[] order = new int[totalTokens()];
    int k = 0;
    for (int s = 0; s < segments(); s++) {
      int[] seg = segmentPositions(s, false);
      System.arraycopy(seg, 0, order, k, seg.length);
      k += seg.length;
    }
    return order;
  }

  /** The backward scan order: segments last to first, each as text then flipped video. */
  public int[] backwardOrder() {
    int[] order = new int[totalTokens()];
    int k = 0;
    for (int s = segments() - 1; s >= 0; s--) {
      int[] seg = segmentPositions(s, true);
      System.arraycopy(seg, 0, order, k, seg.length);
      k += seg.length;
    }
    return order;
  }

  /** The inverse of a permutation: {@code inverse[order[p]] = p}. */
  public static int[] inverse(int[] order) {
    int[] inv = new int[order.length];
    for (int p = 0; p < order.length; p++) {
      inv[order[p]] = p;
    }
    return inv;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenLayout other
        && Arrays.equals(textLens, other.textLens)
        && Arrays.equals(videoLens, other.videoLens);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(textLens) + Arrays.hashCode(videoLens);
  }

  @Override
  public String toString() {
    return "TokenLayout[text="
        + Arrays.toString(textLens)
        + ", video="
        + Arrays.toString(videoLens)
        + "]";
  }
}
