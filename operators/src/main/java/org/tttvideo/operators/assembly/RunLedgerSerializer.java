package org.tttvideo.operators.assembly;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.tttvideo.model.compute.TensorIo;
import org.tttvideo.operators.generation.VersionedStateSerializer;

/**
 * The serializer of the assembler's {@link RunLedger}, one per video id.
 *
 * <pre>
 * version 1: opt run collecting; int collected; int highest index;
 *            opt run failed; int failed to come;
 *            int failures behind; int n; int × n failures ahead
 * run:       long started-at millis; int segment count; long seed; string model preset
 * opt run:   byte 0 (none) | byte 1, run
 * string:    int UTF-8 length, UTF-8 bytes
 * </pre>
 */
public final class RunLedgerSerializer extends VersionedStateSerializer<RunLedger> {
  private static final long serialVersionUID = 1L;

  /** The format version this build writes. */
  public static final int CURRENT_VERSION = 1;

  /** The serializer of the current version. */
  public static final RunLedgerSerializer INSTANCE = new RunLedgerSerializer(CURRENT_VERSION);

  /**
   * Most failures ahead a stored ledger may have (a corrupt count fails before allocating): each is
   * a failed run of one video id whose segments have not come yet.
   */
  private static final int MAX_FAILURES_AHEAD = 100_000;

  /** A serializer reading and writing format {@code version}. */
  public RunLedgerSerializer(int version) {
    super(version, CURRENT_VERSION);
  }

  @Override
  public RunLedger createInstance() {
    return RunLedger.EMPTY;
  }

  @Override
  public void serialize(RunLedger value, DataOutputView out) throws IOException {
    writeRun(out, value.collecting());
    out.writeInt(value.collected());
    out.writeInt(value.highestIndex());
    writeRun(out, value.failed());
    out.writeInt(value.failedToCome());
    out.writeInt(value.failuresBehind());
    out.writeInt(value.failuresAhead().size());
    for (int k : value.failuresAhead()) {
      out.writeInt(k);
    }
  }

  @Override
  public RunLedger deserialize(DataInputView in) throws IOException {
    VideoRun collecting = readRun(in);
    int collected = in.readInt();
    int highest = in.readInt();
    VideoRun failed = readRun(in);
    int failedToCome = in.readInt();
    int behind = in.readInt();
    int n = in.readInt();
    if (n < 0 || n > MAX_FAILURES_AHEAD) {
      throw new IOException(
          "corrupt run ledger: " + n + " failures ahead, allowed 0.." + MAX_FAILURES_AHEAD);
    }
    List<Integer> ahead = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ahead.add(in.readInt());
    }
    try {
      return new RunLedger(collecting, collected, highest, failed, failedToCome, behind, ahead);
    } catch (IllegalArgumentException e) {
      throw new IOException("corrupt run ledger: " + e.getMessage(), e);
    }
  }

  private static void writeRun(DataOutputView out, VideoRun run) throws IOException {
    if (run == null) {
      out.writeByte(0);
      return;
    }
    out.writeByte(1);
    out.writeLong(run.startedAtMillis());
    out.writeInt(run.segmentCount());
    out.writeLong(run.seed());
    TensorIo.writeString(out, run.modelPreset());
  }

  private static VideoRun readRun(DataInputView in) throws IOException {
    byte present = in.readByte();
    if (present == 0) {
      return null;
    }
    if (present != 1) {
      throw new IOException("corrupt run ledger: run flag " + present + ", allowed 0 (none), 1");
    }
    long startedAt = in.readLong();
    int segmentCount = in.readInt();
    long seed = in.readLong();
    String preset = TensorIo.readString(in);
    try {
      return new VideoRun(startedAt, segmentCount, seed, preset);
    } catch (IllegalArgumentException e) {
      throw new IOException("corrupt run ledger: " + e.getMessage(), e);
    }
  }

  @Override
  protected Snapshot newSnapshot() {
    return new Snapshot();
  }

  /** The snapshot: the format version only. */
  public static final class Snapshot extends VersionedStateSerializer.Snapshot<RunLedger> {
    /** For Flink, which instantiates snapshots by reflection before reading them. */
    public Snapshot() {
      super(CURRENT_VERSION, RunLedgerSerializer::new);
    }
  }
}
