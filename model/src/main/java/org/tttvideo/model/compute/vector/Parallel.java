package org.tttvideo.model.compute.vector;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs independent tasks {@code 0 .. n-1} on the calling thread and the backend's own {@link
 * ForkJoinPool}. Work below {@link #MIN_PARALLEL_FLOPS} stays on the calling thread: handing work
 * to another thread costs some microseconds, more than a small product takes.
 *
 * <p>Tasks are handed out dynamically, so which thread runs a task varies from run to run; callers
 * make each task compute its own outputs with a fixed sequence of operations, which keeps results
 * bit-identical for any thread count.
 */
final class Parallel implements AutoCloseable {
  /** About 20 us of work at this machine's per-core rate: below it one thread is faster. */
  static final double MIN_PARALLEL_FLOPS = 1 << 21;

  private final int threads;
  private final ForkJoinPool pool;

  Parallel(int threads) {
    this.threads = threads;
    this.pool =
        threads == 1
            ? null
            : new ForkJoinPool(
                threads,
                p -> {
                  ForkJoinWorkerThread t =
                      ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                  t.setName("vector-compute-" + t.getPoolIndex());
                  t.setDaemon(true);
                  return t;
                },
                null,
                false);
  }

  int threads() {
    return threads;
  }

  /**
   * Runs {@code body} for every index in {@code [0, n)}, spread over the threads when {@code
   * totalFlops} (an estimate of the work of all tasks together) makes it worth it.
   */
  void forEach(int n, double totalFlops, IntConsumer body) {
    if (n <= 0) {
      return;
    }
    if (pool == null || n == 1 || totalFlops < MIN_PARALLEL_FLOPS) {
      for (int i = 0; i < n; i++) {
        body.accept(i);
      }
      return;
    }
    if (pool.isShutdown()) {
      throw new IllegalStateException("this VectorCompute is closed");
    }
    AtomicInteger next = new AtomicInteger();
    Runnable worker =
        () -> {
          for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            body.accept(i);
          }
        };
    int helpers = Math.min(threads, n) - 1;
    ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[helpers];
    for (int h = 0; h < helpers; h++) {
      tasks[h] = pool.submit(worker);
    }
    Throwable failure = null;
    try {
      worker.run();
    } catch (RuntimeException | Error e) {
      failure = e;
      next.set(n); // stop handing out tasks
    }
    for (ForkJoinTask<?> t : tasks) {
      try {
        t.join();
      } catch (RuntimeException | Error e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure instanceof Error e) {
      throw e;
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdown();
    }
  }
}
