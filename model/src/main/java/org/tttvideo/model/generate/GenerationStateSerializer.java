package org.tttvideo.model.generate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttState;
import org.tttvideo.model.decode.DecoderCache;
import org.tttvideo.model.dit.SegmentActs;

/**
 * The versioned binary format of a {@link GenerationState} (big-endian, {@link DataOutputStream}).
 * Floats are stored bit for bit, so a state read back continues to the same bytes.
 *
 * <pre>
 * int    magic 0x54545647 ("TTVG")
 * int    version (2)
 * string model                       string = int byte length + UTF-8 bytes
 * int    segments; string × segments prompts
 * string × segments negative prompts (version 1: one string, the negative prompt of every segment)
 * long   seed; int steps; double guidance scale
 * long   unit (the cursor)
 * tensor × segments text; tensor × segments latents       tensor = int rank, int × rank dims,
 * int    acts; per act: tensor hidden, opt mix, opt keys, opt values     float bits × size
 * opt    TTT state: tensor w1, tensor b1, opt w2, opt b2            opt = byte 0 | byte 1 + value
 * opt    decoder previous frame; int decoded frames
 * int    decoded segment; opt decoded frames
 * </pre>
 *
 * This build writes version {@value #VERSION} (a negative prompt per segment) and reads versions 1
 * and 2; a version 1 state reads as a request whose single negative prompt is repeated for every
 * segment. Any other version is rejected with its number.
 *
 * <pre>{@code
 * byte[] bytes = GenerationStateSerializer.toBytes(state);
 * GenerationState same = GenerationStateSerializer.fromBytes(bytes);
 * }</pre>
 */
public final class GenerationStateSerializer {
  public static final int MAGIC = 0x54545647;

  /** The version this build writes (the newest it reads). */
  public static final int VERSION = 2;

  /** The oldest version this build reads: one negative prompt for every segment. */
  public static final int VERSION_1 = 1;

  private GenerationStateSerializer() {}

