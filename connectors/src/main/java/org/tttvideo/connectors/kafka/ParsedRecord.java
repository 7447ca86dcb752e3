package org.tttvideo.connectors.kafka;

import java.util.List;
import org.tttvideo.storyboard.ParseResult;
import org.tttvideo.storyboard.Payload;
import org.tttvideo.storyboard.RecordSource;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.Storyboard;

/**
 * What one Kafka record of {@code storyboards} became: the valid storyboards it holds and the
 * rejections for everything else. Usually exactly one of the lists has one element; a record in the
 * reference implementation's format holding several videos gives one entry per video, so a record
 * can carry both storyboards and rejections. Never both empty.
 *
 * <p>A record (not a class with setters) so that Flink serializes it as a POJO; the lists are
 * {@link List#copyOf} copies, which Flink can copy.
 *
 * @param storyboards valid storyboards, in the record's order
 * @param rejections rejections, in the record's order
 * @param payload the record value as kept in rejections (for rejections found later, e.g. when a
 *     summary is expanded by an endpoint in the validation operator)
 * @param source topic, partition and offset of the record
 */
public record ParsedRecord(
    List<Storyboard> storyboards,
    List<Rejection> rejections,
    Payload payload,
    RecordSource source) {

  public ParsedRecord {
    storyboards = List.copyOf(storyboards);
    rejections = List.copyOf(rejections);
    if (storyboards.isEmpty() && rejections.isEmpty()) {
      throw new IllegalArgumentException("a parsed record holds a storyboard or a rejection");
    }
    if (payload == null) {
      throw new IllegalArgumentException("payload must not be null");
    }
  }

  /** The record for a parse result. */
  public static ParsedRecord of(ParseResult result) {
    return new ParsedRecord(
        result.storyboards(), result.rejections(), result.payload(), result.source());
  }

  /** A record that is only one rejection. */
  public static ParsedRecord rejected(Rejection rejection) {
    return new ParsedRecord(List.of(), List.of(rejection), rejection.payload(), rejection.source());
  }

  /** How many outputs (storyboards and rejections) this record gives. */
  public int outputCount() {
    return storyboards.size() + rejections.size();
  }
}
