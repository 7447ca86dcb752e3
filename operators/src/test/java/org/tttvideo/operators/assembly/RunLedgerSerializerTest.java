package org.tttvideo.operators.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link RunLedgerSerializer} against golden bytes written by hand from the format in its Javadoc
 * (big-endian), and its snapshot. Never edit a version's bytes: add the next version beside them.
 */
class RunLedgerSerializerTest {
  /** Every field set (more than one run has at once, which the format does not forbid). */
  private static final RunLedger SAMPLE =
      new RunLedger(
          new VideoRun(2_000, 3, 8L, "tiny"),
          2,
          2,
          new VideoRun(1_000, 3, 7L, "tiny"),
          1,
          1,
          List.of(2, 1));

  private static final String SAMPLE_V1 =
      "01 00000000000007d0 00000003 0000000000000008 00000004 74696e79" // collecting
          + " 00000002 00000002" // 2 held, highest index 2
          + " 01 00000000000003e8 00000003 0000000000000007 00000004 74696e79" // failed
          + " 00000001" // 1 to come
          + " 00000001" // 1 failure behind
          + " 00000002 00000002 00000001"; // failures ahead [2, 1]

  private static final String EMPTY_V1 = "00 00000000 ffffffff 00 00000000 00000000 00000000";

  private static final String SNAPSHOT_CLASS =
      "org.tttvideo.operators.assembly.RunLedgerSerializer$Snapshot";

  private static byte[] write(RunLedger value) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    RunLedgerSerializer.INSTANCE.serialize(value, out);
    return out.getCopyOfBuffer();
  }

  private static RunLedger read(TypeSerializer<RunLedger> s, byte[] bytes) throws IOException {
    DataInputDeserializer in = new DataInputDeserializer(bytes);
    RunLedger value = s.deserialize(in);
    assertThat(in.available()).as("bytes left after reading").isZero();
    return value;
  }

  private static byte[] hex(String h) {
    return HexFormat.of().parseHex(h.replace(" ", ""));
  }

  /** Flink's versioned snapshot: modified-UTF-8 class name, int version, no configuration. */
  private static byte[] snapshotBytes(int version) {
    byte[] name = SNAPSHOT_CLASS.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(2 + name.length + 4)
        .putShort((short) name.length)
        .put(name)
        .putInt(version)
        .array();
  }

  private static TypeSerializerSnapshot<RunLedger> readSnapshot(byte[] bytes) throws IOException {
    return TypeSerializerSnapshot.readVersionedSnapshot(
        new DataInputDeserializer(bytes), RunLedgerSerializerTest.class.getClassLoader());
  }

  @Test
  void writesAndReadsTheGoldenBytesOfVersion1() throws IOException {
    assertThat(HexFormat.of().formatHex(write(SAMPLE)))
        .isEqualTo(HexFormat.of().formatHex(hex(SAMPLE_V1)));
    assertThat(read(RunLedgerSerializer.INSTANCE, hex(SAMPLE_V1))).isEqualTo(SAMPLE);
    assertThat(HexFormat.of().formatHex(write(RunLedger.EMPTY)))
        .isEqualTo(HexFormat.of().formatHex(hex(EMPTY_V1)));
    assertThat(read(RunLedgerSerializer.INSTANCE, hex(EMPTY_V1))).isEqualTo(RunLedger.EMPTY);
  }

  @Test
  void theSnapshotRestoresASerializerThatReadsTheGoldenBytes() throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(
        out, RunLedgerSerializer.INSTANCE.snapshotConfiguration());
    assertThat(out.getCopyOfBuffer()).isEqualTo(snapshotBytes(1));

    TypeSerializerSnapshot<RunLedger> restored = readSnapshot(snapshotBytes(1));
    assertThat(restored.restoreSerializer()).isEqualTo(RunLedgerSerializer.INSTANCE);
    assertThat(read(restored.restoreSerializer(), hex(SAMPLE_V1))).isEqualTo(SAMPLE);
    assertThat(
            RunLedgerSerializer.INSTANCE
                .snapshotConfiguration()
                .resolveSchemaCompatibility(restored)
                .isCompatibleAsIs())
        .isTrue();
  }

  @Test
  void unknownVersionsAreRejectedByNumber() {
    assertThatThrownBy(() -> readSnapshot(snapshotBytes(2)))
        .isInstanceOf(IOException.class)
        .hasStackTraceContaining("state format version 2 is unknown")
        .hasStackTraceContaining("this build reads versions 1..1");
    assertThatThrownBy(() -> new RunLedgerSerializer(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("RunLedgerSerializer version must be within 1..1, got 2");
  }

  @Test
  void corruptBytesAreRejectedWithWhatIsWrong() {
    assertThatThrownBy(() -> read(RunLedgerSerializer.INSTANCE, hex("02" + EMPTY_V1.substring(2))))
        .isInstanceOf(IOException.class)
        .hasMessage("corrupt run ledger: run flag 2, allowed 0 (none), 1");
    // a failed run with none of its segments to come
    String noneToCome =
        "00 00000000 ffffffff 01 00000000000003e8 00000003 0000000000000007"
            + " 00000004 74696e79 00000000 00000000 00000000";
    assertThatThrownBy(() -> read(RunLedgerSerializer.INSTANCE, hex(noneToCome)))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "corrupt run ledger: failedToCome must be at least 1 with a failed run and 0 without"
                + " one, got 0");
    assertThatThrownBy(
            () ->
                read(
                    RunLedgerSerializer.INSTANCE,
                    hex(EMPTY_V1.replaceAll("00000000$", "7fffffff"))))
        .isInstanceOf(IOException.class)
        .hasMessage("corrupt run ledger: 2147483647 failures ahead, allowed 0..100000");
  }

  @Test
  void ledgersAreImmutableSoCopiesAreTheSameInstance() throws IOException {
    assertThat(RunLedgerSerializer.INSTANCE.isImmutableType()).isTrue();
    assertThat(RunLedgerSerializer.INSTANCE.copy(SAMPLE)).isSameAs(SAMPLE);
    DataOutputSerializer out = new DataOutputSerializer(64);
    RunLedgerSerializer.INSTANCE.copy(new DataInputDeserializer(hex(SAMPLE_V1)), out);
    assertThat(out.getCopyOfBuffer()).isEqualTo(hex(SAMPLE_V1));
  }
}