  public static byte[] toBytes(GenerationState state) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      write(state, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static GenerationState fromBytes(byte[] bytes) throws IOException {
    return read(new ByteArrayInputStream(bytes));
  }

  public static void write(GenerationState state, OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(MAGIC);
    d.writeInt(VERSION);
    writeString(d, state.model());
    GenerationRequest r = state.request();
    d.writeInt(r.segments());
    for (String p : r.prompts()) {
      writeString(d, p);
    }
    for (String n : r.negativePrompts()) {
      writeString(d, n);
    }
    d.writeLong(r.seed());
    d.writeInt(r.steps());
    d.writeDouble(r.guidanceScale());
    d.writeLong(state.unit());
    for (Tensor t : state.text()) {
      writeTensor(d, t);
    }
    for (Tensor t : state.latents()) {
      writeTensor(d, t);
    }
    d.writeInt(state.acts().size());
    for (SegmentActs a : state.acts()) {
      writeTensor(d, a.hidden());
      writeOptional(d, a.mix());
      writeOptional(d, a.keys());
      writeOptional(d, a.values());
    }
    TttState s = state.ttt();
    d.writeBoolean(s != null);
    if (s != null) {
      writeTensor(d, s.w1());
      writeTensor(d, s.b1());
      writeOptional(d, s.w2());
      writeOptional(d, s.b2());
    }
    writeOptional(d, state.decoderCache().previousFrame());
    d.writeInt(state.decoderCache().decodedFrames());
    d.writeInt(state.decodedSegment());
    writeOptional(d, state.decodedFrames());
    d.flush();
  }

  public static GenerationState read(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    int magic = d.readInt();
    if (magic != MAGIC) {
      throw new IOException(
          "not a generation state: magic 0x"
              + Integer.toHexString(magic)
              + ", expected 0x54545647");
    }
    int version = d.readInt();
    if (version < VERSION_1 || version > VERSION) {
      throw new IOException(
          "unsupported generation state version "
              + version
              + " (this build reads versions "
              + VERSION_1
              + ".."
              + VERSION
              + ")");
    }
    String model = readString(d);
    int segments = d.readInt();
    if (segments < 1 || segments > 100_000) {
      throw new IOException("corrupt generation state: " + segments + " segments");
    }
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < segments; i++) {
      prompts.add(readString(d));
    }
    List<String> negatives = new ArrayList<>();
    if (version == VERSION_1) {
      negatives.addAll(Collections.nCopies(segments, readString(d)));
    } else {
      for (int i = 0; i < segments; i++) {
        negatives.add(readString(d));
      }
    }
    GenerationRequest request =
        new GenerationRequest(prompts, negatives, d.readLong(), d.readInt(), d.readDouble());
    long unit = d.readLong();
    List<Tensor> text = new ArrayList<>();
    for (int i = 0; i < segments; i++) {
      text.add(readTensor(d));
    }
    List<Tensor> latents = new ArrayList<>();
    for (int i = 0; i < segments; i++) {
      latents.add(readTensor(d));
    }
    int nActs = d.readInt();
    if (nActs < 0 || nActs > segments) {
      throw new IOException(
          "corrupt generation state: " + nActs + " activations for " + segments + " segments");
    }
    List<SegmentActs> acts = new ArrayList<>();
    for (int i = 0; i < nActs; i++) {
      acts.add(new SegmentActs(readTensor(d), readOptional(d), readOptional(d), readOptional(d)));
    }
    TttState ttt = null;
    if (d.readBoolean()) {
      ttt = new TttState(readTensor(d), readTensor(d), readOptional(d), readOptional(d));
    }
    Tensor prev = readOptional(d);
    DecoderCache cache = new DecoderCache(prev, d.readInt());
    int decodedSegment = d.readInt();
    Tensor decoded = readOptional(d);
    return new GenerationState(
        model, request, unit, text, latents, acts, ttt, cache, decodedSegment, decoded);
  }

  private static void writeString(DataOutputStream d, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    d.writeInt(b.length);
    d.write(b);
  }

  private static String readString(DataInputStream d) throws IOException {
    int n = d.readInt();
    if (n < 0 || n > (64 << 20)) {
      throw new IOException("corrupt generation state: string of " + n + " bytes");
    }
    byte[] b = new byte[n];
    d.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void writeOptional(DataOutputStream d, Tensor t) throws IOException {
    d.writeBoolean(t != null);
    if (t != null) {
      writeTensor(d, t);
    }
  }

  private static Tensor readOptional(DataInputStream d) throws IOException {
    return d.readBoolean() ? readTensor(d) : null;
  }

  private static void writeTensor(DataOutputStream d, Tensor t) throws IOException {
    int[] shape = t.shape();
    d.writeInt(shape.length);
    for (int s : shape) {
      d.writeInt(s);
    }
    ByteBuffer buf = ByteBuffer.allocate(t.size() * 4).order(ByteOrder.BIG_ENDIAN);
    buf.asFloatBuffer().put(t.data());
    d.write(buf.array());
  }

  private static Tensor readTensor(DataInputStream d) throws IOException {
    int rank = d.readInt();
    if (rank < 0 || rank > 8) {
      throw new IOException("corrupt generation state: tensor of rank " + rank);
    }
    int[] shape = new int[rank];
    long n = 1;
    for (int i = 0; i < rank; i++) {
      shape[i] = d.readInt();
      n *= shape[i];
      if (shape[i] < 0 || n > Integer.MAX_VALUE / 4) {
        throw new IOException(
            "corrupt generation state: tensor shape " + java.util.Arrays.toString(shape));
      }
    }
    byte[] b = new byte[(int) n * 4];
    d.readFully(b);
    float[] data = new float[(int) n];
    ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(data);
    return Tensor.of(data, shape);
  }
}
