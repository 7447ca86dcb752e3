package org.tttvideo.model.compute.vector;

import java.util.Arrays;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntConsumer;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.LinearWeight;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttScanInput;
import org.tttvideo.model.compute.TttScanResult;

/**
 * The CPU compute backend: pure Java on the Vector API ({@code jdk.incubator.vector}), float32,
 * multi-threaded over batch entries, heads and row blocks on its own {@link
 * java.util.concurrent.ForkJoinPool}. Small problems (below about two million FLOPs) run on the
 * calling thread, so the per-call cost of the many small products of a TTT scan stays in the
 * microseconds.
 *
 * <pre>{@code
 * try (Compute c = new VectorCompute()) {          // one thread per available processor
 *   Tensor y = c.linear(x, w, b);                    // [..., in] @ [out, in]ᵀ + [out] -> [..., out]
 *   TttScanResult r =
 *       c.tttScan(new TttScanInput(TttKind.MLP, state, xq, xk, xv, eta, normW, normB, 16));
 * }
 * }</pre>
 *
 * <p>Results are bit-for-bit the same for any thread count: work is cut into tasks by the problem's
 * sizes only, and every output element is computed inside one task by a fixed sequence of
 * operations (see {@link Gemm}).
 *
 * <p>An instance may be shared by several threads: calls keep no state between them except a pool
 * of per-thread TTT scratch buffers, reused from call to call.
 *
 * <p>The JVM needs {@code --add-modules jdk.incubator.vector}; without it the constructor fails
 * with a message saying so rather than the backend running slowly or failing later.
 */
public final class VectorCompute implements Compute {
  /** Elements per task of the element-wise operations (a multiple of every vector length). */
  private static final int ELEMENT_CHUNK = 1 << 16;

  /** Elements per task of the row operations, rounded to whole rows. */
  private static final int ROW_CHUNK_ELEMENTS = 1 << 15;

  private final Parallel par;
  private final Products products;
  private final Queue<TttScanKernel.Scratch> scanScratch = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  /** One thread per available processor. */
  public VectorCompute() {
    this(Runtime.getRuntime().availableProcessors());
  }

  /**
   * @param threads threads used for large operations, the calling thread included (1 = the calling
   *     thread only)
   */
  public VectorCompute(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    requireVectorModule();
    this.par = new Parallel(threads);
    this.products = new Products(par);
  }

  private static void requireVectorModule() {
    try {
      Class.forName(
          "jdk.incubator.vector.FloatVector", false, VectorCompute.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException(
          "the 'vector' compute backend needs the Vector API module, which this JVM was started"
              + " without: add --add-modules jdk.incubator.vector to the java command line (or"
              + " JDK_JAVA_OPTIONS, or Flink's env.java.opts.all)",
          e);
    }
  }

  @Override
  public String name() {
    return "vector";
  }

  /** Threads used for large operations, the calling thread included. */
  public int threads() {
    return par.threads();
  }

  @Override
  public String toString() {
    return "VectorCompute[threads=" + par.threads() + ", lanes=" + Gemm.VL + "]";
  }

  // ================================================================ products

  @Override
  public Tensor linear(Tensor x, Tensor w, Tensor b) {
    open();
    return products.linear(x, w, b);
  }

  /** As {@link #linear}, on the transposed matrix the binding made once: no transpose per call. */
  @Override
  public Tensor linearBound(Tensor x, LinearWeight w) {
    open();
    return products.linearBound(x, w);
  }

  @Override
  public Tensor matmul(Tensor a, Tensor b, boolean transposeB) {
    open();
    return products.matmul(a, b, transposeB);
  }

  /** On this backend's pool, with the threshold of its own operations ({@link Parallel}). */
  @Override
  public void forEachTask(int n, double totalFlops, IntConsumer body) {
    open();
    par.forEach(n, totalFlops, body);
  }

  // ================================================================ last-dim normalisations

  @Override
  public Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
    open();
    int n = lastDim("layerNorm", x);
    requireVector("layerNorm", "weight", weight, x);
    requireVector("layerNorm", "bias", bias, x);
    float[] w = weight == null ? null : weight.data();
    float[] b = bias == null ? null : bias.data();
    return rows(
        x, 8, (src, dst, r0, r1) -> ElementWise.layerNormRows(src, dst, n, r0, r1, w, b, eps));
  }

