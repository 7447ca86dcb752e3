package org.tttvideo.model.generate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TensorIo;
import org.tttvideo.model.compute.TttState;
import org.tttvideo.model.decode.DecoderCache;
import org.tttvideo.model.decode.LinearPatchDecoder;
import org.tttvideo.model.dit.SegmentActs;

/**
 * The versioned binary format of a {@link GenerationState} (big-endian, {@link DataOutputStream}).
 * Floats are stored bit for bit, so a state read back continues to the same bytes.
 *
 * <pre>
 * int    magic 0x54545647 ("TTVG")
 * int    version (3)
 * string model                       string = int byte length + UTF-8 bytes
 * int    segments; string × segments prompts
 * string × segments negative prompts (version 1: one string, the negative prompt of every segment)
 * long   seed; int steps; double guidance scale
 * long   unit (the cursor)
 * tensor × segments text; tensor × segments latents       tensor = int rank, int × rank dims,
 * int    acts; per act: tensor hidden, opt mix, opt keys, opt values     float bits × size
 * opt    TTT state: tensor w1, tensor b1, opt w2, opt b2            opt = byte 0 | byte 1 + value
 * int    decoder cache entries; per entry: string name, tensor (version 1 and 2: opt previous
 *        frame, read as the patch decoder's entry); int decoded frames
 * int    decoded segment; opt decoded frames
 * </pre>
 *
 * This build writes version {@value #VERSION} (a negative prompt per segment, a decoder cache of
 * named tensors) and reads versions 1 to 3; a version 1 state reads as a request whose single
 * negative prompt is repeated for every segment, and a version 1 or 2 decoder cache as the patch
 * decoder's previous frame. Any other version is rejected with its number.
 *
 * <pre>{@code
 * byte[] bytes = GenerationStateSerializer.toBytes(state);
 * GenerationState same = GenerationStateSerializer.fromBytes(bytes);
 * }</pre>
 */
public final class GenerationStateSerializer {
  public static final int MAGIC = 0x54545647;

  /** The version this build writes (the newest it reads). */
  public static final int VERSION = 3;

  /** The last version whose decoder cache is one optional previous frame. */
  public static final int VERSION_2 = 2;

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
    TensorIo.writeString(d, state.model());
    GenerationRequest r = state.request();
    d.writeInt(r.segments());
    for (String p : r.prompts()) {
      TensorIo.writeString(d, p);
    }
    for (String n : r.negativePrompts()) {
      TensorIo.writeString(d, n);
    }
    d.writeLong(r.seed());
    d.writeInt(r.steps());
    d.writeDouble(r.guidanceScale());
    d.writeLong(state.unit());
    for (Tensor t : state.text()) {
      TensorIo.writeTensor(d, t);
    }
    for (Tensor t : state.latents()) {
      TensorIo.writeTensor(d, t);
    }
    d.writeInt(state.acts().size());
    for (SegmentActs a : state.acts()) {
      TensorIo.writeTensor(d, a.hidden());
      TensorIo.writeOptional(d, a.mix());
      TensorIo.writeOptional(d, a.keys());
      TensorIo.writeOptional(d, a.values());
    }
    TttState s = state.ttt();
    d.writeBoolean(s != null);
    if (s != null) {
      TensorIo.writeTensor(d, s.w1());
      TensorIo.writeTensor(d, s.b1());
      TensorIo.writeOptional(d, s.w2());
      TensorIo.writeOptional(d, s.b2());
    }
    Map<String, Tensor> cache = state.decoderCache().tensors();
    d.writeInt(cache.size());
    for (Map.Entry<String, Tensor> e : cache.entrySet()) {
      TensorIo.writeString(d, e.getKey());
      TensorIo.writeTensor(d, e.getValue());
    }
    d.writeInt(state.decoderCache().decodedFrames());
    d.writeInt(state.decodedSegment());
    TensorIo.writeOptional(d, state.decodedFrames());
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
    String model = TensorIo.readString(d);
    int segments = d.readInt();
    if (segments < 1 || segments > 100_000) {
      throw new IOException("corrupt generation state: " + segments + " segments");
    }
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < segments; i++) {
      prompts.add(TensorIo.readString(d));
    }
    List<String> negatives = new ArrayList<>();
    if (version == VERSION_1) {
      negatives.addAll(Collections.nCopies(segments, TensorIo.readString(d)));
    } else {
      for (int i = 0; i < segments; i++) {
        negatives.add(TensorIo.readString(d));
      }
    }
    GenerationRequest request =
        new GenerationRequest(prompts, negatives, d.readLong(), d.readInt(), d.readDouble());
    long unit = d.readLong();
    List<Tensor> text = new ArrayList<>();
    for (int i = 0; i < segments; i++) {
      text.add(TensorIo.readTensor(d));
    }
    List<Tensor> latents = new ArrayList<>();
    for (int i = 0; i < segments; i++) {
      latents.add(TensorIo.readTensor(d));
    }
    int nActs = d.readInt();
    if (nActs < 0 || nActs > segments) {
      throw new IOException(
          "corrupt generation state: " + nActs + " activations for " + segments + " segments");
    }
    List<SegmentActs> acts = new ArrayList<>();
    for (int i = 0; i < nActs; i++) {
      acts.add(
          new SegmentActs(
              TensorIo.readTensor(d),
              TensorIo.readOptional(d),
              TensorIo.readOptional(d),
              TensorIo.readOptional(d)));
    }
    TttState ttt = null;
    if (d.readBoolean()) {
      ttt =
          new TttState(
              TensorIo.readTensor(d),
              TensorIo.readTensor(d),
              TensorIo.readOptional(d),
              TensorIo.readOptional(d));
    }
    Map<String, Tensor> entries = new TreeMap<>();
    if (version <= VERSION_2) {
      Tensor prev = TensorIo.readOptional(d);
      if (prev != null) {
        entries.put(LinearPatchDecoder.PREVIOUS_FRAME, prev);
      }
    } else {
      int n = d.readInt();
      if (n < 0 || n > 10_000) {
        throw new IOException("corrupt generation state: " + n + " decoder cache entries");
      }
      for (int i = 0; i < n; i++) {
        entries.put(TensorIo.readString(d), TensorIo.readTensor(d));
      }
    }
    DecoderCache cache;
    try {
      cache = new DecoderCache(entries, d.readInt());
    } catch (IllegalArgumentException e) {
      throw new IOException("corrupt generation state: " + e.getMessage(), e);
    }
    int decodedSegment = d.readInt();
    Tensor decoded = TensorIo.readOptional(d);
    return new GenerationState(
        model, request, unit, text, latents, acts, ttt, cache, decodedSegment, decoded);
  }
}
