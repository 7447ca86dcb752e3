package org.tttvideo.storyboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Video ids: safe as file names and object-store keys, and stable for a given submission.
 *
 * <p>A valid id starts with a letter or digit and continues with at most 127 letters, digits, dots,
 * underscores or hyphens, so it can never be {@code .}, {@code ..} or hold a slash: a video id
 * cannot name a file outside the output directory.
 */
public final class VideoIds {
  /** Every accepted id matches this. */
  public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /** The prefix of derived ids. */
  public static final String DERIVED_PREFIX = "sb-";

  private VideoIds() {}

  /** Whether {@code id} is an acceptable video id. */
  public static boolean isValid(String id) {
    return id != null && PATTERN.matcher(id).matches();
  }

  /**
   * The id of a storyboard that gives none: {@code sb-} and the first 16 hex digits of the SHA-256
   * of its canonical form (see {@link StoryboardParser}), so submitting the same storyboard twice
   * gives the same id.
   */
  public static String derive(String canonicalForm) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(canonicalForm.getBytes(StandardCharsets.UTF_8));
      return DERIVED_PREFIX + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
