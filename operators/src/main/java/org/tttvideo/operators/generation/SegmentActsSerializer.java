package org.tttvideo.operators.generation;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TensorIo;
import org.tttvideo.model.dit.SegmentActs;

/**
 * The serializer of one segment's activations inside the current block ({@link SegmentActs}).
 *
 * <pre>
 * version 1: tensor hidden [B, L, W]; opt mix [B, L, W]; opt keys [B, L, H, D]; opt values
 * </pre>
 */
public final class SegmentActsSerializer extends VersionedStateSerializer<SegmentActs> {
  private static final long serialVersionUID = 1L;

  /** The format version this build writes. */
  public static final int CURRENT_VERSION = 1;

  /** The serializer of the current version. */
  public static final SegmentActsSerializer INSTANCE = new SegmentActsSerializer(CURRENT_VERSION);

  /** A serializer reading and writing format {@code version}. */
  public SegmentActsSerializer(int version) {
    super(version, CURRENT_VERSION);
  }

  @Override
  public SegmentActs createInstance() {
    return SegmentActs.of(Tensor.zeros(0));
  }

  @Override
  public void serialize(SegmentActs value, DataOutputView out) throws IOException {
    TensorIo.writeTensor(out, value.hidden());
    TensorIo.writeOptional(out, value.mix());
    TensorIo.writeOptional(out, value.keys());
    TensorIo.writeOptional(out, value.values());
  }

  @Override
  public SegmentActs deserialize(DataInputView in) throws IOException {
    return new SegmentActs(
        TensorIo.readTensor(in),
        TensorIo.readOptional(in),
        TensorIo.readOptional(in),
        TensorIo.readOptional(in));
  }

  @Override
  protected Snapshot newSnapshot() {
    return new Snapshot();
  }

  /** The snapshot: the format version only. */
  public static final class Snapshot extends VersionedStateSerializer.Snapshot<SegmentActs> {
    /** For Flink, which instantiates snapshots by reflection before reading them. */
    public Snapshot() {
      super(CURRENT_VERSION, SegmentActsSerializer::new);
    }
  }
}
