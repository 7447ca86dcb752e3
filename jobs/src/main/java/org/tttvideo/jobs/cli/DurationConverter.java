package org.tttvideo.jobs.cli;

import java.time.Duration;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as Flink writes them: {@code 90s}, {@code 10 min}, {@code 500 ms}, {@code 2h}. */
public final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      Duration d = TimeUtils.parseDuration(value);
      if (d.isNegative()) {
        throw new TypeConversionException("'" + value + "' is negative");
      }
      return d;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration; write e.g. 90s, 10min, 500ms");
    }
  }
}
