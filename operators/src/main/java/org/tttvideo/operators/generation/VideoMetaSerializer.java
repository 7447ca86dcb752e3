package org.tttvideo.operators.generation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.tttvideo.model.compute.TensorIo;
import org.tttvideo.model.generate.GenerationRequest;

/**
 * The serializer of a video's {@link VideoMeta}.
 *
 * <pre>
 * version 2: byte status (0 queued, 1 active); long arrival; long started-at millis;
 *            string model preset; int segments; string × segments prompts;
 *            string × segments negative prompts; long seed; int steps; double guidance scale
 * version 1: as version 2, but one string negative prompt, used for every segment
 * </pre>
 *
 * This build writes version 2. A version-1 snapshot restores a serializer of version 1 (its one
 * negative prompt reads as the negative prompt of every segment), and Flink migrates the state to
 * version 2 ({@link VersionedStateSerializer}).
 */
public final class VideoMetaSerializer extends VersionedStateSerializer<VideoMeta> {
  private static final long serialVersionUID = 1L;

  /** The format version this build writes. */
  public static final int CURRENT_VERSION = 2;

  /** The first format: one negative prompt for every segment. */
  static final int VERSION_1 = 1;

  /** The serializer of the current version. */
  public static final VideoMetaSerializer INSTANCE = new VideoMetaSerializer(CURRENT_VERSION);

  /** Most segments a stored request may have (a corrupt count fails before allocating). */
  private static final int MAX_SEGMENTS = 100_000;

  /** A serializer reading and writing format {@code version}. */
  public VideoMetaSerializer(int version) {
    super(version, CURRENT_VERSION);
  }

  @Override
  public VideoMeta createInstance() {
    return null;
  }

  @Override
  public void serialize(VideoMeta value, DataOutputView out) throws IOException {
    out.writeByte(value.status().ordinal());
    out.writeLong(value.arrival());
    out.writeLong(value.startedAtMillis());
    TensorIo.writeString(out, value.modelPreset());
    GenerationRequest r = value.request();
    out.writeInt(r.segments());
    for (String p : r.prompts()) {
      TensorIo.writeString(out, p);
    }
    if (version() == VERSION_1) {
      TensorIo.writeString(out, singleNegative(r));
    } else {
      for (String n : r.negativePrompts()) {
        TensorIo.writeString(out, n);
      }
    }
    out.writeLong(r.seed());
    out.writeInt(r.steps());
    out.writeDouble(r.guidanceScale());
  }

  @Override
  public VideoMeta deserialize(DataInputView in) throws IOException {
    int status = in.readByte();
    if (status < 0 || status >= VideoMeta.Status.values().length) {
      throw new IOException("corrupt video meta: status " + status + ", allowed 0 (queued), 1");
    }
    long arrival = in.readLong();
    long startedAt = in.readLong();
    String preset = TensorIo.readString(in);
    int segments = in.readInt();
    if (segments < 1 || segments > MAX_SEGMENTS) {
      throw new IOException(
          "corrupt video meta: " + segments + " segments, allowed 1.." + MAX_SEGMENTS);
    }
    List<String> prompts = new ArrayList<>(segments);
    for (int i = 0; i < segments; i++) {
      prompts.add(TensorIo.readString(in));
    }
    List<String> negatives = new ArrayList<>(segments);
    if (version() == VERSION_1) {
      negatives.addAll(Collections.nCopies(segments, TensorIo.readString(in)));
    } else {
      for (int i = 0; i < segments; i++) {
        negatives.add(TensorIo.readString(in));
      }
    }
    long seed = in.readLong();
    int steps = in.readInt();
    double guidance = in.readDouble();
    GenerationRequest request;
    try {
      request = new GenerationRequest(prompts, negatives, seed, steps, guidance);
    } catch (IllegalArgumentException e) {
      throw new IOException("corrupt video meta: " + e.getMessage(), e);
    }
    return new VideoMeta(VideoMeta.Status.values()[status], arrival, startedAt, preset, request);
  }

  /**
   * The one negative prompt that version 1 holds. Flink writes with a version-1 serializer only
   * state restored from a version-1 snapshot and not accessed since (accessed state is migrated to
   * the current version), whose requests all have one negative prompt.
   */
  private static String singleNegative(GenerationRequest r) {
    List<String> negatives = r.negativePrompts();
    for (String n : negatives) {
      if (!n.equals(negatives.get(0))) {
        throw new IllegalArgumentException(
            "request.negativePrompts "
                + negatives
                + " differ between segments; video meta version 1 holds one negative prompt for"
                + " every segment (write version "
                + CURRENT_VERSION
                + ")");
      }
    }
    return negatives.get(0);
  }

  @Override
  protected Snapshot newSnapshot() {
    return new Snapshot();
  }

  /** The snapshot: the format version only. */
  public static final class Snapshot extends VersionedStateSerializer.Snapshot<VideoMeta> {
    /** For Flink, which instantiates snapshots by reflection before reading them. */
    public Snapshot() {
      super(CURRENT_VERSION, VideoMetaSerializer::new);
    }
  }
}
