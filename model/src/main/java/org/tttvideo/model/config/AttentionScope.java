package org.tttvideo.model.config;

import java.util.Locale;

/**
 * How far self-attention reaches.
 *
 * <ul>
 *   <li>{@code segment} (the paper's): each segment's window is its own text, its own latent frames
 *       and, for every window after the first, the previous segment's last latent frame as a prefix
 *       ({@code TTT_SPEC.md} §4);
 *   <li>{@code full}: every token attends to every token of the whole video (CogVideoX without
 *       segmentation; quadratic in the length);
 *   <li>{@code sliding:N}: the tokens of segment i attend to segment i's text and to the latent
 *       frames of segments i−N+1 .. i (N ≥ 1 segments of video).
 * </ul>
 *
 * @param kind the scope
 * @param segments N for {@code sliding}; 0 otherwise
 */
public record AttentionScope(Kind kind, int segments) {
  /** The three scopes. */
  public enum Kind {
    SEGMENT,
    FULL,
    SLIDING
  }

  public static final AttentionScope SEGMENT = new AttentionScope(Kind.SEGMENT, 0);
  public static final AttentionScope FULL = new AttentionScope(Kind.FULL, 0);

  public AttentionScope {
    if (kind == null) {
      throw new IllegalArgumentException("attention scope kind is required");
    }
    if (kind == Kind.SLIDING && segments < 1) {
      throw new IllegalArgumentException(
          "sliding attention needs at least 1 segment, got sliding:" + segments);
    }
    if (kind != Kind.SLIDING && segments != 0) {
      throw new IllegalArgumentException(
          "only sliding attention takes a segment count, got " + kind + ":" + segments);
    }
  }

  /** {@code sliding:N}. */
  public static AttentionScope sliding(int segments) {
    return new AttentionScope(Kind.SLIDING, segments);
  }

  /** Parses {@code segment}, {@code full} or {@code sliding:N}. */
  public static AttentionScope parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("segment")) {
      return SEGMENT;
    }
    if (t.equals("full")) {
      return FULL;
    }
    if (t.startsWith("sliding:")) {
      try {
        return sliding(Integer.parseInt(t.substring("sliding:".length())));
      } catch (NumberFormatException e) {
        // fall through to the message below
      }
    }
    throw new IllegalArgumentException(
        "unknown attention scope '" + text + "': allowed are segment, full, sliding:N (N >= 1)");
  }

  @Override
  public String toString() {
    return kind == Kind.SLIDING ? "sliding:" + segments : kind.name().toLowerCase(Locale.ROOT);
  }
}
