package org.tttvideo.compute.nd4j;

import static org.tttvideo.compute.nd4j.Nd4jArrays.broadcastShape;
import static org.tttvideo.compute.nd4j.Nd4jArrays.require;
import static org.tttvideo.compute.nd4j.Nd4jArrays.requireRank;
import static org.tttvideo.compute.nd4j.Nd4jArrays.scope;
import static org.tttvideo.compute.nd4j.Nd4jArrays.toNd4j;
import static org.tttvideo.compute.nd4j.Nd4jArrays.toTensor;
import static org.tttvideo.compute.nd4j.Nd4jArrays.withLast;

import java.util.Arrays;
import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttScanInput;
import org.tttvideo.model.compute.TttScanResult;

/**
 * The {@link Compute} backend on ND4J (CPU: nd4j-native with OpenBLAS; float32 throughout).
 *
 * <p>Every operation copies its inputs into new ND4J arrays, runs ND4J operations, and copies the
 * result out into a new {@link Tensor}; the copies are the price of keeping tensors plain Java
 * arrays. Small operations allocate their ND4J arrays in a per-thread workspace, which costs a
 * fraction of allocating each array off-heap. On the CPU this backend is the cross-check of the
 * {@code vector} backend (ND4J's per-call overhead makes it slower on the TTT scan's small
 * products, see {@code DESIGN.md}); the same code would run on ND4J's CUDA backend.
 *
 * <pre>{@code
 * try (Compute c = new Nd4jCompute()) {
 *   Tensor y = c.linear(x, w, b); // [..., in] -> [..., out]
 * }
 * }</pre>
 *
 * <p>Legend: B = batch, H = heads, L = tokens, D = head dim, F = inner width, M = mini-batch, R =
 * rows (the product of all dimensions but the last), C = the last dimension.
 */
public final class Nd4jCompute implements Compute {
  private static final double GELU_C = Math.sqrt(2 / Math.PI);
  private static final double GELU_A = 0.044715;

  /** Sets up ND4J for this thread's use: its classloader and the float32 default type. */
  private final String device;

  public Nd4jCompute() {
    this(-1);
  }

  /**
   * A backend bound to accelerator {@code deviceIndex} (-1 for none). ND4J's device affinity is per
   * thread: this binds the calling thread, which in a Flink operator is the task thread that also
   * runs every later operation.
   *
   * @throws IllegalArgumentException if ND4J's backend has no device with that index
   */
  public Nd4jCompute(int deviceIndex) {
    // ND4J keeps the context classloader of its first use in a static; inside a Flink task that is
    // the job's user-code loader, which is closed when the job ends (STACK.md §8.3).
    ND4JClassLoading.setNd4jClassloaderFromClass(Nd4j.class);
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    String backend = Nd4j.getBackend().getClass().getSimpleName();
    boolean accelerated = !backend.startsWith("Cpu");
    if (deviceIndex >= 0 && accelerated) {
      int devices = Nd4j.getAffinityManager().getNumberOfDevices();
      if (deviceIndex >= devices) {
        throw new IllegalArgumentException(
            "gpu index " + deviceIndex + " is not among the " + devices + " devices of " + backend);
      }
      Nd4j.getAffinityManager().unsafeSetDevice(deviceIndex);
      this.device = backend + " device " + deviceIndex;
    } else {
      this.device = "cpu (" + backend + ")";
    }
  }

  @Override
  public String device() {
    return device;
  }

  @Override
  public String name() {
    return "nd4j";
  }

  /** Frees the calling thread's workspace of small operations (see {@link Nd4jArrays#scope}). */
  @Override
  public void close() {
    Nd4jArrays.releaseWorkspace();
  }

  // ---------------------------------------------------------------- products

