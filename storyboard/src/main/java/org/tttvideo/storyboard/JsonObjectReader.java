package org.tttvideo.storyboard;

import static org.tttvideo.storyboard.FieldReader.clip;
import static org.tttvideo.storyboard.FieldReader.present;
import static org.tttvideo.storyboard.FieldReader.rejectUnknownFields;
import static org.tttvideo.storyboard.FieldReader.wrongType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.tttvideo.storyboard.StoryboardOptions.Keys;

/**
 * Reads our JSON object ({@code {"format": "storyboard" | "plot" | "summary", ...}}): the schema
 * version, the fields all formats share ({@link ObjectHeader}), then hands the content to the
 * format's reader. The checks run in a fixed order, so an object with one problem always gets the
 * same code and field.
 */
final class JsonObjectReader {

  private static final Set<String> TOP_LEVEL_FIELDS =
      FieldReader.orderedSet(
          "schemaVersion",
          "format",
          "videoId",
          "title",
          "seed",
          "settings",
          "negativeText",
          "segments",
          "text",
          "sentences",
          "segmentCount");
  private static final Set<String> SETTINGS_FIELDS =
      FieldReader.orderedSet("denoisingSteps", "guidanceScale");

  private final FieldReader fields;
  private final StoryboardOptions options;
  private final StoryboardFormatReader storyboards;
  private final PlotFormatReader plots;
  private final SummaryFormatReader summaries;

  JsonObjectReader(
      FieldReader fields,
      StoryboardFormatReader storyboards,
      PlotFormatReader plots,
      SummaryFormatReader summaries) {
    this.fields = fields;
    this.options = fields.options();
    this.storyboards = storyboards;
    this.plots = plots;
    this.summaries = summaries;
  }

  /** The storyboard of one object; notes its video id in {@code ctx} as soon as it is known. */
  Storyboard read(ObjectNode root, RejectionContext ctx) {
    JsonNode version = present(root, "schemaVersion");
    if (version != null) {
      if (!version.isIntegralNumber()) {
        throw wrongType("schemaVersion", "an integer", version);
      }
      if (!version.canConvertToInt() || version.intValue() != StoryboardParser.SCHEMA_VERSION) {
        throw new InvalidInput(
            RejectionCode.UNSUPPORTED_SCHEMA_VERSION,
            "schemaVersion",
            "schemaVersion "
                + version.asText()
                + " is not supported; this version reads schemaVersion "
                + StoryboardParser.SCHEMA_VERSION
                + " (or none, which means "
                + StoryboardParser.SCHEMA_VERSION
                + ")");
      }
    }
    rejectUnknownFields(root, "", TOP_LEVEL_FIELDS);
    StoryboardFormat format = format(root);
    ObjectHeader header = header(root, ctx);
    return switch (format) {
      case STORYBOARD -> storyboards.read(root, header);
      case PLOT -> plots.read(root, header);
      case SUMMARY -> summaries.read(root, header);
    };
  }

  private static StoryboardFormat format(ObjectNode root) {
    JsonNode formatNode = present(root, "format");
    if (formatNode == null) {
      throw new InvalidInput(
          RejectionCode.MISSING_FIELD,
          "format",
          "format is required: \"storyboard\" (Format 3), \"plot\" (Format 2) or \"summary\""
              + " (Format 1)");
    }
    if (!formatNode.isTextual()) {
      throw wrongType("format", "a string", formatNode);
    }
    StoryboardFormat format =
        StoryboardFormat.fromWireName(formatNode.textValue())
            .orElseThrow(
                () ->
                    new InvalidInput(
                        RejectionCode.UNKNOWN_FORMAT,
                        "format",
                        "format \""
                            + clip(formatNode.textValue())
                            + "\" is unknown; use \"storyboard\" (Format 3), \"plot\" (Format 2)"
                            + " or \"summary\" (Format 1)"));
    Set<String> contentFields =
        switch (format) {
          case STORYBOARD -> Set.of("segments", "text");
          case PLOT -> Set.of("text", "sentences");
          case SUMMARY -> Set.of("text", "segmentCount");
        };
    for (String f : List.of("segments", "text", "sentences", "segmentCount")) {
      if (root.has(f) && !contentFields.contains(f)) {
        throw new InvalidInput(
            RejectionCode.UNKNOWN_FIELD,
            f,
            "field \""
                + f
                + "\" does not belong to format \""
                + format.wireName()
                + "\", which takes "
                + new TreeSet<>(contentFields));
      }
    }
    return format;
  }

