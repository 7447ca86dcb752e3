package org.tttvideo.storyboard;

import java.util.List;

/**
 * Turns a summary (Format 1, 5-8 sentences for the whole video) into per-segment prompts.
 *
 * <p>Implementations never throw for a bad answer or an unreachable service: they return {@link
 * Result#failed}, and the caller turns that into a {@link RejectionCode#EXPANDER_FAILED} rejection.
 * The caller also checks what comes back (count, empty or over-long texts), so an implementation
 * need not trust its own source.
 *
 * <pre>{@code
 * StoryboardExpander.Result r = new HeuristicExpander().expand(new Request(summary, sentences, 21, ""));
 * }</pre>
 */
public interface StoryboardExpander {

  /** What to expand. */
  record Request(String summary, List<String> sentences, int segmentCount, String negativeText) {
    public Request {
      if (summary == null || summary.isBlank()) {
        throw new IllegalArgumentException("summary must not be blank");
      }
      if (sentences == null || sentences.isEmpty()) {
        throw new IllegalArgumentException("sentences must not be empty");
      }
      sentences = List.copyOf(sentences);
      if (segmentCount < 1) {
        throw new IllegalArgumentException("segmentCount must be >= 1, was " + segmentCount);
      }
      if (negativeText == null) {
        throw new IllegalArgumentException("negativeText must not be null");
      }
    }
  }

  /**
   * The segments, or why there are none.
   *
   * @param segments the expanded segments (empty when failed)
   * @param failure why it failed, or {@code ""} on success
   */
  record Result(List<Segment> segments, String failure) {
    public Result {
      segments = List.copyOf(segments);
      if (failure == null || segments.isEmpty() == failure.isEmpty()) {
        throw new IllegalArgumentException("a result has either segments or a failure");
      }
    }

    public static Result ok(List<Segment> segments) {
      return new Result(segments, "");
    }

    public static Result failed(String why) {
      return new Result(List.of(), why);
    }

    public boolean isOk() {
      return failure.isEmpty();
    }
  }

  /**
   * Makes an expander where it runs (a Flink operator's {@code open()}), so that only this small
   * serializable description travels with the job graph, not an HTTP client.
   */
  @FunctionalInterface
  interface Factory extends java.io.Serializable {
    StoryboardExpander create();
  }

  /** A short stable name recorded in {@link Storyboard#expandedBy()}, e.g. {@code heuristic}. */
  String name();

  /** Expands the summary; never throws for bad input or a failing service. */
  Result expand(Request request);
}
