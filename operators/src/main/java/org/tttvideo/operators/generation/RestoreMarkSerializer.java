package org.tttvideo.operators.generation;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The serializer of a generating video's {@link RestoreMark}.
 *
 * <pre>
 * version 1: byte stage (0 running, 1 held); int strikes; long cursor at the last restore (-1);
 *            int task attempt that wrote it
 * </pre>
 */
public final class RestoreMarkSerializer extends VersionedStateSerializer<RestoreMark> {
  private static final long serialVersionUID = 1L;

  /** The format version this build writes. */
  public static final int CURRENT_VERSION = 1;

  /** The serializer of the current version. */
  public static final RestoreMarkSerializer INSTANCE = new RestoreMarkSerializer(CURRENT_VERSION);

  /** A serializer reading and writing format {@code version}. */
  public RestoreMarkSerializer(int version) {
    super(version, CURRENT_VERSION);
  }

  @Override
  public RestoreMark createInstance() {
    return null;
  }

  @Override
  public void serialize(RestoreMark value, DataOutputView out) throws IOException {
    out.writeByte(value.stage().ordinal());
    out.writeInt(value.strikes());
    out.writeLong(value.cursor());
    out.writeInt(value.attempt());
  }

  @Override
  public RestoreMark deserialize(DataInputView in) throws IOException {
    int stage = in.readByte();
    if (stage < 0 || stage >= RestoreMark.Stage.values().length) {
      throw new IOException(
          "corrupt restore mark: stage " + stage + ", allowed 0 (running), 1 (held)");
    }
    int strikes = in.readInt();
    long cursor = in.readLong();
    int attempt = in.readInt();
    try {
      return new RestoreMark(RestoreMark.Stage.values()[stage], strikes, cursor, attempt);
    } catch (IllegalArgumentException e) {
      throw new IOException("corrupt restore mark: " + e.getMessage(), e);
    }
  }

  @Override
  protected Snapshot newSnapshot() {
    return new Snapshot();
  }

  /** The snapshot: the format version only. */
  public static final class Snapshot extends VersionedStateSerializer.Snapshot<RestoreMark> {
    /** For Flink, which instantiates snapshots by reflection before reading them. */
    public Snapshot() {
      super(CURRENT_VERSION, RestoreMarkSerializer::new);
    }
  }
}
