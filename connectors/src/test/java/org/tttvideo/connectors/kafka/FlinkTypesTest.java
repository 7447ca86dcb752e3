package org.tttvideo.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.tttvideo.storyboard.Payload;
import org.tttvideo.storyboard.Rejection;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.storyboard.StoryboardOrigin;

/**
 * The records that travel between Flink operators serialize and copy with Flink's own serializers
 * (STACK.md section 3: {@code Collections.unmodifiableList} would break Kryo's copy).
 */
class FlinkTypesTest {

  private static <T> T roundTrip(TypeInformation<T> type, T value) throws IOException {
    TypeSerializer<T> s = type.createSerializer(new SerializerConfigImpl());
    T copy = s.copy(value);
    assertThat(copy).isEqualTo(value);
    DataOutputSerializer out = new DataOutputSerializer(256);
    s.serialize(value, out);
    T back = s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(back).isEqualTo(value);
    return back;
  }

  @Test
  void storyboardsRejectionsAndParsedRecordsRoundTrip() throws IOException {
    assertThat(TypeInformation.of(Storyboard.class)).isInstanceOf(PojoTypeInfo.class);
    assertThat(TypeInformation.of(Rejection.class)).isInstanceOf(PojoTypeInfo.class);
    roundTrip(TypeInformation.of(Storyboard.class), SerializationSchemasTest.STORYBOARD);
    roundTrip(TypeInformation.of(Rejection.class), SerializationSchemasTest.REJECTION);
    Storyboard traced =
        roundTrip(
            TypeInformation.of(Storyboard.class),
            SerializationSchemasTest.STORYBOARD.withOrigin(
                new StoryboardOrigin(
                    SerializationSchemasTest.REJECTION.source(),
                    2,
                    SerializationSchemasTest.REJECTION.payload())));
    assertThat(traced.origin().videoIndex()).isEqualTo(2);
    Rejection noSource =
        new Rejection(
            SerializationSchemasTest.REJECTION.code(), "$", "m", "", 0, Payload.absent(), null);
    roundTrip(TypeInformation.of(Rejection.class), noSource);
    ParsedRecord both =
        new ParsedRecord(
            List.of(SerializationSchemasTest.STORYBOARD),
            List.of(SerializationSchemasTest.REJECTION),
            SerializationSchemasTest.REJECTION.payload(),
            SerializationSchemasTest.REJECTION.source());
    ParsedRecord back = roundTrip(TypeInformation.of(ParsedRecord.class), both);
    assertThat(back.storyboards().get(0).segments()).hasSize(2);
  }
}
