package org.tttvideo.toonworld;

/**
 * The geometry of every ToonWorld clip: the output geometry of the {@code small} model preset
 * ({@code ModelConfig.small()} in model/: latent 16 x 24 decoded 8x in space gives 128 x 192
 * pixels, at 8 fps), the preset the next issue trains. 192 x 128 keeps a 63-second video at 504
 * frames (37 MB of RGB24), so that rendering and training stay cheap.
 *
 * <p>A segment is 3 seconds, 24 frames. The {@code small} decoder turns the very first latent frame
 * of a video into one frame and every later one into 8, so its first segment has 25 frames and
 * later ones 24; ToonWorld renders 24 per segment and the trainer pairs them with the latent frames
 * (the extra leading frame is the first frame repeated).
 */
public final class Geometry {

  /** W, pixels per row. */
  public static final int WIDTH = 192;

  /** H, rows per frame. */
  public static final int HEIGHT = 128;

  /** Frames per second. */
  public static final int FPS = 8;

  /** Frames per 3-second segment. */
  public static final int FRAMES_PER_SEGMENT = 24;

  /** Seconds per segment. */
  public static final int SECONDS_PER_SEGMENT = FRAMES_PER_SEGMENT / FPS;

  private Geometry() {}
}
