package org.tttvideo.operators.generation;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import org.apache.flink.runtime.execution.CancelTaskException;

/**
 * Which throwables of a model call fail only the video they came from, and with which {@link
 * org.tttvideo.video.VideoFailed#code()}; the rest fail the task.
 *
 * <p>The model call ({@code Generator.start} or {@code step}, and the frame conversion after it) is
 * pure: it reads immutable state and returns new tensors, and writes no Flink state and nothing
 * shared (the vector backend's worker threads are joined before the error reaches the task thread,
 * see {@code Parallel}). So when it throws, nothing but that video's generation is affected, and
 * the operator can drop the video and go on:
 *
 * <ul>
 *   <li>{@link RuntimeException}: {@value GenerationOperator#FAILURE_CODE} (a bug or a request the
 *       model cannot take);
 *   <li>{@link StackOverflowError}: {@value GenerationOperator#STACK_OVERFLOW_CODE}. The stack is
 *       unwound by the time it is caught, so the thread is as good as before;
 *   <li>{@link OutOfMemoryError} of the Java heap or of direct/native buffers (ND4J, JavaCPP):
 *       {@value GenerationOperator#OUT_OF_MEMORY_CODE}. The failed allocation never happened, the
 *       unit's partial tensors are garbage once the stack is unwound, and the operator drops its
 *       references to the video's state before it does anything else, which frees the largest
 *       allocations this video holds. Which video a heap OOM lands on is not a proof that it caused
 *       it (another generating video may hold most of the heap); the one that asked for the memory
 *       is the best guess, and failing it frees memory for the others.
 * </ul>
 *
 * <p>Propagated, so that the task fails and restarts from the last checkpoint:
 *
 * <ul>
 *   <li>cancellation: an interrupted thread, or an {@link InterruptedException} (also as {@link
 *       InterruptedIOException} or {@link ClosedByInterruptException}) or {@link
 *       CancelTaskException} anywhere in the cause chain. A video must not fail because its task is
 *       being cancelled;
 *   <li>{@link OutOfMemoryError}s that say nothing about the video: metaspace and compressed class
 *       space (class loading) and "unable to create native thread" (the process' thread limit);
 *   <li>every other {@link Error}: {@link LinkageError}s ({@code NoClassDefFoundError}, {@code
 *       UnsatisfiedLinkError} of a native backend, {@code ExceptionInInitializerError}) mean a
 *       broken deployment that fails every video alike: failing the task makes that visible, where
 *       failing each video would silently empty the backlog into VideoFailed records. Other {@link
 *       VirtualMachineError}s ({@code InternalError}, {@code UnknownError}) say the JVM itself is
 *       in trouble, and {@link AssertionError} is a broken invariant of our own code. If one of
 *       these keeps coming from one video, the restore counting of {@link GenerationOperator} (a
 *       poison video) fails that video after a few restarts.
 * </ul>
 */
final class ModelFailures {
  private ModelFailures() {}

  /** Causes followed at most (a chain is never longer in practice; a cycle ends here). */
  private static final int MAX_DEPTH = 32;

  /**
   * The {@code VideoFailed} code for {@code t} thrown by a model call on the current thread, or
   * {@code null} when {@code t} must be rethrown.
   */
  static String videoFailureCode(Throwable t) {
    if (Thread.currentThread().isInterrupted() || isCancellation(t)) {
      return null;
    }
    Throwable memory = find(t, OutOfMemoryError.class);
    if (memory != null) {
      return isAboutTheVideo((OutOfMemoryError) memory)
          ? GenerationOperator.OUT_OF_MEMORY_CODE
          : null;
    }
    if (find(t, StackOverflowError.class) != null) {
      return GenerationOperator.STACK_OVERFLOW_CODE;
    }
    if (t instanceof RuntimeException && find(t, Error.class) == null) {
      return GenerationOperator.FAILURE_CODE;
    }
    return null;
  }

  /** Whether an out-of-memory error is about the video's allocations (heap, direct, native). */
  static boolean isAboutTheVideo(OutOfMemoryError e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    return !(m.contains("Metaspace")
        || m.contains("Compressed class space")
        || m.contains("native thread"));
  }

  private static boolean isCancellation(Throwable t) {
    return find(t, InterruptedException.class) != null
        || find(t, InterruptedIOException.class) != null
        || find(t, ClosedByInterruptException.class) != null
        || find(t, CancelTaskException.class) != null;
  }

  private static Throwable find(Throwable t, Class<? extends Throwable> type) {
    Throwable c = t;
    for (int i = 0; c != null && i < MAX_DEPTH; i++) {
      if (type.isInstance(c)) {
        return c;
      }
      c = c.getCause();
    }
    return null;
  }

  /**
   * The {@code VideoFailed} code for {@code t} thrown by a model call ({@link #videoFailureCode});
   * rethrows {@code t} when it must fail the task instead.
   */
  static String codeOrRethrow(Throwable t) {
    String code = videoFailureCode(t);
    if (code == null) {
      throw rethrow(t);
    }
    return code;
  }

  /** Rethrows {@code t}, an unchecked throwable of a model call. */
  static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException("a model call threw a checked exception", t);
  }
}
