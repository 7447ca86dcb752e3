package org.tttvideo.compute.nd4j;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.MemoryWorkspaceManager;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tttvideo.model.compute.Tensor;

/**
 * The boundary between {@link Tensor} and ND4J: copies in and out (a tensor never shares memory
 * with an {@link INDArray}, so no ND4J operation can write into a caller's tensor), and the shape
 * checks shared by the backend's operations.
 */
final class Nd4jArrays {
  private Nd4jArrays() {}

  private static final String WORKSPACE_ID = "tttvideo-nd4j-ops";

  /**
   * The largest operation (in elements of its inputs and output) that runs in the workspace: the
   * workspace keeps the size of the largest operation it has held, per thread, until released.
   */
  static final long WORKSPACE_MAX_ELEMENTS = 1 << 18;

  /**
   * Sized by the first cycle between open and close, grown when a later cycle needs more, and reset
   * at each open: for loops of like-sized steps.
   */
  static final WorkspaceConfiguration CYCLIC_WORKSPACE =
      WorkspaceConfiguration.builder()
          .initialSize(0)
          .policyLearning(LearningPolicy.FIRST_LOOP)
          .policyAllocation(AllocationPolicy.OVERALLOCATE)
          .overallocationLimit(0.2)
          .policyReset(ResetPolicy.BLOCK_LEFT)
          .policySpill(SpillPolicy.REALLOCATE)
          .build();

  /**
   * Where the ND4J arrays of one operation are allocated, to be closed when the operation has
   * copied its result out: this thread's workspace for an operation of at most {@link
   * #WORKSPACE_MAX_ELEMENTS} elements (allocating each small array off-heap costs more than the
   * arithmetic), else plain off-heap memory that the garbage collector frees.
   */
  static MemoryWorkspace scope(long elements) {
    return elements <= WORKSPACE_MAX_ELEMENTS
        ? Nd4j.getWorkspaceManager().getAndActivateWorkspace(CYCLIC_WORKSPACE, WORKSPACE_ID)
        : Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
  }

  /** Frees the calling thread's workspace, if it has one. */
  static void releaseWorkspace() {
    MemoryWorkspaceManager manager = Nd4j.getWorkspaceManager();
    if (manager.checkIfWorkspaceExists(WORKSPACE_ID)) {
      manager.getWorkspaceForCurrentThread(WORKSPACE_ID).destroyWorkspace();
    }
  }

  /** A new c-ordered float32 array holding a copy of {@code t}'s data. */
  static INDArray toNd4j(Tensor t) {
    return Nd4j.create(t.data(), longs(t.shape()), 'c');
  }

  /** {@code t}'s data copied into a new c-ordered float32 array of another shape (same size). */
  static INDArray toNd4j(Tensor t, long... shape) {
    return Nd4j.create(t.data(), shape, 'c');
  }

  /** A new tensor of the given shape holding a row-major copy of {@code a}. */
  static Tensor toTensor(INDArray a, int... shape) {
    INDArray c = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
    // A view (slice, permutation, transposed operand) or an f-ordered result does not lie
    // row-major at offset 0 of its own buffer: copy it out in c order first. The strides are
    // compared because a permuted array can report ordering 'c' and isView() false.
    boolean rowMajor =
        !c.isView()
            && c.offset() == 0
            && c.data().length() == c.length()
            && Arrays.equals(c.stride(), Nd4j.getStrides(c.shape(), 'c'));
    if (!rowMajor) {
      c = c.dup('c');
    }
    float[] data = c.length() == 0 ? new float[0] : c.data().asFloat();
    return Tensor.of(data, shape);
  }

  static long[] longs(int... shape) {
    long[] s = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      s[i] = shape[i];
    }
    return s;
  }

  /** The shape with its last dimension replaced. */
  static int[] withLast(int[] shape, int last) {
    int[] s = shape.clone();
    s[s.length - 1] = last;
    return s;
  }

  static Tensor require(Tensor t, String op, String name) {
    if (t == null) {
      throw new NullPointerException(op + ": " + name + " must not be null");
    }
    return t;
  }

  /** Requires rank at least {@code minRank}; the message names the operation and argument. */
  static void requireRank(Tensor t, int minRank, String op, String name, String layout) {
    require(t, op, name);
    if (t.rank() < minRank) {
      throw new IllegalArgumentException(
          op
              + ": "
              + name
              + " must be "
              + layout
              + " (rank >= "
              + minRank
              + "), got "
              + Arrays.toString(t.shape()));
    }
  }

  /** Requires exactly {@code expected}; the message names the argument and both shapes. */
  static void requireShape(Tensor t, String op, String name, int... expected) {
    require(t, op, name);
    if (!Arrays.equals(t.shape(), expected)) {
      throw new IllegalArgumentException(
          op
              + ": "
              + name
              + " must have shape "
              + Arrays.toString(expected)
              + ", got "
              + Arrays.toString(t.shape()));
    }
  }

  /**
   * Checks that {@code b} broadcasts against {@code a} (aligned on the right, every dimension equal
   * or 1, rank at most {@code a}'s) and returns {@code b}'s shape padded on the left with ones to
   * {@code a}'s rank.
   */
  static long[] broadcastShape(Tensor a, Tensor b, String op) {
    require(a, op, "a");
    require(b, op, "b");
    int[] as = a.shape();
    int[] bs = b.shape();
    boolean ok = bs.length <= as.length;
    long[] padded = new long[as.length];
    Arrays.fill(padded, 1);
    for (int i = 1; ok && i <= bs.length; i++) {
      int bd = bs[bs.length - i];
      ok = bd == 1 || bd == as[as.length - i];
      padded[as.length - i] = bd;
    }
    if (!ok) {
      throw new IllegalArgumentException(
          op
              + ": b "
              + Arrays.toString(bs)
              + " does not broadcast against a "
              + Arrays.toString(as)
              + " (b's dimensions, aligned on the right, must equal a's or be 1)");
    }
    return padded;
  }
}
