package org.tttvideo.operators.generation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which videos of a generation subtask generate, which wait, and in which order they take the task
 * thread: the generation operator's scheduling policy, apart from its timers and state (as Flink's
 * {@code WindowOperator} leaves the policy to its {@code Trigger}). In memory only: the operator
 * rebuilds it from keyed state after a restore.
 *
 * <h2>Scheduling</h2>
 *
 * A storyboard starts generating at once if fewer than {@link
 * GenerationOperatorOptions#maxActiveVideos()} videos generate on the subtask ({@link
 * #hasFreeSlot()}), else it waits in state in arrival order ({@link #enqueue}). Each generating
 * video has one pending processing-time timer; when it fires, the operator runs the video's units
 * until the {@link GenerationOperatorOptions#timeSlice()} is used (at least one unit) and registers
 * the next timer. Timer times strictly increase in the order they are registered ({@link
 * #nextSliceTime}), so the videos take slices round robin, and checkpoint barriers, new storyboards
 * and cancellation get in between (a fired timer runs at most one slice per generating video). When
 * a video finishes or fails, the first queued video starts. At end of input ({@code
 * GenerationOperator#finish()}, e.g. a bounded source or stop-with-savepoint --drain) every
 * remaining video is generated to the end.
 *
 * <h2>Queue positions</h2>
 *
 * Queue positions are reported on arrival and then whenever a video reaches or passes a power of
 * two (..., 8, 4, 2, 1; {@link #positionsToReport}), which is O(log n) records per video instead of
 * a record for every queued video each time one starts (O(n<sup>2</sup>) for a backlog of n).
 *
 * <p>How long a storyboard may wait for a place in a full queue is {@link Admission}'s part.
 */
final class VideoSchedule {
  private final int maxActiveVideos;
  private final int maxQueuedVideos;

  /** Generating videos, in the order they started. */
  private final Set<String> active = new LinkedHashSet<>();

  /** Queued videos in arrival order. */
  private final TreeSet<Queued> queue = new TreeSet<>(Queued.ORDER);

  /** Queue positions changed where records cannot be emitted; report them at the next event. */
  private boolean positionsPending;

  private long nextArrival;
  private long lastTimerAt;

  VideoSchedule(GenerationOperatorOptions options) {
    this.maxActiveVideos = options.maxActiveVideos();
    this.maxQueuedVideos = options.maxQueuedVideos();
  }

  /** Whether a video may start generating now. */
  boolean hasFreeSlot() {
    return active.size() < maxActiveVideos;
  }

  /** Whether a new storyboard finds every slot and every place in the queue taken. */
  boolean isFull() {
    return active.size() >= maxActiveVideos && queue.size() >= maxQueuedVideos;
  }

  int activeCount() {
    return active.size();
  }

  int queuedCount() {
    return queue.size();
  }

  boolean hasQueued() {
    return !queue.isEmpty();
  }

  boolean isActive(String videoId) {
    return active.contains(videoId);
  }

  /** Whether any video generates or waits. */
  boolean isEmpty() {
    return active.isEmpty() && queue.isEmpty();
  }

  /** Generating videos, in the order they started (a live view). */
  Set<String> active() {
    return active;
  }

  /** The video that started generating first, or null. */
  String firstActive() {
    return active.isEmpty() ? null : active.iterator().next();
  }

  void started(String videoId) {
    active.add(videoId);
  }

  /** The video finished or failed. */
  void ended(String videoId) {
    active.remove(videoId);
  }

  /** The arrival number of a new storyboard: arrivals order the queue. */
  long nextArrival() {
    return nextArrival++;
  }

  void enqueue(long arrival, String videoId) {
    queue.add(new Queued(arrival, videoId));
  }

  /** The first queued video, or null. */
  String firstQueued() {
    return queue.isEmpty() ? null : queue.first().videoId();
  }

  /** Removes and returns the first queued video. */
  String pollQueued() {
    return queue.pollFirst().videoId();
  }

  /** The 1-based position of a queued video. */
  int position(long arrival, String videoId) {
    return queue.headSet(new Queued(arrival, videoId)).size() + 1;
  }

  /**
   * The time of the next slice timer: after {@code now} and after every slice timer registered so
   * far, so that the videos take their slices round robin.
   */
  long nextSliceTime(long now) {
    long at = Math.max(now + 1, lastTimerAt + 1);
    lastTimerAt = at;
    return at;
  }

  /** A video found in state on restore, with its pending slice timer (or null). */
  void restored(long arrival, Long timerAt) {
    nextArrival = Math.max(nextArrival, arrival + 1);
    lastTimerAt = Math.max(lastTimerAt, timerAt == null ? 0 : timerAt);
  }

  /**
   * Whether positions changed where they could not be reported (see {@link #positionsToReport}).
   */
  boolean positionsPending() {
    return positionsPending;
  }

  void positionsPending(boolean pending) {
    positionsPending = pending;
  }

  /**
   * The queued videos to report after the queue moved up by {@code moved} places (all of them when
   * {@code moved} is negative), with their new 1-based positions: a video is reported when it
   * reaches or passes a power of two (1, 2, 4, 8, ...), O(log n) records per move and per video
   * instead of one per queued video per move, and every video hears of positions 4, 2 and 1. Clears
   * {@link #positionsPending()}.
   */
  List<Position> positionsToReport(int moved) {
    positionsPending = false;
    List<Position> report = new ArrayList<>();
    int position = 0;
    for (Queued q : queue) {
      position++;
      if (moved < 0 || reachesPowerOfTwo(position, position + moved)) {
        report.add(new Position(q.videoId(), position));
      }
    }
    return report;
  }

  /** Whether a power of two lies in {@code [position, previous)}. */
  static boolean reachesPowerOfTwo(int position, int previous) {
    return previous > position && Integer.highestOneBit(previous - 1) >= position;
  }

  /** A queued video's new 1-based position. */
  record Position(String videoId, int position) {}

  /** A queued video: ordered by arrival, then id. */
  private record Queued(long arrival, String videoId) {
    static final Comparator<Queued> ORDER =
        Comparator.comparingLong(Queued::arrival).thenComparing(Queued::videoId);
  }
}
