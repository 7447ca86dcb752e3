package org.tttvideo.connectors.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.tttvideo.connectors.video.testutils.SyntheticVideos;

class FramesTest {

  @Test
  void packsFramesInOrderAndCopiesThemBack() {
    byte[] f0 = {1, 2, 3, 4, 5, 6};
    byte[] f1 = {7, 8, 9, 10, 11, 12};
    Frames frames = Frames.of(2, 1, 16, new byte[][] {f0, f1});

    assertThat(frames.frameCount()).isEqualTo(2);
    assertThat(frames.frameBytes()).isEqualTo(6);
    assertThat(frames.rgb()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    assertThat(frames.frame(1)).containsExactly(f1);
    assertThat(frames.index(1, 0, 1, 2)).isEqualTo(11);
    assertThat(frames.rgb()[frames.index(1, 0, 1, 2)]).isEqualTo((byte) 12);
    assertThat(frames.durationSeconds()).isEqualTo(0.125);
  }

  @Test
  void rejectsAnArrayOfTheWrongLength() {
    assertThatThrownBy(() -> new Frames(4, 2, 16, 3, new byte[4 * 2 * 3 * 3 - 1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rgb has 71 bytes; frameCount * height * width * 3 = 3 * 2 * 4 * 3 = 72");
  }

  @Test
  void rejectsNonPositiveSizes() {
    assertThatThrownBy(() -> new Frames(0, 2, 16, 1, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("width must be at least 1, got 0");
    assertThatThrownBy(() -> new Frames(2, 2, -1, 1, new byte[12]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fps must be at least 1, got -1");
    assertThatThrownBy(() -> new Frames(2, 2, 16, 0, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("frameCount must be at least 1, got 0");
  }

  @Test
  void rejectsAFrameOfTheWrongSize() {
    assertThatThrownBy(() -> Frames.of(2, 1, 16, new byte[][] {new byte[6], new byte[5]}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("frames[1] has 5 bytes; a 2x1 RGB24 frame has 6");
    assertThatThrownBy(() -> Frames.of(2, 1, 16, new byte[0][]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("frames is empty; at least one frame is needed");
  }

  @Test
  void concatJoinsSegmentsAndRejectsMismatches() {
    Frames a = SyntheticVideos.movingGradients(4, 2, 16, 3);
    Frames b = SyntheticVideos.flat(4, 2, 16, 2, 10, 20, 30);
    Frames joined = Frames.concat(List.of(a, b));

    assertThat(joined.frameCount()).isEqualTo(5);
    assertThat(joined.frame(2)).containsExactly(a.frame(2));
    assertThat(joined.frame(3)).containsExactly(b.frame(0));

    Frames otherFps = SyntheticVideos.flat(4, 2, 8, 2, 0, 0, 0);
    assertThatThrownBy(() -> Frames.concat(List.of(a, otherFps)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "segments[1] is 4x2 @8 fps but segments[0] is 4x2 @16 fps; all segments of a video"
                + " must match");
    assertThatThrownBy(() -> Frames.concat(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("segments is empty; at least one segment is needed");
  }

  @Test
  void comparesByContentAndPrintsNoPixels() {
    Frames a = SyntheticVideos.movingGradients(4, 2, 16, 3);
    Frames same = new Frames(4, 2, 16, 3, a.rgb().clone());
    Frames other = SyntheticVideos.movingGradients(4, 2, 16, 3);
    other.rgb()[5]++;

    assertThat(a).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(other);
    assertThat(a).hasToString("Frames[4x2 @16 fps, 3 frames]");
  }

  @Test
  void isAFlinkPojoThatRoundTrips() throws IOException {
    TypeInformation<Frames> type = TypeInformation.of(Frames.class);
    assertThat(type).isInstanceOf(PojoTypeInfo.class);

    Frames frames = SyntheticVideos.movingGradients(6, 4, 16, 2);
    TypeSerializer<Frames> serializer = type.createSerializer(new SerializerConfigImpl());
    assertThat(roundTrip(serializer, frames)).isEqualTo(frames);
    assertThat(serializer.copy(frames)).isEqualTo(frames);
  }

  @Test
  void kryoCopiesAndSerializesIt() throws IOException {
    Frames frames = SyntheticVideos.movingGradients(6, 4, 16, 2);
    KryoSerializer<Frames> kryo = new KryoSerializer<>(Frames.class, new SerializerConfigImpl());

    assertThat(kryo.copy(frames)).isEqualTo(frames);
    assertThat(roundTrip(kryo, frames)).isEqualTo(frames);
  }

  private static Frames roundTrip(TypeSerializer<Frames> serializer, Frames frames)
      throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(frames, out);
    return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
  }
}
