package org.tttvideo.storyboard;

/**
 * What became of one video in a record: exactly one of {@link #storyboard()} and {@link
 * #rejection()} is set.
 */
public record ParseOutcome(Storyboard storyboard, Rejection rejection) {
  public ParseOutcome {
    if ((storyboard == null) == (rejection == null)) {
      throw new IllegalArgumentException("exactly one of storyboard and rejection must be set");
    }
  }

  public static ParseOutcome ok(Storyboard storyboard) {
    return new ParseOutcome(storyboard, null);
  }

  public static ParseOutcome rejected(Rejection rejection) {
    return new ParseOutcome(null, rejection);
  }

  public boolean isOk() {
    return storyboard != null;
  }
}