  private ObjectHeader header(ObjectNode root, RejectionContext ctx) {
    String videoId = null;
    JsonNode idNode = present(root, "videoId");
    if (idNode != null) {
      if (!idNode.isTextual()) {
        throw wrongType("videoId", "a string", idNode);
      }
      videoId = idNode.textValue();
      if (!VideoIds.isValid(videoId)) {
        throw new InvalidInput(
            RejectionCode.INVALID_VIDEO_ID,
            "videoId",
            "videoId \""
                + clip(videoId)
                + "\" is not allowed: it must match "
                + VideoIds.PATTERN.pattern()
                + " (a letter or digit, then at most 127 letters, digits, '.', '_' or '-'), or be"
                + " left out to have one derived");
      }
      ctx.videoId = videoId;
    }
    String title = "";
    JsonNode titleNode = present(root, "title");
    if (titleNode != null) {
      title = fields.text(titleNode, "title", TextSpec.title(options));
    }
    long seed = seed(present(root, "seed"));
    GenerationSettings settings = settings(present(root, "settings"));
    String negative = options.defaultNegativeText();
    JsonNode negNode = present(root, "negativeText");
    if (negNode != null) {
      negative = fields.text(negNode, "negativeText", TextSpec.negativeText(options));
    }
    return new ObjectHeader(videoId, title, seed, settings, negative);
  }

  private long seed(JsonNode node) {
    if (node == null) {
      return options.defaultSeed();
    }
    if (!node.isIntegralNumber()) {
      throw wrongType("seed", "an integer", node);
    }
    BigInteger v = node.bigIntegerValue();
    if (v.compareTo(BigInteger.valueOf(options.minSeed())) < 0
        || v.compareTo(BigInteger.valueOf(options.maxSeed())) > 0) {
      throw new InvalidInput(
          RejectionCode.SEED_OUT_OF_RANGE,
          "seed",
          "seed "
              + clip(v.toString())
              + " is outside "
              + options.minSeed()
              + ".."
              + options.maxSeed()
              + " ("
              + Keys.MIN_SEED
              + ", "
              + Keys.MAX_SEED
              + ")");
    }
    return v.longValueExact();
  }

  private GenerationSettings settings(JsonNode node) {
    if (node == null) {
      return options.defaultSettings();
    }
    if (!node.isObject()) {
      throw wrongType(
          "settings", "an object {\"denoisingSteps\": ..., \"guidanceScale\": ...}", node);
    }
    rejectUnknownFields(node, "settings", SETTINGS_FIELDS);
    int steps = options.defaultDenoisingSteps();
    JsonNode stepsNode = present(node, "denoisingSteps");
    if (stepsNode != null) {
      if (!stepsNode.isIntegralNumber()) {
        throw wrongType("settings.denoisingSteps", "an integer", stepsNode);
      }
      BigInteger v = stepsNode.bigIntegerValue();
      if (v.compareTo(BigInteger.valueOf(options.minDenoisingSteps())) < 0
          || v.compareTo(BigInteger.valueOf(options.maxDenoisingSteps())) > 0) {
        throw new InvalidInput(
            RejectionCode.SETTING_OUT_OF_RANGE,
            "settings.denoisingSteps",
            "denoisingSteps "
                + clip(v.toString())
                + " is outside "
                + options.minDenoisingSteps()
                + ".."
                + options.maxDenoisingSteps()
                + " ("
                + Keys.MIN_DENOISING_STEPS
                + ", "
                + Keys.MAX_DENOISING_STEPS
                + ")");
      }
      steps = v.intValueExact();
    }
    double guidance = options.defaultGuidanceScale();
    JsonNode gNode = present(node, "guidanceScale");
    if (gNode != null) {
      if (!gNode.isNumber()) {
        throw wrongType("settings.guidanceScale", "a number", gNode);
      }
      guidance = gNode.doubleValue();
      if (!Double.isFinite(guidance)) {
        throw new InvalidInput(
            RejectionCode.INVALID_NUMBER,
            "settings.guidanceScale",
            "guidanceScale is "
                + gNode.asText()
                + "; it must be a finite number in "
                + options.minGuidanceScale()
                + ".."
                + options.maxGuidanceScale());
      }
      if (guidance < options.minGuidanceScale() || guidance > options.maxGuidanceScale()) {
        throw new InvalidInput(
            RejectionCode.SETTING_OUT_OF_RANGE,
            "settings.guidanceScale",
            "guidanceScale "
                + gNode.asText()
                + " is outside "
                + options.minGuidanceScale()
                + ".."
                + options.maxGuidanceScale()
                + " ("
                + Keys.MIN_GUIDANCE_SCALE
                + ", "
                + Keys.MAX_GUIDANCE_SCALE
                + ")");
      }
    }
    return new GenerationSettings(steps, guidance);
  }
}
