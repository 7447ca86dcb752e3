package org.tttvideo.operators.generation;

import java.io.IOException;
import java.util.function.IntFunction;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Base of the generation operator's state serializers: immutable values (records of tensors that
 * are never written after they are put in state, so {@link #copy} returns its argument), a binary
 * format per version, and a snapshot whose version is the format version.
 *
 * <p>A serializer instance reads and writes one {@link #version()}. New serializers write {@code
 * currentVersion}; a serializer restored from an older snapshot reads the older format, and Flink
 * migrates the state to the current one ({@link
 * TypeSerializerSchemaCompatibility#compatibleAfterMigration()}: RocksDB reads every entry with the
 * restored serializer and writes it with the current one; the heap backend reads the snapshot with
 * the restored serializer and writes the next one with the current). Unknown versions are rejected
 * when the snapshot is read, naming the version. The serializers hold no buffers, so {@link
 * #duplicate()} returns {@code this}.
 *
 * <p>Restoring an older version, e.g. {@code VideoMetaSerializer} version 1 in a build that writes
 * 2:
 *
 * <pre>{@code
 * TypeSerializerSnapshot<VideoMeta> old = ...;            // read from the checkpoint: version 1
 * old.restoreSerializer();                                // VideoMetaSerializer(v1), reads v1
 * VideoMetaSerializer.INSTANCE.snapshotConfiguration()
 *     .resolveSchemaCompatibility(old);                   // compatibleAfterMigration
 * }</pre>
 *
 * @param <T> the immutable state value
 */
public abstract class VersionedStateSerializer<T> extends TypeSerializer<T> {
  private static final long serialVersionUID = 1L;

  private final int version;

  /**
   * @param version the format version this instance reads and writes
   * @param currentVersion the format version this build writes, the newest it reads
   */
  protected VersionedStateSerializer(int version, int currentVersion) {
    if (version < 1 || version > currentVersion) {
      throw new IllegalArgumentException(
          getClass().getSimpleName()
              + " version must be within 1.."
              + currentVersion
              + ", got "
              + version);
    }
    this.version = version;
  }

  /** The format version this instance reads and writes. */
  public final int version() {
    return version;
  }

  @Override
  public final boolean isImmutableType() {
    return true;
  }

  @Override
  public final TypeSerializer<T> duplicate() {
    return this;
  }

  @Override
  public final T copy(T from) {
    return from;
  }

  @Override
  public final T copy(T from, T reuse) {
    return from;
  }

  @Override
  public final int getLength() {
    return -1;
  }

  @Override
  public final T deserialize(T reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public final void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }

  @Override
  public final boolean equals(Object obj) {
    return obj != null
        && obj.getClass() == getClass()
        && ((VersionedStateSerializer<?>) obj).version == version;
  }

  @Override
  public final int hashCode() {
    return 31 * getClass().hashCode() + version;
  }

  /**
   * The snapshot of this serializer: {@link #newSnapshot()} describing {@link #version()}, which is
   * what a snapshot of a restored older serializer must say (see {@link Snapshot}).
   */
  @Override
  public final TypeSerializerSnapshot<T> snapshotConfiguration() {
    Snapshot<T> snapshot = newSnapshot();
    snapshot.version = version;
    return snapshot;
  }

  /**
   * A new snapshot of this serializer's own {@code Snapshot} class (at the current version). Its
   * class name is what Flink writes into checkpoints and loads again on restore, so each serializer
   * keeps its nested {@code Snapshot} class under that name.
   */
  protected abstract Snapshot<T> newSnapshot();

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(v" + version + ")";
  }

  /**
   * The snapshot of a {@link VersionedStateSerializer}: no configuration beyond the version, which
   * Flink writes in front of it. Subclasses are public, with a public no-argument constructor that
   * names the current version and the serializer of a version, as Flink's {@code
   * SimpleTypeSerializerSnapshot} takes a supplier:
   *
   * <pre>{@code
   * public static final class Snapshot extends VersionedStateSerializer.Snapshot<VideoMeta> {
   *   public Snapshot() {
   *     super(CURRENT_VERSION, VideoMetaSerializer::new);
   *   }
   * }
   * }</pre>
   *
   * <p>The version written ({@link #getCurrentVersion()}) is the format version of the serializer
   * the snapshot describes, not this build's newest: Flink keeps the restored serializer for state
   * that is not accessed after a restore and snapshots it again, and that state's bytes are still
   * in the older format, so its snapshot must say so.
   *
   * @param <T> the state value
   */
  public abstract static class Snapshot<T> implements TypeSerializerSnapshot<T> {
    private final int currentVersion;
    private final IntFunction<? extends TypeSerializer<T>> serializerFor;
    private int version;

    /**
     * A snapshot of format {@code currentVersion}, the one this build writes; {@code serializerFor}
     * makes the serializer of a format version (1..{@code currentVersion}).
     */
    protected Snapshot(int currentVersion, IntFunction<? extends TypeSerializer<T>> serializerFor) {
      this.currentVersion = currentVersion;
      this.serializerFor = serializerFor;
      this.version = currentVersion;
    }

    /** The format version this snapshot describes. */
    public final int version() {
      return version;
    }

    /** The format version of the described serializer (see the class comment). */
    @Override
    public final int getCurrentVersion() {
      return version;
    }

    @Override
    public final void writeSnapshot(DataOutputView out) {
      // Nothing but the version, which TypeSerializerSnapshot.writeVersionedSnapshot writes.
    }

    @Override
    public final void readSnapshot(
        int readVersion, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
      if (readVersion < 1 || readVersion > currentVersion) {
        throw new IOException(
            getClass().getName()
                + ": state format version "
                + readVersion
                + " is unknown; this build reads versions 1.."
                + currentVersion);
      }
      version = readVersion;
    }

    @Override
    public final TypeSerializer<T> restoreSerializer() {
      return serializerFor.apply(version);
    }

    @Override
    public final TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
        TypeSerializerSnapshot<T> oldSerializerSnapshot) {
      if (oldSerializerSnapshot == null || oldSerializerSnapshot.getClass() != getClass()) {
        return TypeSerializerSchemaCompatibility.incompatible();
      }
      int old = ((Snapshot<T>) oldSerializerSnapshot).version;
      return old == version
          ? TypeSerializerSchemaCompatibility.compatibleAsIs()
          : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
    }
  }
}
