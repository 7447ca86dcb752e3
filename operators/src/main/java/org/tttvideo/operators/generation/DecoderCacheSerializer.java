package org.tttvideo.operators.generation;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.tttvideo.model.compute.TensorIo;
import org.tttvideo.model.decode.DecoderCache;

/**
 * The serializer of the latent decoder's causal cache ({@link DecoderCache}).
 *
 * <pre>
 * version 1: opt previous frame [C, h, w]; int latent frames decoded
 * </pre>
 */
public final class DecoderCacheSerializer extends VersionedStateSerializer<DecoderCache> {
  private static final long serialVersionUID = 1L;

  /** The format version this build writes. */
  public static final int CURRENT_VERSION = 1;

  /** The serializer of the current version. */
  public static final DecoderCacheSerializer INSTANCE = new DecoderCacheSerializer(CURRENT_VERSION);

  /** A serializer reading and writing format {@code version}. */
  public DecoderCacheSerializer(int version) {
    super(version, CURRENT_VERSION);
  }

  @Override
  public DecoderCache createInstance() {
    return DecoderCache.EMPTY;
  }

  @Override
  public void serialize(DecoderCache value, DataOutputView out) throws IOException {
    TensorIo.writeOptional(out, value.previousFrame());
    out.writeInt(value.decodedFrames());
  }

  @Override
  public DecoderCache deserialize(DataInputView in) throws IOException {
    try {
      return new DecoderCache(TensorIo.readOptional(in), in.readInt());
    } catch (IllegalArgumentException e) {
      throw new IOException("corrupt decoder cache: " + e.getMessage(), e);
    }
  }

  @Override
  protected Snapshot newSnapshot() {
    return new Snapshot();
  }

  /** The snapshot: the format version only. */
  public static final class Snapshot extends VersionedStateSerializer.Snapshot<DecoderCache> {
    /** For Flink, which instantiates snapshots by reflection before reading them. */
    public Snapshot() {
      super(CURRENT_VERSION, DecoderCacheSerializer::new);
    }
  }
}
