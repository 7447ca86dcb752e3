package org.tttvideo.bench;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.tttvideo.connectors.kafka.ParsedRecord;
import org.tttvideo.connectors.kafka.VideoOutcome;
import org.tttvideo.operators.generation.UnitObserver;
import org.tttvideo.storyboard.Payload;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.RejectionCode;
import org.tttvideo.storyboard.StoryboardParser;

/**
 * What {@link PipelineBenchmark} plugs into the job to measure it without Kafka: a source of the N
 * storyboards, a sink and a unit observer that count into static counters (the MiniCluster runs in
 * the benchmark's JVM, so its tasks and the benchmark see the same counters).
 */
final class PipelineProbes {
  private PipelineProbes() {}

  /** VideoOutcomes of the running job, with the wall-clock time they arrived. */
  static final ConcurrentLinkedQueue<long[]> ARRIVALS = new ConcurrentLinkedQueue<>();

  static final AtomicInteger READY = new AtomicInteger();
  static final AtomicInteger FAILED = new AtomicInteger();
  static final AtomicLong UNITS = new AtomicLong();
  static final AtomicLong FIRST_UNIT_NANOS = new AtomicLong();

  /** Counts units and remembers when the first one ran. */
  record CountingObserver() implements UnitObserver {
    @Override
    public void afterUnit(String videoId, long unitsDone) {
      FIRST_UNIT_NANOS.compareAndSet(0, System.nanoTime());
      UNITS.incrementAndGet();
    }
  }

  /** A sink that counts outcomes in this JVM (the MiniCluster runs in it). */
  static final class CountingSink implements Sink<VideoOutcome> {
    private static final long serialVersionUID = 1L;

    @Override
    public SinkWriter<VideoOutcome> createWriter(WriterInitContext context) {
      return new SinkWriter<>() {
        @Override
        public void write(VideoOutcome o, Context c) {
          (o.isReady() ? READY : FAILED).incrementAndGet();
          ARRIVALS.add(new long[] {System.nanoTime()});
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }

  /** The N storyboards, then an idle rejection every tick, for ever. */
  record Storyboards(List<byte[]> values) implements GeneratorFunction<Long, ParsedRecord> {
    @Override
    public ParsedRecord map(Long i) {
      if (i < values.size()) {
        return ParsedRecord.of(new StoryboardParser().parse(values.get(i.intValue())));
      }
      return ParsedRecord.rejected(
          new Rejection(
              RejectionCode.EMPTY_PAYLOAD, "$", "bench idle tick", "", 0, Payload.absent(), null));
    }
  }
}