  @Override
  public Tensor linear(Tensor x, Tensor w, Tensor b) {
    requireRank(x, 1, "linear", "x", "[..., in]");
    require(w, "linear", "w");
    if (w.rank() != 2 || w.dim(1) != x.dim(-1)) {
      throw new IllegalArgumentException(
          "linear: w must be [out, in] with in = "
              + x.dim(-1)
              + " (the last dim of x "
              + Arrays.toString(x.shape())
              + "), got "
              + Arrays.toString(w.shape()));
    }
    int out = w.dim(0);
    if (b != null && (b.rank() != 1 || b.dim(0) != out)) {
      throw new IllegalArgumentException(
          "linear: b must be [out] = ["
              + out
              + "] (w is "
              + Arrays.toString(w.shape())
              + "), got "
              + Arrays.toString(b.shape()));
    }
    int[] outShape = withLast(x.shape(), out);
    int rows = 1; // not x.rows(), which is 0 for a tensor with no elements
    for (int i = 0; i < x.rank() - 1; i++) {
      rows *= x.dim(i);
    }
    if (rows == 0 || out == 0) {
      return Tensor.zeros(outShape);
    }
    if (x.dim(-1) == 0) {
      // an empty sum: every row is the bias
      float[] y = new float[rows * out];
      for (int r = 0; b != null && r < rows; r++) {
        System.arraycopy(b.data(), 0, y, r * out, out);
      }
      return Tensor.of(y, outShape);
    }
    try (MemoryWorkspace ws = scope((long) rows * (x.dim(-1) + out) + w.size())) {
      // [R, in] @ [in, out] -> [R, out]
      INDArray y = toNd4j(x, rows, x.dim(-1)).mmul(toNd4j(w).transpose());
      if (b != null) {
        y.addiRowVector(toNd4j(b));
      }
      return toTensor(y, outShape);
    }
  }

  @Override
  public Tensor matmul(Tensor a, Tensor b, boolean transposeB) {
    require(a, "matmul", "a");
    require(b, "matmul", "b");
    if (a.rank() < 2 || b.rank() < 2) {
      throw new IllegalArgumentException(
          "matmul: a must be [..., M, K] and b "
              + (transposeB ? "[..., N, K]" : "[..., K, N]")
              + " (rank >= 2), got a "
              + Arrays.toString(a.shape())
              + " and b "
              + Arrays.toString(b.shape()));
    }
    int m = a.dim(-2);
    int k = a.dim(-1);
    int bk = transposeB ? b.dim(-1) : b.dim(-2);
    int n = transposeB ? b.dim(-2) : b.dim(-1);
    int[] as = a.shape();
    int[] bs = b.shape();
    int[] lead = Arrays.copyOf(as, as.length - 2);
    int[] bLead = Arrays.copyOf(bs, bs.length - 2);
    // b is shared by every batch entry of a when it is one matrix (leading dims all 1 or none).
    boolean shared = bs.length <= as.length && Arrays.stream(bLead).allMatch(d -> d == 1);
    if (bk != k || !(shared || Arrays.equals(lead, bLead))) {
      throw new IllegalArgumentException(
          "matmul: b must be "
              + (transposeB ? "[..., N, K]" : "[..., K, N]")
              + " with K = "
              + k
              + " and the leading dims of a "
              + Arrays.toString(as)
              + " (or none), got b "
              + Arrays.toString(bs)
              + (transposeB ? " (transposeB)" : ""));
    }
    int[] outShape = Arrays.copyOf(lead, lead.length + 2);
    outShape[lead.length] = m;
    outShape[lead.length + 1] = n;
    int batch = Arrays.stream(lead).reduce(1, (x, y) -> x * y);
    if (batch == 0 || m == 0 || n == 0 || k == 0) {
      return Tensor.zeros(outShape);
    }
    try (MemoryWorkspace ws = scope(a.size() + b.size() + (long) batch * m * n)) {
      INDArray y;
      if (shared) {
        // [batch * M, K] @ [K, N] -> [batch * M, N]: one GEMM for the whole batch.
        INDArray bm = transposeB ? toNd4j(b, n, k).transpose() : toNd4j(b, k, n);
        y = toNd4j(a, (long) batch * m, k).mmul(bm);
      } else {
        // [batch, M, K] @ [batch, K, N] -> [batch, M, N] (or b as [batch, N, K], transposed)
        INDArray a3 = toNd4j(a, batch, m, k);
        INDArray b3 = transposeB ? toNd4j(b, batch, n, k) : toNd4j(b, batch, k, n);
        y = Nd4j.matmul(a3, b3, false, transposeB, false);
      }
      return toTensor(y, outShape);
    }
  }

  // ---------------------------------------------------------------- last-dim normalisations