  @Override
  public Tensor l2Normalize(Tensor x, float eps) {
    open();
    int n = lastDim("l2Normalize", x);
    return rows(x, 4, (src, dst, r0, r1) -> ElementWise.l2NormalizeRows(src, dst, n, r0, r1, eps));
  }

  @Override
  public Tensor standardize(Tensor x, float eps) {
    open();
    int n = lastDim("standardize", x);
    if (n < 2) {
      throw new IllegalArgumentException(
          "standardize: x "
              + shape(x)
              + " needs at least 2 elements in the last dim for an unbiased std");
    }
    return rows(x, 6, (src, dst, r0, r1) -> ElementWise.standardizeRows(src, dst, n, r0, r1, eps));
  }

  @Override
  public Tensor softmax(Tensor x) {
    open();
    int n = lastDim("softmax", x);
    return rows(x, 20, (src, dst, r0, r1) -> ElementWise.softmaxRows(src, dst, n, r0, r1));
  }

  @FunctionalInterface
  private interface RowKernel {
    void run(float[] src, float[] dst, int r0, int r1);
  }

  private Tensor rows(Tensor x, int costPerElement, RowKernel kernel) {
    int n = x.dim(-1);
    int rows = n == 0 ? 0 : x.size() / n;
    float[] y = new float[x.size()];
    int rowsPerTask = Math.max(1, ROW_CHUNK_ELEMENTS / Math.max(1, n));
    int tasks = (rows + rowsPerTask - 1) / rowsPerTask;
    par.forEach(
        tasks,
        (double) costPerElement * x.size(),
        t -> kernel.run(x.data(), y, t * rowsPerTask, Math.min(rows, (t + 1) * rowsPerTask)));
    return Tensor.of(y, x.shape());
  }

  // ================================================================ element-wise

  @Override
  public Tensor gelu(Tensor x) {
    return unary(ElementWise.Unary.GELU, x, 0f);
  }

  @Override
  public Tensor tanh(Tensor x) {
    return unary(ElementWise.Unary.TANH, x, 0f);
  }

  @Override
  public Tensor sigmoid(Tensor x) {
    return unary(ElementWise.Unary.SIGMOID, x, 0f);
  }

  @Override
  public Tensor scale(Tensor a, float s) {
    return unary(ElementWise.Unary.SCALE, a, s);
  }

  private Tensor unary(ElementWise.Unary op, Tensor x, float s) {
    open();
    requireNonNull(x, "x");
    float[] src = x.data();
    float[] y = new float[src.length];
    int tasks = (src.length + ELEMENT_CHUNK - 1) / ELEMENT_CHUNK;
    par.forEach(
        tasks,
        (double) op.cost * src.length,
        t ->
            ElementWise.unary(
                op, src, y, t * ELEMENT_CHUNK, Math.min(src.length, (t + 1) * ELEMENT_CHUNK), s));
    return Tensor.of(y, x.shape());
  }

  @Override
  public Tensor add(Tensor a, Tensor b) {
    return binary(ElementWise.Binary.ADD, "add", a, b);
  }

  @Override
  public Tensor sub(Tensor a, Tensor b) {
    return binary(ElementWise.Binary.SUB, "sub", a, b);
  }

  @Override
  public Tensor mul(Tensor a, Tensor b) {
    return binary(ElementWise.Binary.MUL, "mul", a, b);
  }

  private Tensor binary(ElementWise.Binary op, String name, Tensor a, Tensor b) {
    open();
    requireNonNull(a, "a");
    requireNonNull(b, "b");
    Broadcast plan = Broadcast.of(name, a.shape(), b.shape());
    float[] y = new float[a.size()];
    int tasks = (a.size() + ELEMENT_CHUNK - 1) / ELEMENT_CHUNK;
    par.forEach(
        tasks,
        a.size(),
        t ->
            plan.run(
                op,
                a.data(),
                b.data(),
                y,
                t * ELEMENT_CHUNK,
                Math.min(a.size(), (t + 1) * ELEMENT_CHUNK)));
    return Tensor.of(y, a.shape());
  }

  // ================================================================ layout

