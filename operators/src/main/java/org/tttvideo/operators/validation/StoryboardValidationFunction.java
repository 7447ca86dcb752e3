package org.tttvideo.operators.validation;

import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tttvideo.connectors.kafka.ParsedRecord;
import org.tttvideo.storyboard.HeuristicExpander;
import org.tttvideo.storyboard.ParseOutcome;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.RejectionCode;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.storyboard.StoryboardExpander;
import org.tttvideo.storyboard.StoryboardFormat;
import org.tttvideo.storyboard.StoryboardOptions;
import org.tttvideo.storyboard.StoryboardOrigin;
import org.tttvideo.storyboard.StoryboardParser;

/**
 * Splits parsed {@code storyboards} records into valid storyboards (the main output) and rejections
 * (the side output {@link #REJECTED}, written to {@code storyboards.rejected}). Every storyboard
 * and rejection in the input comes out exactly once, on one side; nothing throws.
 *
 * <p>Each valid storyboard leaves with its {@link Storyboard#origin()} (the record's source, the
 * video's position in it and the payload), so that the generation operator can reject it the same
 * way (e.g. a video id already in use).
 *
 * <p>With an expander factory, summaries (Format 1) are expanded again here by that expander (e.g.
 * {@link org.tttvideo.storyboard.ChatCompletionsExpander}) instead of keeping the heuristic
 * segments the Kafka source wrote; when it fails the storyboard becomes an {@code EXPANDER_FAILED}
 * rejection carrying the original payload.
 *
 * <pre>{@code
 * SingleOutputStreamOperator<Storyboard> valid =
 *     parsed.process(new StoryboardValidationFunction(options, null)).name("validate");
 * valid.getSideOutput(StoryboardValidationFunction.REJECTED).sinkTo(rejectedSink);
 * }</pre>
 */
public class StoryboardValidationFunction extends ProcessFunction<ParsedRecord, Storyboard> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(StoryboardValidationFunction.class);

  /** The rejections, for {@code storyboards.rejected}. */
  public static final OutputTag<Rejection> REJECTED =
      new OutputTag<>("storyboards.rejected", TypeInformation.of(Rejection.class));

  private final StoryboardOptions options;
  private final StoryboardExpander.Factory expanderFactory;

  private transient StoryboardParser parser;
  private transient StoryboardExpander expander;
  private transient Counter valid;
  private transient Counter rejected;

  /**
   * @param options the limits (the same as the deserializer's)
   * @param expanderFactory makes the expander that re-expands summaries, or {@code null} to keep
   *     the heuristic expansion
   */
  public StoryboardValidationFunction(
      StoryboardOptions options, StoryboardExpander.Factory expanderFactory) {
    if (options == null) {
      throw new IllegalArgumentException("options must be given");
    }
    this.options = options;
    this.expanderFactory = expanderFactory;
  }

  @Override
  public void open(OpenContext openContext) {
    parser = new StoryboardParser(options, new HeuristicExpander());
    expander = expanderFactory == null ? null : expanderFactory.create();
    valid = getRuntimeContext().getMetricGroup().counter("storyboardsValid");
    rejected = getRuntimeContext().getMetricGroup().counter("storyboardsRejected");
  }

  @Override
  public void processElement(ParsedRecord record, Context ctx, Collector<Storyboard> out) {
    for (Rejection r : record.rejections()) {
      reject(ctx, r);
    }
    List<Storyboard> storyboards = record.storyboards();
    int[] positions = positions(record);
    for (int i = 0; i < storyboards.size(); i++) {
      Storyboard s =
          storyboards
              .get(i)
              .withOrigin(new StoryboardOrigin(record.source(), positions[i], record.payload()));
      ParseOutcome o = check(s, record);
      if (o.isOk()) {
        valid.inc();
        out.collect(o.storyboard());
      } else {
        reject(ctx, o.rejection());
      }
    }
  }

  /**
   * The position of each storyboard in its record. A record keeps its storyboards and rejections in
   * two lists, each in the record's order, and every rejection of a video names its position, so
   * the storyboards fill the positions that no rejection names, in order.
   */
  static int[] positions(ParsedRecord record) {
    int n = record.outputCount();
    boolean[] rejected = new boolean[n];
    for (Rejection r : record.rejections()) {
      if (r.videoIndex() < n) {
        rejected[r.videoIndex()] = true;
      }
    }
    int[] out = new int[record.storyboards().size()];
    int k = 0;
    for (int i = 0; i < n && k < out.length; i++) {
      if (!rejected[i]) {
        out[k++] = i;
      }
    }
    for (; k < out.length; k++) {
      out[k] = k; // not a record of the parser (two rejections at one position): the list order
    }
    return out;
  }

  private ParseOutcome check(Storyboard s, ParsedRecord record) {
    try {
      if (expander != null
          && s.format() == StoryboardFormat.SUMMARY
          && !expander.name().equals(s.expandedBy())) {
        return parser.reexpand(s, expander, record.payload(), record.source());
      }
      return ParseOutcome.ok(s);
    } catch (RuntimeException e) {
      LOG.error("validating {} failed", s.videoId(), e);
      return ParseOutcome.rejected(
          new Rejection(
              RejectionCode.INTERNAL_ERROR,
              Rejection.ROOT,
              "validation failed unexpectedly (" + e + "); please report it",
              s.videoId(),
              0,
              record.payload(),
              record.source()));
    }
  }

  private void reject(Context ctx, Rejection r) {
    rejected.inc();
    LOG.info("rejected storyboard from {}: {}", r.source(), r.summary());
    ctx.output(REJECTED, r);
  }
}
