package org.tttvideo.model.compute;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The binary encoding of tensors and strings in persisted state: the model's {@code
 * GenerationStateSerializer} and the Flink state serializers of the generation operator are made of
 * these pieces. Big-endian,
 *
 * <pre>
 * tensor = int rank (0..8), int × rank dims, float bits (raw, big-endian) × size
 * opt    = byte 0 | byte 1 + tensor
 * string = int byte length + UTF-8 bytes
 * </pre>
 *
 * Floats are copied bit for bit (NaN payloads included), so a restored generation continues to the
 * same bytes. Reads check ranks, dimensions and lengths before allocating.
 */
public final class TensorIo {
  /** Largest tensor rank in state. */
  public static final int MAX_RANK = 8;

  /** Largest string in state (a prompt is far shorter). */
  public static final int MAX_STRING_BYTES = 16 << 20;

  private static final int CHUNK_FLOATS = 16 * 1024;

  private TensorIo() {}

  public static void writeTensor(DataOutput out, Tensor t) throws IOException {
    int[] shape = t.shape();
    out.writeInt(shape.length);
    for (int d : shape) {
      out.writeInt(d);
    }
    float[] data = t.data();
    ByteBuffer buf =
        ByteBuffer.allocate(4 * Math.min(CHUNK_FLOATS, data.length)).order(ByteOrder.BIG_ENDIAN);
    for (int from = 0; from < data.length; from += CHUNK_FLOATS) {
      int n = Math.min(CHUNK_FLOATS, data.length - from);
      buf.clear();
      buf.asFloatBuffer().put(data, from, n);
      out.write(buf.array(), 0, 4 * n);
    }
  }

  public static Tensor readTensor(DataInput in) throws IOException {
    int rank = in.readInt();
    if (rank < 0 || rank > MAX_RANK) {
      throw new IOException("corrupt tensor in state: rank " + rank + ", allowed 0.." + MAX_RANK);
    }
    int[] shape = new int[rank];
    long size = 1;
    for (int i = 0; i < rank; i++) {
      shape[i] = in.readInt();
      size *= Math.max(shape[i], 0);
      if (shape[i] < 0 || size > Integer.MAX_VALUE / 4) {
        throw new IOException(
            "corrupt tensor in state: dimension "
                + i
                + " of rank "
                + rank
                + " is "
                + shape[i]
                + " (at most "
                + Integer.MAX_VALUE / 4
                + " elements in all)");
      }
    }
    float[] data = new float[(int) size];
    byte[] chunk = new byte[4 * Math.min(CHUNK_FLOATS, data.length)];
    ByteBuffer buf = ByteBuffer.wrap(chunk).order(ByteOrder.BIG_ENDIAN);
    for (int from = 0; from < data.length; from += CHUNK_FLOATS) {
      int n = Math.min(CHUNK_FLOATS, data.length - from);
      in.readFully(chunk, 0, 4 * n);
      buf.clear();
      buf.asFloatBuffer().get(data, from, n);
    }
    return Tensor.of(data, shape);
  }

  public static void writeOptional(DataOutput out, Tensor t) throws IOException {
    out.writeBoolean(t != null);
    if (t != null) {
      writeTensor(out, t);
    }
  }

  public static Tensor readOptional(DataInput in) throws IOException {
    byte present = in.readByte();
    return switch (present) {
      case 0 -> null;
      case 1 -> readTensor(in);
      default ->
          throw new IOException("corrupt optional tensor in state: flag " + present + ", not 0/1");
    };
  }

  public static void writeString(DataOutput out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  public static String readString(DataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_STRING_BYTES) {
      throw new IOException(
          "corrupt string in state: " + n + " bytes, allowed 0.." + MAX_STRING_BYTES);
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
