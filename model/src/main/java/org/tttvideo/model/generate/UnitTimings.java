package org.tttvideo.model.generate;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** Wall-clock time spent per kind of work, for benchmarks; not thread-safe. */
public final class UnitTimings {
  /** What the time went to. */
  public enum Part {
    EMBED,
    ATTENTION,
    TTT,
    FEED_FORWARD,
    OUTPUT,
    DECODE
  }

  private final Map<Part, Long> nanos = new EnumMap<>(Part.class);

  void add(Part part, long elapsedNanos) {
    nanos.merge(part, elapsedNanos, Long::sum);
  }

  public long nanos(Part part) {
    return nanos.getOrDefault(part, 0L);
  }

  public long totalNanos() {
    return nanos.values().stream().mapToLong(Long::longValue).sum();
  }

  public void reset() {
    nanos.clear();
  }

  /** "attention 41.2% ttt 30.1% ..." over all parts. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    double total = Math.max(1, totalNanos());
    for (Part p : Part.values()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%s%s %.1f%%",
              sb.length() == 0 ? "" : " ",
              p.name().toLowerCase(Locale.ROOT),
              100 * nanos(p) / total));
    }
    return sb.toString();
  }
}
