package org.tttvideo.toonworld;

/**
 * A world spec's JSON that {@link WorldSpecJson} refuses: names the field (a path such as {@code
 * scenes[1].segments[0].cat.target}) and says what is wrong and what is allowed.
 */
public final class InvalidWorldSpecException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidWorldSpecException(String field, String detail) {
    super(field + ": " + detail);
    this.field = field;
  }

  /** The path of the field at fault; empty for the document as a whole. */
  public String field() {
    return field;
  }
}
