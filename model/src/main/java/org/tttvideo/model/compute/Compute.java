package org.tttvideo.model.compute;

import java.util.function.IntConsumer;

/**
 * The small set of tensor operations the model is written against. Implementations are chosen by
 * configuration (see {@link ComputeBackends}); every implementation passes the same reference
 * tensors.
 *
 * <p>Conventions, for every method:
 *
 * <ul>
 *   <li>Inputs are never modified; every result is a new tensor.
 *   <li>"Last dim" operations treat the tensor as rows of its last dimension.
 *   <li>Linear layers use the {@code [out, in]} weight layout: {@code y = x Wᵀ + b}.
 *   <li>Element-wise binary operations broadcast {@code b} against {@code a}: shapes are aligned on
 *       the right, every dimension of {@code b} equals that of {@code a} or is 1, and {@code b} may
 *       have fewer dimensions. The result has {@code a}'s shape.
 * </ul>
 *
 * <p>Legend used in shape comments: B = batch, H = heads, L = tokens, D = head dim, F = TTT inner
 * width, M = TTT mini-batch, C = channels.
 */
public interface Compute extends AutoCloseable {

  /** Short stable name used in configuration and benchmark output ("vector", "nd4j"). */
  String name();

  /** Where this backend computes, for logs: "cpu", or the accelerator it is bound to. */
  default String device() {
    return "cpu";
  }

  // ---------------------------------------------------------------- products

  /** {@code x [..., in] @ wᵀ [in, out] + b [out] -> [..., out]}; {@code b} may be null. */
  Tensor linear(Tensor x, Tensor w, Tensor b);

  /**
   * {@code x [..., in] @ wᵀ [in, out] + b [out] -> [..., out]} for weights bound once at load. The
   * result equals {@link #linear} on {@code w.weight()} and {@code w.bias()} bit for bit; a backend
   * overrides this only to reuse what the binding keeps (the vector backend takes the transposed
   * matrix made once instead of transposing on every call).
   */
  default Tensor linearBound(Tensor x, LinearWeight w) {
    return linear(x, w.weight(), w.bias());
  }

  /**
   * Batched matrix product {@code a [..., M, K] @ b [..., K, N] -> [..., M, N]}; with {@code
   * transposeB}, {@code b} is given as {@code [..., N, K]}. The leading dimensions of {@code a} and
   * {@code b} are equal, or {@code b} is a single matrix shared by every batch entry of {@code a}.
   */
  Tensor matmul(Tensor a, Tensor b, boolean transposeB);

  // ---------------------------------------------------------------- last-dim normalisations

  /**
   * Layer norm over the last dim: {@code (x − mean) / sqrt(var + eps) ⊙ weight + bias} with the
   * biased variance; {@code weight} and {@code bias} are {@code [C]}, or null for 1 and 0.
   */
  Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps);

  /** {@code v / max(‖v‖₂, eps)} over the last dim. */
  Tensor l2Normalize(Tensor x, float eps);

  /**
   * {@code (x − mean) / (std + eps)} over the last dim, with the <b>unbiased</b> standard deviation
   * and eps outside the root (the TTT reconstruction target, {@code TTT_SPEC.md} §2.4).
   */
  Tensor standardize(Tensor x, float eps);

  /** Softmax over the last dim (max-subtracted). */
  Tensor softmax(Tensor x);

  // ---------------------------------------------------------------- element-wise

  /** GELU, tanh approximation: {@code 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))}. */
  Tensor gelu(Tensor x);

  Tensor tanh(Tensor x);

  Tensor sigmoid(Tensor x);

  /** {@code a + b}, {@code b} broadcast (see the class comment). */
  Tensor add(Tensor a, Tensor b);

  /** {@code a − b}, {@code b} broadcast. */
  Tensor sub(Tensor a, Tensor b);

  /** {@code a ⊙ b}, {@code b} broadcast. */
  Tensor mul(Tensor a, Tensor b);

  /** {@code s · a}. */
  Tensor scale(Tensor a, float s);

  // ---------------------------------------------------------------- layout

  /** Permutes dimensions: result dim {@code i} is input dim {@code axes[i]}. */
  Tensor permute(Tensor x, int... axes);

  /**
   * Gathers slices along {@code axis}: result slice {@code i} is input slice {@code index[i]}. Used
   * to reorder tokens (interleaving text and video, reversing a direction) in one pass.
   */
  Tensor gather(Tensor x, int axis, int[] index);

  // ---------------------------------------------------------------- TTT

  /**
   * The TTT scan over mini-batches ({@code TTT_SPEC.md} §3): from {@code in.state()}, for each
   * mini-batch of {@code in.miniBatch()} tokens, take one gradient step of the inner model on the
   * reconstruction loss and read the queries through the updated weights. The inputs and their
   * shapes are in {@link TttScanInput}, which checks them.
   *
   * @return the output {@code [B, H, L, D]} and the state after the last mini-batch
   */
  TttScanResult tttScan(TttScanInput in);

  // ---------------------------------------------------------------- threads

  /**
   * Runs {@code body} for every task index in {@code [0, n)}, on this backend's threads where it
   * has some and {@code totalFlops} (an estimate of all the tasks' work together) makes it worth
   * it; the default runs them in order on the calling thread. For kernels outside the backend (the
   * VAE decoder's convolutions) that should use the threads the backend was configured with rather
   * than a pool of their own. Tasks must be independent, each writing outputs of its own; it
   * returns when all have run, and rethrows the first failure.
   */
  default void forEachTask(int n, double totalFlops, IntConsumer body) {
    for (int i = 0; i < n; i++) {
      body.accept(i);
    }
  }

  /** Releases threads or native resources. */
  @Override
  default void close() {}
}
