package org.tttvideo.operators.generation;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TensorIo;
import org.tttvideo.model.compute.TttState;

/**
 * The serializer of the TTT hidden state carried across segments in a scan ({@link TttState}).
 *
 * <pre>
 * version 1: tensor w1 [B, H, D, F]; tensor b1 [B, H, 1, F]; opt w2 [B, H, F, D]; opt b2 [B, H, 1, D]
 * </pre>
 */
public final class TttStateSerializer extends VersionedStateSerializer<TttState> {
  private static final long serialVersionUID = 1L;

  /** The format version this build writes. */
  public static final int CURRENT_VERSION = 1;

  /** The serializer of the current version. */
  public static final TttStateSerializer INSTANCE = new TttStateSerializer(CURRENT_VERSION);

  /** A serializer reading and writing format {@code version}. */
  public TttStateSerializer(int version) {
    super(version, CURRENT_VERSION);
  }

  @Override
  public TttState createInstance() {
    return new TttState(Tensor.zeros(0, 0, 0, 0), Tensor.zeros(0, 0, 1, 0), null, null);
  }

  @Override
  public void serialize(TttState value, DataOutputView out) throws IOException {
    TensorIo.writeTensor(out, value.w1());
    TensorIo.writeTensor(out, value.b1());
    TensorIo.writeOptional(out, value.w2());
    TensorIo.writeOptional(out, value.b2());
  }

  @Override
  public TttState deserialize(DataInputView in) throws IOException {
    try {
      return new TttState(
          TensorIo.readTensor(in),
          TensorIo.readTensor(in),
          TensorIo.readOptional(in),
          TensorIo.readOptional(in));
    } catch (IllegalArgumentException e) {
      throw new IOException("corrupt TTT state: " + e.getMessage(), e);
    }
  }

  @Override
  protected Snapshot newSnapshot() {
    return new Snapshot();
  }

  /** The snapshot: the format version only. */
  public static final class Snapshot extends VersionedStateSerializer.Snapshot<TttState> {
    /** For Flink, which instantiates snapshots by reflection before reading them. */
    public Snapshot() {
      super(CURRENT_VERSION, TttStateSerializer::new);
    }
  }
}
