package org.tttvideo.connectors.kafka;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tttvideo.storyboard.HeuristicExpander;
import org.tttvideo.storyboard.Payload;
import org.tttvideo.storyboard.RecordSource;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.RejectionCode;
import org.tttvideo.storyboard.StoryboardOptions;
import org.tttvideo.storyboard.StoryboardParser;

/**
 * Reads records of the {@code storyboards} topic into {@link ParsedRecord}s with {@link
 * StoryboardParser}. It never throws: bad bytes, malformed JSON, a tombstone and even a bug in the
 * parser become rejections carrying the record's topic, partition and offset, so one bad record can
 * neither fail the job nor be lost. Exactly one {@link ParsedRecord} is emitted per Kafka record.
 *
 * <p>Summaries (Format 1) are expanded here by the deterministic {@link HeuristicExpander}: the
 * source does no network calls. The validation operator can expand them again with an endpoint.
 *
 * <pre>{@code
 * KafkaSource.<ParsedRecord>builder()
 *     .setTopics("storyboards")
 *     .setDeserializer(new StoryboardDeserializationSchema(StoryboardOptions.defaults()))
 *     ...
 * }</pre>
 */
public final class StoryboardDeserializationSchema
    implements KafkaRecordDeserializationSchema<ParsedRecord> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(StoryboardDeserializationSchema.class);

  private final StoryboardOptions options;
  private transient StoryboardParser parser;

  public StoryboardDeserializationSchema(StoryboardOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("options must be given");
    }
    this.options = options;
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    parser = new StoryboardParser(options, new HeuristicExpander());
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedRecord> out) {
    out.collect(parse(record));
  }

  /** The parsed record; never throws. */
  ParsedRecord parse(ConsumerRecord<byte[], byte[]> record) {
    RecordSource source = new RecordSource(record.topic(), record.partition(), record.offset());
    try {
      if (parser == null) {
        open(null);
      }
      return ParsedRecord.of(parser.parse(record.value(), source));
    } catch (RuntimeException | StackOverflowError e) {
      // the parser turns every problem into a rejection; this is a last line of defence
      LOG.error("storyboard parser failed on {}", source, e);
      return ParsedRecord.rejected(
          new Rejection(
              RejectionCode.INTERNAL_ERROR,
              Rejection.ROOT,
              "reading the record failed unexpectedly (" + e + "); please report it",
              "",
              0,
              Payload.of(record.value(), options.maxRejectedPayloadBytes()),
              source));
    }
  }

  @Override
  public TypeInformation<ParsedRecord> getProducedType() {
    return TypeInformation.of(ParsedRecord.class);
  }
}
