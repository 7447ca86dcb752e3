package org.tttvideo.operators.generation;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.tttvideo.model.compute.TensorIo;

/**
 * The serializer of a finished video's marker ({@link FinishedVideo}).
 *
 * <pre>
 * version 1: byte outcome (0 generated, 1 failed); string failure code ("" when generated);
 *            32 bytes SHA-256 fingerprint; long finished-at millis
 * </pre>
 */
public final class FinishedVideoSerializer extends VersionedStateSerializer<FinishedVideo> {
  private static final long serialVersionUID = 1L;

  /** The format version this build writes. */
  public static final int CURRENT_VERSION = 1;

  /** The serializer of the current version. */
  public static final FinishedVideoSerializer INSTANCE =
      new FinishedVideoSerializer(CURRENT_VERSION);

  /** A serializer reading and writing format {@code version}. */
  public FinishedVideoSerializer(int version) {
    super(version, CURRENT_VERSION);
  }

  @Override
  public FinishedVideo createInstance() {
    return null;
  }

  @Override
  public void serialize(FinishedVideo value, DataOutputView out) throws IOException {
    out.writeByte(value.outcome().ordinal());
    TensorIo.writeString(out, value.code());
    out.write(value.fingerprint().bytes());
    out.writeLong(value.finishedAtMillis());
  }

  @Override
  public FinishedVideo deserialize(DataInputView in) throws IOException {
    int outcome = in.readByte();
    if (outcome < 0 || outcome >= FinishedVideo.Outcome.values().length) {
      throw new IOException(
          "corrupt finished video: outcome " + outcome + ", allowed 0 (generated), 1 (failed)");
    }
    String code = TensorIo.readString(in);
    byte[] sha = new byte[VideoFingerprint.BYTES];
    in.readFully(sha);
    long finishedAt = in.readLong();
    try {
      return new FinishedVideo(
          FinishedVideo.Outcome.values()[outcome], code, VideoFingerprint.ofBytes(sha), finishedAt);
    } catch (IllegalArgumentException e) {
      throw new IOException("corrupt finished video: " + e.getMessage(), e);
    }
  }

  @Override
  protected Snapshot newSnapshot() {
    return new Snapshot();
  }

  /** The snapshot: the format version only. */
  public static final class Snapshot extends VersionedStateSerializer.Snapshot<FinishedVideo> {
    /** For Flink, which instantiates snapshots by reflection before reading them. */
    public Snapshot() {
      super(CURRENT_VERSION, FinishedVideoSerializer::new);
    }
  }
}
