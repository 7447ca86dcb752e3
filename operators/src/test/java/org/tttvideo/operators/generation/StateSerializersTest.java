package org.tttvideo.operators.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttState;
import org.tttvideo.model.decode.DecoderCache;
import org.tttvideo.model.decode.LinearPatchDecoder;
import org.tttvideo.model.dit.SegmentActs;
import org.tttvideo.model.generate.GenerationRequest;
import org.tttvideo.operators.generation.testutils.GoldenBytes;

/**
 * The current version of every state serializer against golden bytes written by hand from the
 * format in each serializer's Javadoc (not by running the code), and of their snapshots; and the
 * older versions still read (video meta version 1). A change to a format must add a version, keep
 * reading the older ones (their tests stay, as read and migration tests), and add golden bytes for
 * the new one.
 */
class StateSerializersTest {

  /**
   * A serializer of the current version, a sample value, its golden bytes in that version, the
   * version, and its snapshot class name.
   */
  record Case<T>(
      String name,
      VersionedStateSerializer<T> serializer,
      T sample,
      String goldenHex,
      int version,
      String snapshotClass) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case<?>> cases() {
    return Stream.of(
        new Case<>(
            "tensor",
            TensorSerializer.INSTANCE,
            GoldenBytes.TENSOR,
            GoldenBytes.TENSOR_V1,
            1,
            "org.tttvideo.operators.generation.TensorSerializer$Snapshot"),
        new Case<>(
            "segment acts",
            SegmentActsSerializer.INSTANCE,
            GoldenBytes.ACTS,
            GoldenBytes.ACTS_V1,
            1,
            "org.tttvideo.operators.generation.SegmentActsSerializer$Snapshot"),
        new Case<>(
            "ttt state",
            TttStateSerializer.INSTANCE,
            GoldenBytes.TTT,
            GoldenBytes.TTT_V1,
            1,
            "org.tttvideo.operators.generation.TttStateSerializer$Snapshot"),
        new Case<>(
            "decoder cache",
            DecoderCacheSerializer.INSTANCE,
            GoldenBytes.CACHE,
            GoldenBytes.CACHE_V2,
            2,
            "org.tttvideo.operators.generation.DecoderCacheSerializer$Snapshot"),
        new Case<>(
            "video meta",
            VideoMetaSerializer.INSTANCE,
            GoldenBytes.META_PER_SEGMENT,
            GoldenBytes.META_V2,
            2,
            "org.tttvideo.operators.generation.VideoMetaSerializer$Snapshot"),
        new Case<>(
            "finished video",
            FinishedVideoSerializer.INSTANCE,
            GoldenBytes.FINISHED,
            GoldenBytes.FINISHED_V1,
            1,
            "org.tttvideo.operators.generation.FinishedVideoSerializer$Snapshot"),
        new Case<>(
            "restore mark",
            RestoreMarkSerializer.INSTANCE,
            GoldenBytes.MARK,
            GoldenBytes.MARK_V1,
            1,
            "org.tttvideo.operators.generation.RestoreMarkSerializer$Snapshot"));
  }

