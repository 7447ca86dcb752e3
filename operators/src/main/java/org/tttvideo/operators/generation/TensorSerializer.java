package org.tttvideo.operators.generation;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TensorIo;

/**
 * The serializer of one {@link Tensor} in state (text embeddings and latents of a segment).
 *
 * <pre>
 * version 1: tensor = int rank, int × rank dims, float bits × size (big-endian)
 * </pre>
 */
public final class TensorSerializer extends VersionedStateSerializer<Tensor> {
  private static final long serialVersionUID = 1L;

  /** The format version this build writes. */
  public static final int CURRENT_VERSION = 1;

  /** The serializer of the current version. */
  public static final TensorSerializer INSTANCE = new TensorSerializer(CURRENT_VERSION);

  /** A serializer reading and writing format {@code version}. */
  public TensorSerializer(int version) {
    super(version, CURRENT_VERSION);
  }

  @Override
  public Tensor createInstance() {
    return Tensor.zeros(0);
  }

  @Override
  public void serialize(Tensor value, DataOutputView out) throws IOException {
    TensorIo.writeTensor(out, value);
  }

  @Override
  public Tensor deserialize(DataInputView in) throws IOException {
    return TensorIo.readTensor(in);
  }

  @Override
  protected Snapshot newSnapshot() {
    return new Snapshot();
  }

  /** The snapshot: the format version only. */
  public static final class Snapshot extends VersionedStateSerializer.Snapshot<Tensor> {
    /** For Flink, which instantiates snapshots by reflection before reading them. */
    public Snapshot() {
      super(CURRENT_VERSION, TensorSerializer::new);
    }
  }
}
