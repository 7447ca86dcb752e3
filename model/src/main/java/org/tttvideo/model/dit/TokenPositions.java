package org.tttvideo.model.dit;

import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.config.ModelConfig;

/**
 * Where a segment's tokens sit in the whole video, and their 3D rotary tables: shared by every
 * block, derived from the config alone (no weights).
 *
 * <p>Legend: T = text tokens per segment, V_s = video tokens of segment s, L = T + V_s, H = heads,
 * D = head dim.
 */
final class TokenPositions {
  private final ModelConfig config;
  private final Rope3d rope;

  TokenPositions(ModelConfig config) {
    this.config = config;
    this.rope = new Rope3d(config);
  }

  Rope3d rope() {
    return rope;
  }

  /** First video token (index into the whole video's token sequence) of segment {@code s}. */
  int videoStart(int s) {
    return s == 0 ? 0 : config.videoTokensOf(0) + (s - 1) * config.videoTokensOf(1);
  }

  /** Video tokens of a video of {@code segments} segments. */
  int videoTokens(int segments) {
    return videoStart(segments);
  }

  /**
   * Tables for segment {@code s}'s text and its {@code videoCount} video tokens at their positions
   * in the whole video (frame indices counted from the first frame).
   */
  Rope3d.Tables global(int s, int videoCount) {
    return sequence(videoStart(s), videoCount);
  }

  /** Tables for the text and video tokens {@code [first, first + count)} of a video sequence. */
  Rope3d.Tables sequence(int first, int count) {
    return rope.sequence(
        config.textTokens(),
        first,
        count,
        config.derived().latentRows(),
        config.derived().latentCols(),
        0);
  }

  /** Rotates {@code x [B, L, H, D]} with tables of L rows (broadcast over the heads). */
  Tensor rotate(Compute c, Tensor x, Rope3d.Tables t) {
    int len = t.cos().dim(0);
    int d = config.headDim();
    return rope.apply(
        c, x, new Rope3d.Tables(t.cos().reshape(len, 1, d), t.sinSigned().reshape(len, 1, d)));
  }
}