  @Override
  public Tensor permute(Tensor x, int... axes) {
    open();
    requireNonNull(x, "x");
    requireNonNull(axes, "axes");
    int rank = x.rank();
    boolean ok = axes.length == rank;
    boolean[] seen = new boolean[rank];
    for (int i = 0; ok && i < rank; i++) {
      ok = axes[i] >= 0 && axes[i] < rank && !seen[axes[i]];
      if (ok) {
        seen[axes[i]] = true;
      }
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "permute: axes "
              + Arrays.toString(axes)
              + " are not a permutation of the "
              + rank
              + " dims of x "
              + shape(x));
    }
    if (rank == 0) {
      return x.copy();
    }
    int[] s = x.shape();
    int[] outShape = new int[rank];
    for (int i = 0; i < rank; i++) {
      outShape[i] = s[axes[i]];
    }
    float[] y = new float[x.size()];
    int n = outShape[rank - 1];
    int rows = n == 0 ? 0 : x.size() / n;
    int rowsPerTask = Math.max(1, ELEMENT_CHUNK / Math.max(1, n));
    int tasks = (rows + rowsPerTask - 1) / rowsPerTask;
    par.forEach(
        tasks,
        x.size(),
        t ->
            Layout.permuteRows(
                x.data(), s, axes, y, t * rowsPerTask, Math.min(rows, (t + 1) * rowsPerTask)));
    return Tensor.of(y, outShape);
  }

  @Override
  public Tensor gather(Tensor x, int axis, int[] index) {
    open();
    requireNonNull(x, "x");
    requireNonNull(index, "index");
    if (axis < 0 || axis >= x.rank()) {
      throw new IllegalArgumentException(
          "gather: axis " + axis + " is outside the dims of x " + shape(x));
    }
    int[] s = x.shape();
    int len = s[axis];
    for (int i = 0; i < index.length; i++) {
      if (index[i] < 0 || index[i] >= len) {
        throw new IllegalArgumentException(
            "gather: index["
                + i
                + "] = "
                + index[i]
                + " is outside axis "
                + axis
                + " of size "
                + len
                + " of x "
                + shape(x));
      }
    }
    int[] idx = index.clone();
    int outer = prod(s, 0, axis);
    int inner = prod(s, axis + 1, s.length);
    int[] outShape = s.clone();
    outShape[axis] = idx.length;
    float[] y = new float[Math.multiplyExact(outer, Math.multiplyExact(idx.length, inner))];
    int perOuter = Math.max(1, idx.length * inner);
    int outersPerTask = Math.max(1, ELEMENT_CHUNK / perOuter);
    int tasks = (outer + outersPerTask - 1) / outersPerTask;
    par.forEach(
        tasks,
        y.length,
        t ->
            Layout.gather(
                x.data(),
                len,
                inner,
                idx,
                y,
                t * outersPerTask,
                Math.min(outer, (t + 1) * outersPerTask)));
    return Tensor.of(y, outShape);
  }

  // ================================================================ TTT

  @Override
  public TttScanResult tttScan(TttScanInput in) {
    open();
    return TttScanKernel.scan(par, scanScratch, in);
  }

  @Override
  public void close() {
    closed = true;
    par.close();
    scanScratch.clear();
  }

  // ================================================================ checks

  private void open() {
    if (closed) {
      throw new IllegalStateException("this VectorCompute is closed");
    }
  }

  static void requireNonNull(Object o, String name) {
    Objects.requireNonNull(o, () -> name + " must not be null");
  }

  private static int lastDim(String op, Tensor x) {
    requireNonNull(x, "x");
    if (x.rank() < 1) {
      throw new IllegalArgumentException(op + ": x " + shape(x) + " has no last dim");
    }
    return x.dim(-1);
  }

  private static void requireVector(String op, String name, Tensor v, Tensor x) {
    if (v != null && (v.rank() != 1 || v.dim(0) != x.dim(-1))) {
      throw new IllegalArgumentException(
          op
              + ": "
              + name
              + " "
              + shape(v)
              + " must be [C] = ["
              + x.dim(-1)
              + "] for x "
              + shape(x));
    }
  }

  static int rowsOf(Tensor x) {
    return prod(x.shape(), 0, x.rank() - 1);
  }

  static int prod(int[] s, int from, int to) {
    int p = 1;
    for (int i = from; i < to; i++) {
      p = Math.multiplyExact(p, s[i]);
    }
    return p;
  }

  static String shape(Tensor t) {
    return Arrays.toString(t.shape());
  }
}
