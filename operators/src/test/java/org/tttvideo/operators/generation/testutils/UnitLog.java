package org.tttvideo.operators.generation.testutils;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.tttvideo.operators.generation.UnitObserver;

/**
 * A {@link UnitObserver} that records every unit in order, so tests can assert the schedule. The
 * entries live in a static map under a random id, because the observer is serialized with the
 * operator.
 */
public final class UnitLog implements UnitObserver {
  private static final long serialVersionUID = 1L;
  private static final Map<String, List<Entry>> LOGS = new ConcurrentHashMap<>();

  private final String id = UUID.randomUUID().toString();
  private final String failVideo;
  private final long failAfterUnits;

  /** One unit of one video: its cursor after the unit. */
  public record Entry(String videoId, long unitsDone) {}

  /** A log that never fails. */
  public UnitLog() {
    this(null, -1);
  }

  private UnitLog(String failVideo, long failAfterUnits) {
    this.failVideo = failVideo;
    this.failAfterUnits = failAfterUnits;
    LOGS.put(id, new ArrayList<>());
  }

  /** A log that throws (a task failure) after unit {@code unitsDone} of {@code videoId}. */
  public static UnitLog failingAfter(String videoId, long unitsDone) {
    return new UnitLog(videoId, unitsDone);
  }

  @Override
  public void afterUnit(String videoId, long unitsDone) {
    List<Entry> log = LOGS.get(id);
    synchronized (log) {
      log.add(new Entry(videoId, unitsDone));
    }
    if (videoId.equals(failVideo) && unitsDone == failAfterUnits) {
      throw new IllegalStateException("injected task failure after unit " + unitsDone);
    }
  }

  /** The units so far, in order. */
  public List<Entry> entries() {
    List<Entry> log = LOGS.get(id);
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** The video ids of the units so far, in order. */
  public List<String> videos() {
    return entries().stream().map(Entry::videoId).toList();
  }

  /** The cursor of {@code videoId} after its last unit, or -1. */
  public long lastUnit(String videoId) {
    List<Entry> e = entries();
    for (int i = e.size() - 1; i >= 0; i--) {
      if (e.get(i).videoId().equals(videoId)) {
        return e.get(i).unitsDone();
      }
    }
    return -1;
  }
}