  private static <T> byte[] write(TypeSerializer<T> s, T value) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    s.serialize(value, out);
    return out.getCopyOfBuffer();
  }

  private static <T> T read(TypeSerializer<T> s, byte[] bytes) throws IOException {
    DataInputDeserializer in = new DataInputDeserializer(bytes);
    T value = s.deserialize(in);
    assertThat(in.available()).as("bytes left after reading").isZero();
    return value;
  }

  private static byte[] hex(String h) {
    return HexFormat.of().parseHex(h.replace(" ", ""));
  }

  /** Flink's versioned snapshot: modified-UTF-8 class name, int version, no configuration. */
  private static byte[] snapshotBytes(String className, int version) {
    byte[] name = className.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(2 + name.length + 4)
        .putShort((short) name.length)
        .put(name)
        .putInt(version)
        .array();
  }

  private static <T> TypeSerializerSnapshot<T> readSnapshot(byte[] bytes) throws IOException {
    return TypeSerializerSnapshot.readVersionedSnapshot(
        new DataInputDeserializer(bytes), StateSerializersTest.class.getClassLoader());
  }

  @ParameterizedTest
  @MethodSource("cases")
  <T> void writesTheGoldenBytesOfTheCurrentVersion(Case<T> c) throws IOException {
    assertThat(HexFormat.of().formatHex(write(c.serializer(), c.sample())))
        .isEqualTo(HexFormat.of().formatHex(hex(c.goldenHex())));
  }

  @ParameterizedTest
  @MethodSource("cases")
  <T> void theCurrentSnapshotRestoresASerializerThatReadsTheGoldenBytes(Case<T> c)
      throws IOException {
    byte[] snapshot = snapshotBytes(c.snapshotClass(), c.version());
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, c.serializer().snapshotConfiguration());
    assertThat(out.getCopyOfBuffer()).isEqualTo(snapshot);

    TypeSerializerSnapshot<T> restored = readSnapshot(snapshot);
    TypeSerializer<T> reader = restored.restoreSerializer();
    assertThat(reader).isEqualTo(c.serializer());
    T value = read(reader, hex(c.goldenHex()));
    assertThat(write(c.serializer(), value)).isEqualTo(hex(c.goldenHex()));
    assertThat(
            c.serializer()
                .snapshotConfiguration()
                .resolveSchemaCompatibility(restored)
                .isCompatibleAsIs())
        .isTrue();
  }

  @ParameterizedTest
  @MethodSource("cases")
  <T> void unknownVersionsAreRejectedByNumber(Case<T> c) {
    int next = c.version() + 1;
    assertThatThrownBy(() -> readSnapshot(snapshotBytes(c.snapshotClass(), next)))
        .isInstanceOf(IOException.class)
        .hasStackTraceContaining("state format version " + next + " is unknown")
        .hasStackTraceContaining("this build reads versions 1.." + c.version());
    assertThatThrownBy(() -> readSnapshot(snapshotBytes(c.snapshotClass(), 0)))
        .hasStackTraceContaining("state format version 0 is unknown");
  }

  @ParameterizedTest
  @MethodSource("cases")
  <T> void valuesAreImmutableSoCopiesAreTheSameInstance(Case<T> c) throws IOException {
    assertThat(c.serializer().isImmutableType()).isTrue();
    assertThat(c.serializer().copy(c.sample())).isSameAs(c.sample());
    assertThat(c.serializer().duplicate()).isSameAs(c.serializer());
    DataOutputSerializer out = new DataOutputSerializer(64);
    c.serializer().copy(new DataInputDeserializer(hex(c.goldenHex())), out);
    assertThat(out.getCopyOfBuffer()).isEqualTo(hex(c.goldenHex()));
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void anotherSerializersSnapshotIsIncompatible() {
    TypeSerializerSnapshot<Tensor> other =
        (TypeSerializerSnapshot) new SegmentActsSerializer.Snapshot();
    assertThat(
            TensorSerializer.INSTANCE
                .snapshotConfiguration()
                .resolveSchemaCompatibility(other)
                .isIncompatible())
        .isTrue();
  }

  @Test
  void floatsKeepEveryBitAndLargeTensorsCrossChunks() throws IOException {
    float[] data = new float[40_000]; // more than one 16 Ki-float chunk
    for (int i = 0; i < data.length; i++) {
      data[i] = Float.intBitsToFloat(0x7fc00000 | i); // NaN payloads
    }
    data[7] = -0f;
    Tensor t = Tensor.of(data, 4, 10_000);
    Tensor back = read(TensorSerializer.INSTANCE, write(TensorSerializer.INSTANCE, t));
    assertThat(back.shape()).containsExactly(4, 10_000);
    for (int i = 0; i < data.length; i++) {
      assertThat(Float.floatToRawIntBits(back.data()[i]))
          .isEqualTo(Float.floatToRawIntBits(data[i]));
    }
  }

  @Test
  void valuesReadBackEqualTheSamples() throws IOException {
    SegmentActs acts = read(SegmentActsSerializer.INSTANCE, hex(GoldenBytes.ACTS_V1));
    assertThat(acts.hidden().data()).containsExactly(1f, -1f);
    assertThat(acts.mix().data()).containsExactly(2f, -2f);
    assertThat(acts.keys()).isNull();
    assertThat(acts.values()).isNull();
    TttState ttt = read(TttStateSerializer.INSTANCE, hex(GoldenBytes.TTT_V1));
    assertThat(ttt.w2().get(0)).isEqualTo(0.3f);
    assertThat(ttt.b2().shape()).containsExactly(1, 1, 1, 1);
    DecoderCache cache = read(DecoderCacheSerializer.INSTANCE, hex(GoldenBytes.CACHE_V2));
    assertThat(cache.decodedFrames()).isEqualTo(2);
    assertThat(cache.tensor(LinearPatchDecoder.PREVIOUS_FRAME).data()).containsExactly(9f);
    DecoderCache cacheV1 = read(new DecoderCacheSerializer(1), hex(GoldenBytes.CACHE_V1));
    assertThat(cacheV1.tensors().keySet()).containsExactly(LinearPatchDecoder.PREVIOUS_FRAME);
    assertThat(cacheV1.tensor(LinearPatchDecoder.PREVIOUS_FRAME).data()).containsExactly(9f);
    assertThat(cacheV1.decodedFrames()).isEqualTo(2);
    VideoMeta meta = read(VideoMetaSerializer.INSTANCE, hex(GoldenBytes.META_V2));
    assertThat(meta).isEqualTo(GoldenBytes.META_PER_SEGMENT);
    assertThat(meta.request().negativePrompts()).containsExactly("blur", "dark");
    assertThat(read(RestoreMarkSerializer.INSTANCE, hex(GoldenBytes.MARK_V1)))
        .isEqualTo(GoldenBytes.MARK);
    FinishedVideo finished = read(FinishedVideoSerializer.INSTANCE, hex(GoldenBytes.FINISHED_V1));
    assertThat(finished).isEqualTo(GoldenBytes.FINISHED);
    assertThat(finished.fingerprint().bytes()[31]).isEqualTo((byte) 0x1f);
    VideoMeta v1 = read(new VideoMetaSerializer(1), hex(GoldenBytes.META_V1));
    assertThat(v1).isEqualTo(GoldenBytes.META);
    assertThat(v1.request())
        .isEqualTo(
            new GenerationRequest(List.of("a fox", "jumps"), List.of("blur", "blur"), 7L, 3, 6.0));
  }

  /**
   * A checkpoint of the build that wrote video meta version 1: its snapshot (version 1) restores a
   * serializer that reads the version-1 golden bytes, its one negative prompt for every segment;
   * the current serializer resolves it as compatible after migration and writes the value in
   * version 2.
   */
  @Test
  void aVersion1VideoMetaSnapshotRestoresAVersion1ReaderAndMigratesToVersion2() throws IOException {
    String snapshotClass = "org.tttvideo.operators.generation.VideoMetaSerializer$Snapshot";
    TypeSerializerSnapshot<VideoMeta> restored = readSnapshot(snapshotBytes(snapshotClass, 1));
    TypeSerializer<VideoMeta> reader = restored.restoreSerializer();
    assertThat(reader)
        .isEqualTo(new VideoMetaSerializer(1))
        .isNotEqualTo(VideoMetaSerializer.INSTANCE);

    VideoMeta value = read(reader, hex(GoldenBytes.META_V1));
    assertThat(value).isEqualTo(GoldenBytes.META);
    assertThat(value.request().negativePrompts()).containsExactly("blur", "blur");

    TypeSerializerSchemaCompatibility<VideoMeta> compatibility =
        VideoMetaSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(restored);
    assertThat(compatibility.isCompatibleAfterMigration()).isTrue();
    assertThat(HexFormat.of().formatHex(write(VideoMetaSerializer.INSTANCE, value)))
        .isEqualTo(HexFormat.of().formatHex(hex(GoldenBytes.META_AS_V2)));
    assertThat(read(VideoMetaSerializer.INSTANCE, hex(GoldenBytes.META_AS_V2)))
        .isEqualTo(GoldenBytes.META);
  }

  /**
   * Flink snapshots a restored serializer again for state not accessed since the restore, whose
   * bytes are still version 1: the snapshot of the version-1 serializer must say version 1.
   */
  @Test
  void theRestoredVersion1SerializerWritesVersion1AndItsSnapshotSaysSo() throws IOException {
    VideoMetaSerializer v1 = new VideoMetaSerializer(1);
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, v1.snapshotConfiguration());
    assertThat(out.getCopyOfBuffer())
        .isEqualTo(
            snapshotBytes("org.tttvideo.operators.generation.VideoMetaSerializer$Snapshot", 1));
    assertThat(readSnapshot(out.getCopyOfBuffer()).restoreSerializer()).isEqualTo(v1);
    assertThat(HexFormat.of().formatHex(write(v1, GoldenBytes.META)))
        .isEqualTo(HexFormat.of().formatHex(hex(GoldenBytes.META_V1)));
    assertThatThrownBy(() -> write(v1, GoldenBytes.META_PER_SEGMENT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "request.negativePrompts [blur, dark] differ between segments; video meta version 1"
                + " holds one negative prompt for every segment (write version 2)");
  }

  @Test
  void corruptBytesAreRejectedWithTheReason() {
    assertThatThrownBy(() -> read(TensorSerializer.INSTANCE, hex("00000009")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("rank 9, allowed 0..8");
    assertThatThrownBy(() -> read(TensorSerializer.INSTANCE, hex("00000002 7fffffff 7fffffff")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("dimension 0 of rank 2 is 2147483647");
    assertThatThrownBy(() -> read(new DecoderCacheSerializer(1), hex("02 00000000")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("flag 2, not 0/1");
    assertThatThrownBy(() -> read(new DecoderCacheSerializer(1), hex("00 00000003")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("corrupt decoder cache");
    assertThatThrownBy(() -> read(DecoderCacheSerializer.INSTANCE, hex("7fffffff")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("corrupt decoder cache: 2147483647 entries");
    assertThatThrownBy(() -> read(DecoderCacheSerializer.INSTANCE, hex("00000000 00000003")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("corrupt decoder cache");
    assertThatThrownBy(() -> read(VideoMetaSerializer.INSTANCE, hex("07")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("status 7");
    assertThatThrownBy(() -> read(RestoreMarkSerializer.INSTANCE, hex("05")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("stage 5");
    assertThatThrownBy(
            () ->
                read(RestoreMarkSerializer.INSTANCE, hex("00 ffffffff 0000000000000000 00000000")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("corrupt restore mark");
    assertThatThrownBy(() -> read(FinishedVideoSerializer.INSTANCE, hex("02")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("outcome 2");
    assertThatThrownBy(
            () ->
                read(
                    FinishedVideoSerializer.INSTANCE,
                    hex("00 00000001 58" + "00".repeat(32) + "0000000000000000")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("code must be given exactly for a failed video");
  }

  @Test
  void serializersOfAnUnknownVersionCannotBeBuilt() {
    assertThatThrownBy(() -> new TensorSerializer(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TensorSerializer version must be within 1..1, got 2");
    assertThatThrownBy(() -> new VideoMetaSerializer(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("VideoMetaSerializer version must be within 1..2, got 3");
  }
}
