package org.tttvideo.storyboard;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one input record (or file) turned into: one outcome per video found, in order. A
 * record that cannot be read at all (bad bytes, malformed JSON, ...) has exactly one outcome, a
 * rejection; a reference-format record holding three videos has three.
 *
 * @param outcomes at least one
 * @param payload the record's value as kept in rejections
 * @param source where the record came from, or {@code null}
 */
public record ParseResult(List<ParseOutcome> outcomes, Payload payload, RecordSource source) {
  public ParseResult {
    if (outcomes == null || outcomes.isEmpty()) {
      throw new IllegalArgumentException("a parse result has at least one outcome");
    }
    outcomes = List.copyOf(outcomes);
    if (payload == null) {
      throw new IllegalArgumentException("payload must not be null");
    }
  }

  /** The valid storyboards, in order. */
  public List<Storyboard> storyboards() {
    List<Storyboard> out = new ArrayList<>();
    for (ParseOutcome o : outcomes) {
      if (o.isOk()) {
        out.add(o.storyboard());
      }
    }
    return List.copyOf(out);
  }

  /** The rejections, in order. */
  public List<Rejection> rejections() {
    List<Rejection> out = new ArrayList<>();
    for (ParseOutcome o : outcomes) {
      if (!o.isOk()) {
        out.add(o.rejection());
      }
    }
    return List.copyOf(out);
  }
}
