package org.tttvideo.toonworld;

/**
 * A storyboard text that {@link WorldTextParser} cannot turn into a {@link WorldSpec}: names the
 * segment and says what is missing or contradicts what, and what would do.
 */
public final class WorldTextException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final int segment;

  public WorldTextException(int segment, String detail) {
    super("segment " + segment + ": " + detail);
    this.segment = segment;
  }

  /** The video segment at fault, from 0. */
  public int segment() {
    return segment;
  }
}
