package org.tttvideo.storyboard;

import java.util.Optional;

/**
 * The three ways a user describes a video, after the paper's Formats 1-3 ("One-Minute Video
 * Generation with Test-Time Training", section on storyboards).
 *
 * <ul>
 *   <li>{@link #SUMMARY} (Format 1): 5-8 sentences for the whole video, expanded to segments by a
 *       {@link StoryboardExpander}.
 *   <li>{@link #PLOT} (Format 2): about one sentence per 3-second segment.
 *   <li>{@link #STORYBOARD} (Format 3): one paragraph per 3-second segment, scenes marked.
 * </ul>
 */
public enum StoryboardFormat {
  SUMMARY("summary", 1),
  PLOT("plot", 2),
  STORYBOARD("storyboard", 3);

  private final String wireName;
  private final int paperFormat;

  StoryboardFormat(String wireName, int paperFormat) {
    this.wireName = wireName;
    this.paperFormat = paperFormat;
  }

  /** The value of the JSON field {@code format}. */
  public String wireName() {
    return wireName;
  }

  /** The format's number in the paper (1, 2 or 3). */
  public int paperFormat() {
    return paperFormat;
  }

  /** The format with this exact wire name, if any. */
  public static Optional<StoryboardFormat> fromWireName(String name) {
    for (StoryboardFormat f : values()) {
      if (f.wireName.equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
