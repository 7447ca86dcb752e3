package org.tttvideo.operators.generation;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TensorIo;
import org.tttvideo.model.decode.DecoderCache;
import org.tttvideo.model.decode.LinearPatchDecoder;

/**
 * The serializer of the latent decoder's causal cache ({@link DecoderCache}).
 *
 * <pre>
 * version 1: opt previous frame [C, h, w]; int latent frames decoded
 * version 2: int entries; per entry: string name, tensor; int latent frames decoded
 * </pre>
 *
 * A version 1 cache reads as the patch decoder's previous frame ({@link
 * LinearPatchDecoder#PREVIOUS_FRAME}).
 *
 * <pre>
 * </pre>
 */
public final class DecoderCacheSerializer extends VersionedStateSerializer<DecoderCache> {
  private static final long serialVersionUID = 1L;

  /** The format version this build writes. */
  public static final int CURRENT_VERSION = 2;

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
    if (version() == 1) {
      if (!value.tensors().keySet().stream().allMatch(LinearPatchDecoder.PREVIOUS_FRAME::equals)) {
        throw new IOException(
            "decoder cache format 1 holds only the patch decoder's previous frame, not "
                + value.tensors().keySet());
      }
      TensorIo.writeOptional(out, value.tensor(LinearPatchDecoder.PREVIOUS_FRAME));
    } else {
      out.writeInt(value.tensors().size());
      for (Map.Entry<String, Tensor> e : value.tensors().entrySet()) {
        TensorIo.writeString(out, e.getKey());
        TensorIo.writeTensor(out, e.getValue());
      }
    }
    out.writeInt(value.decodedFrames());
  }

  @Override
  public DecoderCache deserialize(DataInputView in) throws IOException {
    try {
      Map<String, Tensor> entries = new TreeMap<>();
      if (version() == 1) {
        Tensor prev = TensorIo.readOptional(in);
        if (prev != null) {
          entries.put(LinearPatchDecoder.PREVIOUS_FRAME, prev);
        }
      } else {
        int n = in.readInt();
        if (n < 0 || n > 10_000) {
          throw new IOException("corrupt decoder cache: " + n + " entries");
        }
        for (int i = 0; i < n; i++) {
          entries.put(TensorIo.readString(in), TensorIo.readTensor(in));
        }
      }
      return new DecoderCache(entries, in.readInt());
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
