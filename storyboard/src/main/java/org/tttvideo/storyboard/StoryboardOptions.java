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

  /** The prefix of every key. */
  public static final String PREFIX = "storyboard.";

  /**
   * Every option's configuration key, so that the parser's messages, the job's configuration and
   * the tests name an option in one way only ({@code Keys.MAX_SEGMENTS} is {@code
   * "storyboard.max-segments"}).
   */
  public static final class Keys {
    private Keys() {}

    public static final String MAX_PAYLOAD_BYTES = PREFIX + "max-payload-bytes";
    public static final String MIN_SEGMENTS = PREFIX + "min-segments";
    public static final String MAX_SEGMENTS = PREFIX + "max-segments";
    public static final String MAX_SEGMENT_CHARS = PREFIX + "max-segment-chars";
    public static final String MAX_TEXT_CHARS = PREFIX + "max-text-chars";
    public static final String MAX_TITLE_CHARS = PREFIX + "max-title-chars";
    public static final String MAX_VIDEOS_PER_RECORD = PREFIX + "max-videos-per-record";
    public static final String MAX_NESTING_DEPTH = PREFIX + "max-nesting-depth";
    public static final String MIN_SEED = PREFIX + "min-seed";
    public static final String MAX_SEED = PREFIX + "max-seed";
    public static final String DEFAULT_SEED = PREFIX + "default-seed";
    public static final String MIN_DENOISING_STEPS = PREFIX + "min-denoising-steps";
    public static final String MAX_DENOISING_STEPS = PREFIX + "max-denoising-steps";
    public static final String DEFAULT_DENOISING_STEPS = PREFIX + "default-denoising-steps";
    public static final String MIN_GUIDANCE_SCALE = PREFIX + "min-guidance-scale";
    public static final String MAX_GUIDANCE_SCALE = PREFIX + "max-guidance-scale";
    public static final String DEFAULT_GUIDANCE_SCALE = PREFIX + "default-guidance-scale";
    public static final String DEFAULT_SUMMARY_SEGMENTS = PREFIX + "default-summary-segments";
    public static final String DEFAULT_NEGATIVE_TEXT = PREFIX + "default-negative-text";
    public static final String MAX_REJECTED_PAYLOAD_BYTES = PREFIX + "max-rejected-payload-bytes";

    /** The key without {@link #PREFIX}, as messages that list several related keys write it. */
    public static String shortName(String key) {
      if (!key.startsWith(PREFIX)) {
        throw new IllegalArgumentException("key must start with " + PREFIX + ", was " + key);
      }
      return key.substring(PREFIX.length());
    }
  }

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
              Keys.MAX_PAYLOAD_BYTES,
              "largest record value accepted, in bytes",
              o -> o.maxPayloadBytes),
          spec(Keys.MIN_SEGMENTS, "fewest segments per video", o -> o.minSegments),
          spec(
              Keys.MAX_SEGMENTS,
              "most segments per video; each is 3 seconds, so 21 is a little over one minute",
              o -> o.maxSegments),
          spec(
              Keys.MAX_SEGMENT_CHARS,
              "longest text or negative text of one segment, in characters",
              o -> o.maxSegmentChars),
          spec(
              Keys.MAX_TEXT_CHARS,
              "longest summary or plot text, in characters",
              o -> o.maxTextChars),
          spec(Keys.MAX_TITLE_CHARS, "longest title, in characters", o -> o.maxTitleChars),
          spec(
              Keys.MAX_VIDEOS_PER_RECORD,
              "most videos in one record of the reference implementation's format",
              o -> o.maxVideosPerRecord),
          spec(
              Keys.MAX_NESTING_DEPTH,
              "deepest nesting of JSON arrays and objects",
              o -> o.maxNestingDepth),
          spec(Keys.MIN_SEED, "smallest seed", o -> o.minSeed),
          spec(Keys.MAX_SEED, "largest seed (default: 2^32 - 1)", o -> o.maxSeed),
          spec(Keys.DEFAULT_SEED, "seed of a storyboard that gives none", o -> o.defaultSeed),
          spec(Keys.MIN_DENOISING_STEPS, "fewest denoising steps", o -> o.minDenoisingSteps),
          spec(Keys.MAX_DENOISING_STEPS, "most denoising steps", o -> o.maxDenoisingSteps),
          spec(
              Keys.DEFAULT_DENOISING_STEPS,
              "denoising steps of a storyboard that gives none",
              o -> o.defaultDenoisingSteps),
          spec(
              Keys.MIN_GUIDANCE_SCALE,
              "smallest classifier-free guidance scale",
              o -> o.minGuidanceScale),
          spec(
              Keys.MAX_GUIDANCE_SCALE,
              "largest classifier-free guidance scale",
              o -> o.maxGuidanceScale),
          spec(
              Keys.DEFAULT_GUIDANCE_SCALE,
              "guidance scale of a storyboard that gives none",
              o -> o.defaultGuidanceScale),
          spec(
              Keys.DEFAULT_SUMMARY_SEGMENTS,
              "segments a summary (Format 1) is expanded to when it gives no segmentCount; 0"
                  + " means "
                  + Keys.MAX_SEGMENTS
                  + " (a full video)",
              o -> o.defaultSummarySegments),
          spec(
              Keys.DEFAULT_NEGATIVE_TEXT,
              "negative prompt of segments that give none (empty: none)",
              o -> o.defaultNegativeText),
          spec(
              Keys.MAX_REJECTED_PAYLOAD_BYTES,
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

  public StoryboardOptions {
    positive(Keys.MAX_PAYLOAD_BYTES, maxPayloadBytes);
    positive(Keys.MIN_SEGMENTS, minSegments);
    atLeast(Keys.MAX_SEGMENTS, maxSegments, minSegments, Keys.MIN_SEGMENTS);
    positive(Keys.MAX_SEGMENT_CHARS, maxSegmentChars);
    positive(Keys.MAX_TEXT_CHARS, maxTextChars);
    positive(Keys.MAX_TITLE_CHARS, maxTitleChars);
    positive(Keys.MAX_VIDEOS_PER_RECORD, maxVideosPerRecord);
    if (maxNestingDepth < 3) {
      throw new IllegalArgumentException(
          Keys.MAX_NESTING_DEPTH + " must be >= 3 (the formats need 3), was " + maxNestingDepth);
    }
    if (minSeed < 0) {
      throw new IllegalArgumentException(Keys.MIN_SEED + " must be >= 0, was " + minSeed);
    }
    if (maxSeed < minSeed || defaultSeed < minSeed || defaultSeed > maxSeed) {
      throw new IllegalArgumentException(
          Keys.MIN_SEED
              + " <= "
              + Keys.shortName(Keys.DEFAULT_SEED)
              + " <= "
              + Keys.shortName(Keys.MAX_SEED)
              + " must hold, was "
              + minSeed
              + ", "
              + defaultSeed
              + ", "
              + maxSeed);
    }
    positive(Keys.MIN_DENOISING_STEPS, minDenoisingSteps);
    if (maxDenoisingSteps < minDenoisingSteps
        || defaultDenoisingSteps < minDenoisingSteps
        || defaultDenoisingSteps > maxDenoisingSteps) {
      throw new IllegalArgumentException(
          Keys.MIN_DENOISING_STEPS
              + " <= "
              + Keys.shortName(Keys.DEFAULT_DENOISING_STEPS)
              + " <= "
              + Keys.shortName(Keys.MAX_DENOISING_STEPS)
              + " must hold");
    }
    if (!(minGuidanceScale >= 0)
        || !Double.isFinite(maxGuidanceScale)
        || !(minGuidanceScale <= defaultGuidanceScale)
        || !(defaultGuidanceScale <= maxGuidanceScale)) {
      throw new IllegalArgumentException(
          PREFIX
              + "0 <= "
              + Keys.shortName(Keys.MIN_GUIDANCE_SCALE)
              + " <= "
              + Keys.shortName(Keys.DEFAULT_GUIDANCE_SCALE)
              + " <= "
              + Keys.shortName(Keys.MAX_GUIDANCE_SCALE)
              + " (finite) must hold");
    }
    if (defaultSummarySegments != 0
        && (defaultSummarySegments < minSegments || defaultSummarySegments > maxSegments)) {
      throw new IllegalArgumentException(
          Keys.DEFAULT_SUMMARY_SEGMENTS
              + " must be 0 or in "
              + Keys.shortName(Keys.MIN_SEGMENTS)
              + ".."
              + Keys.shortName(Keys.MAX_SEGMENTS)
              + ", was "
              + defaultSummarySegments);
    }
    if (defaultNegativeText == null) {
      throw new IllegalArgumentException(Keys.DEFAULT_NEGATIVE_TEXT + " must not be null");
    }
    if (maxRejectedPayloadBytes < 0 || maxRejectedPayloadBytes > MAX_REJECTED_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          Keys.MAX_REJECTED_PAYLOAD_BYTES
              + " must be in 0.."
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
        parseInt(values, Keys.MAX_PAYLOAD_BYTES),
        parseInt(values, Keys.MIN_SEGMENTS),
        parseInt(values, Keys.MAX_SEGMENTS),
        parseInt(values, Keys.MAX_SEGMENT_CHARS),
        parseInt(values, Keys.MAX_TEXT_CHARS),
        parseInt(values, Keys.MAX_TITLE_CHARS),
        parseInt(values, Keys.MAX_VIDEOS_PER_RECORD),
        parseInt(values, Keys.MAX_NESTING_DEPTH),
        parseLong(values, Keys.MIN_SEED),
        parseLong(values, Keys.MAX_SEED),
        parseLong(values, Keys.DEFAULT_SEED),
        parseInt(values, Keys.MIN_DENOISING_STEPS),
        parseInt(values, Keys.MAX_DENOISING_STEPS),
        parseInt(values, Keys.DEFAULT_DENOISING_STEPS),
        parseDouble(values, Keys.MIN_GUIDANCE_SCALE),
        parseDouble(values, Keys.MAX_GUIDANCE_SCALE),
        parseDouble(values, Keys.DEFAULT_GUIDANCE_SCALE),
        parseInt(values, Keys.DEFAULT_SUMMARY_SEGMENTS),
        values.get(Keys.DEFAULT_NEGATIVE_TEXT),
        parseInt(values, Keys.MAX_REJECTED_PAYLOAD_BYTES));
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

  private static Spec spec(String key, String description, Function<StoryboardOptions, Object> g) {
    // DEFAULTS is assigned before SPECS in class initialisation order
    return new Spec(key, String.valueOf(g.apply(DEFAULTS)), description, g);
  }

  private static void positive(String key, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(key + " must be >= 1, was " + value);
    }
  }

  private static void atLeast(String key, int value, int min, String minKey) {
    if (value < min) {
      throw new IllegalArgumentException(
          key + " must be >= " + minKey + " (" + min + "), was " + value);
    }
  }

  private static int parseInt(Map<String, String> values, String key) {
    String v = values.get(key);
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, was \"" + v + "\"", e);
    }
  }

  private static long parseLong(Map<String, String> values, String key) {
    String v = values.get(key);
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, was \"" + v + "\"", e);
    }
  }

  private static double parseDouble(Map<String, String> values, String key) {
    String v = values.get(key);
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, was \"" + v + "\"", e);
    }
  }
}
