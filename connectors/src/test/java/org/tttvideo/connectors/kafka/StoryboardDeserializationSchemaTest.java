package org.tttvideo.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tttvideo.storyboard.BadCorpus;
import org.tttvideo.storyboard.Examples;
import org.tttvideo.storyboard.RecordSource;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.StoryboardOptions;

class StoryboardDeserializationSchemaTest {
  private final StoryboardDeserializationSchema schema =
      new StoryboardDeserializationSchema(StoryboardOptions.defaults());

  private static final class ListCollector<T> implements Collector<T> {
    final List<T> items = new ArrayList<>();

    @Override
    public void collect(T record) {
      items.add(record);
    }

    @Override
    public void close() {}
  }

  private List<ParsedRecord> deserialize(byte[] value, long offset) throws IOException {
    ListCollector<ParsedRecord> out = new ListCollector<>();
    schema.deserialize(new ConsumerRecord<>("storyboards", 3, offset, null, value), out);
    return out.items;
  }

  static List<BadCorpus.Entry> corpus() {
    return BadCorpus.load();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void badRecordsBecomeOneRejectionAndNeverThrow(BadCorpus.Entry e) throws IOException {
    List<ParsedRecord> out = deserialize(e.value(), 17);

    assertThat(out).hasSize(1);
    ParsedRecord r = out.get(0);
    assertThat(r.storyboards()).isEmpty();
    assertThat(r.rejections()).hasSize(1);
    Rejection x = r.rejections().get(0);
    assertThat(x.code()).as(x.summary()).isEqualTo(e.code());
    assertThat(x.field()).as(x.summary()).isEqualTo(e.field());
    assertThat(x.source()).isEqualTo(new RecordSource("storyboards", 3, 17));
    assertThat(r.source()).isEqualTo(x.source());
  }

  static List<Path> examples() {
    return Examples.files();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void examplesBecomeStoryboards(Path file) throws IOException {
    Examples.Expected expected = Examples.EXPECTED.get(file.getFileName().toString());
    List<ParsedRecord> out = deserialize(Files.readAllBytes(file), 0);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).rejections()).isEmpty();
    assertThat(out.get(0).storyboards()).hasSize(expected.storyboards());
    assertThat(out.get(0).outputCount()).isEqualTo(expected.storyboards());
  }

  @Test
  void theProducedTypeIsAPojoNotAGenericKryoType() {
    TypeInformation<ParsedRecord> type = schema.getProducedType();
    assertThat(type).isInstanceOf(PojoTypeInfo.class);
  }
}
