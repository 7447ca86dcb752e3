package org.tttvideo.storyboard;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Defaults and limits for accepting storyboards. Every option has a configuration key, a default
 * and a description ({@link #SPECS}); {@link #fromMap} reads them from a key-value configuration
 * (unknown keys under {@code storyboard.} are refused, so a typo cannot silently keep a default).
 *
 * <pre>{@code
 * StoryboardOptions o = StoryboardOptions.fromMap(Map.of("storyboard.max-segments", "8"));
 * }</pre>
 *
 * @param maxPayloadBytes largest record value accepted, in bytes
 * @param minSegments fewest segments per video
 * @param maxSegments most segments per video (3 seconds each: 21 is a little over a minute)
 * @param maxSegmentChars longest text or negative text of one segment, in characters
 * @param maxTextChars longest summary or plot text, in characters
 * @param maxTitleChars longest title, in characters
 * @param maxVideosPerRecord most videos in one reference-format record
 * @param maxNestingDepth deepest nesting of JSON arrays and objects
 * @param minSeed smallest seed
 * @param maxSeed largest seed
 * @param defaultSeed seed when none is given
 * @param minDenoisingSteps fewest denoising steps
 * @param maxDenoisingSteps most denoising steps
 * @param defaultDenoisingSteps denoising steps when none are given
 * @param minGuidanceScale smallest guidance scale
 * @param maxGuidanceScale largest guidance scale
 * @param defaultGuidanceScale guidance scale when none is given
 * @param defaultSummarySegments segments a summary is expanded to when it gives no segmentCount; 0
 *     for {@code maxSegments}
 * @param defaultNegativeText negative prompt for segments that give none
 * @param maxRejectedPayloadBytes most bytes the original payload takes in a rejection as written
 *     (JSON escapes and base64 counted; see {@link RejectionJson#maxBytes}), at most {@link
 *     #MAX_REJECTED_PAYLOAD_BYTES}
 */
public record StoryboardOptions(
    int maxPayloadBytes,
    int minSegments,
    int maxSegments,
    int maxSegmentChars,
    int maxTextChars,
    int maxTitleChars,
    int maxVideosPerRecord,
    int maxNestingDepth,
    long minSeed,
    long maxSeed,
    long defaultSeed,
    int minDenoisingSteps,
    int maxDenoisingSteps,
    int defaultDenoisingSteps,
    double minGuidanceScale,
    double maxGuidanceScale,
    double defaultGuidanceScale,
    int defaultSummarySegments,
    String defaultNegativeText,
    int maxRejectedPayloadBytes)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** One option: its configuration key, default and description. */
  public record Spec(
      String key,
      String defaultValue,
      String description,
      Function<StoryboardOptions, Object> getter) {}

  private static final StoryboardOptions DEFAULTS =
      new StoryboardOptions(
          1024 * 1024,
          1,
          21,
          2000,
          8000,
          200,
          16,
          16,
          0,
          4_294_967_295L,
          0,
          1,
          200,
          50,
          1.0,
          20.0,
          6.0,
          0,
          "",
          256 * 1024);

  /** All options, in the order of the record's components. */
  public static final List<Spec> SPECS =
      List.of(
          spec(
              "max-payload-bytes",
              "largest record value accepted, in bytes",
              o -> o.maxPayloadBytes),
          spec("min-segments", "fewest segments per video", o -> o.minSegments),
          spec(
              "max-segments",
              "most segments per video; each is 3 seconds, so 21 is a little over one minute",
              o -> o.maxSegments),
          spec(
              "max-segment-chars",
              "longest text or negative text of one segment, in characters",
              o -> o.maxSegmentChars),
          spec(
              "max-text-chars", "longest summary or plot text, in characters", o -> o.maxTextChars),
          spec("max-title-chars", "longest title, in characters", o -> o.maxTitleChars),
          spec(
              "max-videos-per-record",
              "most videos in one record of the reference implementation's format",
              o -> o.maxVideosPerRecord),
          spec(
              "max-nesting-depth",
              "deepest nesting of JSON arrays and objects",
              o -> o.maxNestingDepth),
          spec("min-seed", "smallest seed", o -> o.minSeed),
          spec("max-seed", "largest seed (default: 2^32 - 1)", o -> o.maxSeed),
          spec("default-seed", "seed of a storyboard that gives none", o -> o.defaultSeed),
          spec("min-denoising-steps", "fewest denoising steps", o -> o.minDenoisingSteps),
          spec("max-denoising-steps", "most denoising steps", o -> o.maxDenoisingSteps),
          spec(
              "default-denoising-steps",
              "denoising steps of a storyboard that gives none",
              o -> o.defaultDenoisingSteps),
          spec(
              "min-guidance-scale",
              "smallest classifier-free guidance scale",
              o -> o.minGuidanceScale),
          spec(
              "max-guidance-scale",
              "largest classifier-free guidance scale",
              o -> o.maxGuidanceScale),
          spec(
              "default-guidance-scale",
              "guidance scale of a storyboard that gives none",
              o -> o.defaultGuidanceScale),
          spec(
              "default-summary-segments",
              "segments a summary (Format 1) is expanded to when it gives no segmentCount; 0"
                  + " means storyboard.max-segments (a full video)",
              o -> o.defaultSummarySegments),
          spec(
              "default-negative-text",
              "negative prompt of segments that give none (empty: none)",
              o -> o.defaultNegativeText),
          spec(
              "max-rejected-payload-bytes",
              "most bytes the original payload takes in a rejection as written: JSON escapes"
                  + " (6 bytes for a NUL) and base64 count, the rest is cut and the rejection says"
                  + " so; the whole rejection record is at most this + 16 KiB (at most 1015808, so"
                  + " that it fits in Kafka's default 1 MiB)",
              o -> o.maxRejectedPayloadBytes));

  /**
   * The largest {@code max-rejected-payload-bytes}: with the rest of a rejection ({@link
   * RejectionJson#OVERHEAD_BYTES}), its key and Kafka's framing it stays within Kafka's default
   * record limit of 1 MiB ({@code max.request.size}, {@code message.max.bytes}).
   */
  public static final int MAX_REJECTED_PAYLOAD_BYTES = 1024 * 1024 - 32 * 1024;

  /** The prefix of every key. */
  public static final String PREFIX = "storyboard.";

  public StoryboardOptions {
    positive("max-payload-bytes", maxPayloadBytes);
    positive("min-segments", minSegments);
    atLeast("max-segments", maxSegments, minSegments, "min-segments");
    positive("max-segment-chars", maxSegmentChars);
    positive("max-text-chars", maxTextChars);
    positive("max-title-chars", maxTitleChars);
    positive("max-videos-per-record", maxVideosPerRecord);
    if (maxNestingDepth < 3) {
      throw new IllegalArgumentException(
          PREFIX + "max-nesting-depth must be >= 3 (the formats need 3), was " + maxNestingDepth);
    }
    if (minSeed < 0) {
      throw new IllegalArgumentException(PREFIX + "min-seed must be >= 0, was " + minSeed);
    }
    if (maxSeed < minSeed || defaultSeed < minSeed || defaultSeed > maxSeed) {
      throw new IllegalArgumentException(
          PREFIX
              + "min-seed <= default-seed <= max-seed must hold, was "
              + minSeed
              + ", "
              + defaultSeed
              + ", "
              + maxSeed);
    }
    positive("min-denoising-steps", minDenoisingSteps);
    if (maxDenoisingSteps < minDenoisingSteps
        || defaultDenoisingSteps < minDenoisingSteps
        || defaultDenoisingSteps > maxDenoisingSteps) {
      throw new IllegalArgumentException(
          PREFIX
              + "min-denoising-steps <= default-denoising-steps <= max-denoising-steps must hold");
    }
    if (!(minGuidanceScale >= 0)
        || !Double.isFinite(maxGuidanceScale)
        || !(minGuidanceScale <= defaultGuidanceScale)
        || !(defaultGuidanceScale <= maxGuidanceScale)) {
      throw new IllegalArgumentException(
          PREFIX
              + "0 <= min-guidance-scale <= default-guidance-scale <= max-guidance-scale (finite)"
              + " must hold");
    }
    if (defaultSummarySegments != 0
        && (defaultSummarySegments < minSegments || defaultSummarySegments > maxSegments)) {
      throw new IllegalArgumentException(
          PREFIX
              + "default-summary-segments must be 0 or in min-segments..max-segments, was "
              + defaultSummarySegments);
    }
    if (defaultNegativeText == null) {
      throw new IllegalArgumentException(PREFIX + "default-negative-text must not be null");
    }
    if (maxRejectedPayloadBytes < 0 || maxRejectedPayloadBytes > MAX_REJECTED_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          PREFIX
              + "max-rejected-payload-bytes must be in 0.."
              + MAX_REJECTED_PAYLOAD_BYTES
              + " (a rejection must fit in Kafka's default 1 MiB record), was "
              + maxRejectedPayloadBytes);
    }
  }

  /** The defaults. */
  public static StoryboardOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Options from a configuration: keys are {@code storyboard.<name>} as in {@link #SPECS}; keys not
   * given keep their defaults; other keys outside the {@code storyboard.} prefix are ignored.
   *
   * @throws IllegalArgumentException naming the key for an unknown key or a value that does not
   *     parse or is out of range
   */
  public static StoryboardOptions fromMap(Map<String, String> config) {
    Map<String, String> values = new LinkedHashMap<>(DEFAULTS.toMap());
    for (Map.Entry<String, String> e : config.entrySet()) {
      if (!e.getKey().startsWith(PREFIX)) {
        continue;
      }
      if (!values.containsKey(e.getKey())) {
        List<String> keys = new ArrayList<>(values.keySet());
        throw new IllegalArgumentException(
            "unknown option " + e.getKey() + "; the known options are " + keys);
      }
      values.put(e.getKey(), e.getValue());
    }
    return new StoryboardOptions(
        parseInt(values, "max-payload-bytes"),
        parseInt(values, "min-segments"),
        parseInt(values, "max-segments"),
        parseInt(values, "max-segment-chars"),
        parseInt(values, "max-text-chars"),
        parseInt(values, "max-title-chars"),
        parseInt(values, "max-videos-per-record"),
        parseInt(values, "max-nesting-depth"),
        parseLong(values, "min-seed"),
        parseLong(values, "max-seed"),
        parseLong(values, "default-seed"),
        parseInt(values, "min-denoising-steps"),
        parseInt(values, "max-denoising-steps"),
        parseInt(values, "default-denoising-steps"),
        parseDouble(values, "min-guidance-scale"),
        parseDouble(values, "max-guidance-scale"),
        parseDouble(values, "default-guidance-scale"),
        parseInt(values, "default-summary-segments"),
        values.get(PREFIX + "default-negative-text"),
        parseInt(values, "max-rejected-payload-bytes"));
  }

  /** These options as configuration keys and values (round-trips through {@link #fromMap}). */
  public Map<String, String> toMap() {
    Map<String, String> m = new LinkedHashMap<>();
    for (Spec s : SPECS) {
      m.put(s.key(), String.valueOf(s.getter().apply(this)));
    }
    return m;
  }

  /** Segments a summary without segmentCount is expanded to. */
  public int summarySegments() {
    return defaultSummarySegments == 0 ? maxSegments : defaultSummarySegments;
  }

  /** The default settings of a storyboard that gives none. */
  public GenerationSettings defaultSettings() {
    return new GenerationSettings(defaultDenoisingSteps, defaultGuidanceScale);
  }

  private static Spec spec(String name, String description, Function<StoryboardOptions, Object> g) {
    // DEFAULTS is assigned before SPECS in class initialisation order
    return new Spec(PREFIX + name, String.valueOf(g.apply(DEFAULTS)), description, g);
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(PREFIX + name + " must be >= 1, was " + value);
    }
  }

  private static void atLeast(String name, int value, int min, String minName) {
    if (value < min) {
      throw new IllegalArgumentException(
          PREFIX + name + " must be >= " + PREFIX + minName + " (" + min + "), was " + value);
    }
  }

  private static int parseInt(Map<String, String> values, String name) {
    String v = values.get(PREFIX + name);
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          PREFIX + name + " must be an integer, was \"" + v + "\"", e);
    }
  }

  private static long parseLong(Map<String, String> values, String name) {
    String v = values.get(PREFIX + name);
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          PREFIX + name + " must be an integer, was \"" + v + "\"", e);
    }
  }

  private static double parseDouble(Map<String, String> values, String name) {
    String v = values.get(PREFIX + name);
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PREFIX + name + " must be a number, was \"" + v + "\"", e);
    }
  }
}