  @Override
  public Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
    requireRank(x, 1, "layerNorm", "x", "[..., C]");
    int c = x.dim(-1);
    requireVector(weight, c, "layerNorm", "weight", x);
    requireVector(bias, c, "layerNorm", "bias", x);
    if (x.size() == 0) {
      return Tensor.zeros(x.shape());
    }
    try (MemoryWorkspace ws = scope(x.size())) {
      INDArray x2 = toNd4j(x, x.rows(), c); // [R, C]
      INDArray y = normalizeRows(x2, eps); // [R, C]
      if (weight != null) {
        y.muliRowVector(toNd4j(weight));
      }
      if (bias != null) {
        y.addiRowVector(toNd4j(bias));
      }
      return toTensor(y, x.shape());
    }
  }

  @Override
  public Tensor l2Normalize(Tensor x, float eps) {
    requireRank(x, 1, "l2Normalize", "x", "[..., C]");
    if (x.size() == 0) {
      return Tensor.zeros(x.shape());
    }
    try (MemoryWorkspace ws = scope(x.size())) {
      INDArray x2 = toNd4j(x, x.rows(), x.dim(-1)); // [R, C]
      INDArray norm = Transforms.max(x2.norm2(true, 1), eps, false); // [R, 1]
      return toTensor(x2.diviColumnVector(norm), x.shape());
    }
  }

  @Override
  public Tensor standardize(Tensor x, float eps) {
    requireRank(x, 1, "standardize", "x", "[..., C]");
    if (x.size() == 0) {
      return Tensor.zeros(x.shape());
    }
    int c = x.dim(-1);
    try (MemoryWorkspace ws = scope(x.size())) {
      INDArray x2 = toNd4j(x, x.rows(), c); // [R, C]
      x2.subiColumnVector(x2.mean(true, 1));
      // unbiased std, eps outside the root (TTT_SPEC.md §2.4)
      INDArray std =
          Transforms.sqrt(x2.mul(x2).sum(true, 1).divi(c - 1), false).addi(eps); // [R, 1]
      return toTensor(x2.diviColumnVector(std), x.shape());
    }
  }

  @Override
  public Tensor softmax(Tensor x) {
    requireRank(x, 1, "softmax", "x", "[..., C]");
    if (x.size() == 0) {
      return Tensor.zeros(x.shape());
    }
    try (MemoryWorkspace ws = scope(x.size())) {
      INDArray x2 = toNd4j(x, x.rows(), x.dim(-1)); // [R, C]
      // libnd4j's softmax subtracts the row maximum before exponentiating.
      INDArray y = Nd4j.exec(new SoftMax(x2, x2, 1))[0];
      return toTensor(y, x.shape());
    }
  }

  // ---------------------------------------------------------------- element-wise

  @Override
  public Tensor gelu(Tensor x) {
    require(x, "gelu", "x");
    if (x.size() == 0) {
      return Tensor.zeros(x.shape());
    }
    try (MemoryWorkspace ws = scope(x.size())) {
      return toTensor(gelu(toNd4j(x)), x.shape());
    }
  }

  @Override
  public Tensor tanh(Tensor x) {
    require(x, "tanh", "x");
    if (x.size() == 0) {
      return Tensor.zeros(x.shape());
    }
    try (MemoryWorkspace ws = scope(x.size())) {
      return toTensor(Transforms.tanh(toNd4j(x), false), x.shape());
    }
  }

  @Override
  public Tensor sigmoid(Tensor x) {
    require(x, "sigmoid", "x");
    if (x.size() == 0) {
      return Tensor.zeros(x.shape());
    }
    try (MemoryWorkspace ws = scope(x.size())) {
      return toTensor(Transforms.sigmoid(toNd4j(x), false), x.shape());
    }
  }

  @Override
  public Tensor add(Tensor a, Tensor b) {
    long[] bShape = broadcastShape(a, b, "add");
    if (a.size() == 0) {
      return Tensor.zeros(a.shape());
    }
    try (MemoryWorkspace ws = scope(a.size() + b.size())) {
      return toTensor(toNd4j(a).addi(toNd4j(b, bShape)), a.shape());
    }
  }

  @Override
  public Tensor sub(Tensor a, Tensor b) {
    long[] bShape = broadcastShape(a, b, "sub");
    if (a.size() == 0) {
      return Tensor.zeros(a.shape());
    }
    try (MemoryWorkspace ws = scope(a.size() + b.size())) {
      return toTensor(toNd4j(a).subi(toNd4j(b, bShape)), a.shape());
    }
  }

  @Override
  public Tensor mul(Tensor a, Tensor b) {
    long[] bShape = broadcastShape(a, b, "mul");
    if (a.size() == 0) {
      return Tensor.zeros(a.shape());
    }
    try (MemoryWorkspace ws = scope(a.size() + b.size())) {
      return toTensor(toNd4j(a).muli(toNd4j(b, bShape)), a.shape());
    }
  }

  @Override
  public Tensor scale(Tensor a, float s) {
    require(a, "scale", "a");
    if (a.size() == 0) {
      return Tensor.zeros(a.shape());
    }
    try (MemoryWorkspace ws = scope(a.size())) {
      return toTensor(toNd4j(a).muli(s), a.shape());
    }
  }

  // ---------------------------------------------------------------- layout

  @Override
  public Tensor permute(Tensor x, int... axes) {
    require(x, "permute", "x");
    if (axes == null) {
      throw new NullPointerException("permute: axes must not be null");
    }
    int rank = x.rank();
    boolean[] seen = new boolean[rank];
    boolean ok = axes.length == rank;
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
              + " must be a permutation of 0.."
              + (rank - 1)
              + " for x "
              + Arrays.toString(x.shape()));
    }
    int[] outShape = new int[rank];
    for (int i = 0; i < rank; i++) {
      outShape[i] = x.dim(axes[i]);
    }
    if (x.size() == 0 || rank < 2) {
      return Tensor.of(x.data().clone(), outShape);
    }
    // permute gives a strided view; toTensor copies it out in c order.
    try (MemoryWorkspace ws = scope(x.size())) {
      return toTensor(toNd4j(x).permute(axes), outShape);
    }
  }

  @Override
  public Tensor gather(Tensor x, int axis, int[] index) {
    require(x, "gather", "x");
    if (index == null) {
      throw new NullPointerException("gather: index must not be null");
    }
    if (axis < 0 || axis >= x.rank()) {
      throw new IllegalArgumentException(
          "gather: axis " + axis + " out of range for x " + Arrays.toString(x.shape()));
    }
    int n = x.dim(axis);
    for (int i = 0; i < index.length; i++) {
      if (index[i] < 0 || index[i] >= n) {
        throw new IllegalArgumentException(
            "gather: index["
                + i
                + "] = "
                + index[i]
                + " out of range [0, "
                + n
                + ") along axis "
                + axis
                + " of x "
                + Arrays.toString(x.shape()));
      }
    }
    int[] outShape = x.shape();
    outShape[axis] = index.length;
    if (x.size() == 0 || index.length == 0) {
      return Tensor.zeros(outShape);
    }
    // [outer, n, inner] -> [outer, |index|, inner]
    long outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= x.dim(i);
    }
    long inner = x.size() / (outer * n);
    try (MemoryWorkspace ws = scope(x.size() + outer * index.length * inner)) {
      INDArray x3 = toNd4j(x, outer, n, inner);
      INDArray y = Nd4j.exec(new Gather(x3, index.clone(), 1))[0];
      return toTensor(y, outShape);
    }
  }

  // ---------------------------------------------------------------- TTT

  @Override
  public TttScanResult tttScan(TttScanInput in) {
    return Nd4jTttScan.scan(in);
  }

  // ---------------------------------------------------------------- shared kernels

  /** {@code (x − mean) / sqrt(var + eps)} over the last dim (biased variance), into a new array. */
  static INDArray normalizeRows(INDArray x, double eps) {
    int last = x.rank() - 1;
    INDArray centered = x.sub(x.mean(true, last)); // [..., C]
    INDArray sigma = centered.mul(centered).mean(true, last).addi(eps); // [..., 1]
    return centered.divi(Transforms.sqrt(sigma, false));
  }

  /** GELU, tanh approximation, into a new array. */
  static INDArray gelu(INDArray x) {
    // ND4J's own GELU op is the sigmoid approximation x·σ(1.702x); compose the tanh form instead.
    INDArray t = x.mul(x).muli(GELU_A).addi(1).muli(x).muli(GELU_C); // √(2/π)(x + 0.044715x³)
    Transforms.tanh(t, false);
    return t.addi(1).muli(x).muli(0.5);
  }

  /**
   * The derivative of the tanh-approximated GELU: with {@code u = √(2/π)(x + 0.044715x³)} and
   * {@code t = tanh(u)}, {@code 0.5(1 + t) + 0.5x(1 − t²)√(2/π)(1 + 3·0.044715x²)}.
   */
  static INDArray geluDerivative(INDArray x) {
    INDArray x2 = x.mul(x);
    INDArray t = Transforms.tanh(x2.mul(GELU_A).addi(1).muli(x).muli(GELU_C), false);
    INDArray du = x2.muli(3 * GELU_A).addi(1).muli(GELU_C); // du/dx
    INDArray sech2 = t.mul(t).rsubi(1); // 1 − t²
    return sech2.muli(du).muli(x).addi(t).addi(1).muli(0.5);
  }

  private static void requireVector(Tensor v, int c, String op, String name, Tensor x) {
    if (v != null && (v.rank() != 1 || v.dim(0) != c)) {
      throw new IllegalArgumentException(
          op
              + ": "
              + name
              + " must be [C] = ["
              + c
              + "] (the last dim of x "
              + Arrays.toString(x.shape())
              + "), got "
              + Arrays.toString(v.shape()));
    }
  }
}
