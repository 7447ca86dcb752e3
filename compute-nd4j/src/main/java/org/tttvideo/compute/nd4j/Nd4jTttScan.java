package org.tttvideo.compute.nd4j;

import static org.tttvideo.compute.nd4j.Nd4jArrays.CYCLIC_WORKSPACE;
import static org.tttvideo.compute.nd4j.Nd4jArrays.toNd4j;
import static org.tttvideo.compute.nd4j.Nd4jArrays.toTensor;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttKind;
import org.tttvideo.model.compute.TttScanInput;
import org.tttvideo.model.compute.TttScanResult;
import org.tttvideo.model.compute.TttState;

/**
 * The TTT scan ({@code TTT_SPEC.md} §3) on ND4J, batched over every (batch, head) pair: all
 * products of one mini-batch are one batched matrix product over {@code N = B·H} matrices. The
 * weights are materialised after each mini-batch (the primal form); the plain per-token reference
 * is {@code org.tttvideo.model.ttt.TttReferenceScan}.
 *
 * <p>Legend: B = batch, H = heads, N = B·H, L = tokens, D = head dim, F = inner width, M =
 * mini-batch, S = L / M mini-batches.
 *
 * <pre>
 * TTT-Linear, per mini-batch (k, q, target = v − k: [N, M, D]; η: [N, M, 1]):
 *   z   = k W1 + b1                      g = ∂/∂z ½‖LN(z) − target‖²
 *   W1 ← W1 − kᵀ(η ⊙ g);  b1 ← b1 − Σ_M η ⊙ g
 *   out = q + LN(q W1 + b1)
 * TTT-MLP:
 *   z1 = k W1 + b1;  x2 = gelu(z1);  z2 = x2 W2 + b2;  g2 = ∂/∂z2 ½‖LN(z2) − target‖²
 *   g1 = (g2 W2ᵀ) ⊙ gelu′(z1)        (old W2)
 *   W1 ← W1 − kᵀ(η ⊙ g1);  b1 ← b1 − Σ_M η ⊙ g1;  W2 ← W2 − x2ᵀ(η ⊙ g2);  b2 ← b2 − Σ_M η ⊙ g2
 *   out = q + LN(gelu(q W1 + b1) W2 + b2)
 * </pre>
 */
final class Nd4jTttScan {
  /** Inner layer-norm epsilon: inside the root, biased variance. */
  static final double INNER_LN_EPS = 1e-8;

  private static final String OP = "tttScan";

  private static final String LOOP_WORKSPACE_ID = "tttvideo-nd4j-ttt-scan";

  /** Inner layer norm weight and bias, each {@code [N, 1, D]}. */
  private final INDArray lnWeight;

  private final INDArray lnBias;
  private final int headDim;

  private Nd4jTttScan(INDArray lnWeight, INDArray lnBias, int headDim) {
    this.lnWeight = lnWeight;
    this.lnBias = lnBias;
    this.headDim = headDim;
  }

  /** The scan of {@code in}, whose kind, shapes and mini-batch {@link TttScanInput} checked. */
  static TttScanResult scan(TttScanInput in) {
    TttKind kind = in.kind();
    TttState state = in.state();
    Tensor xq = in.xq();
    Tensor xk = in.xk();
    Tensor xv = in.xv();
    Tensor eta = in.eta();
    Tensor normWeight = in.normWeight();
    Tensor normBias = in.normBias();
    int miniBatch = in.miniBatch();
    int nb = state.batch();
    int nh = state.heads();
    int d = state.headDim();
    int f = state.innerWidth();
    int len = xq.dim(2);
    if (len == 0) {
      return new TttScanResult(Tensor.zeros(xq.shape()), state);
    }

    // The scan's own arrays (inputs, state, output) live outside any workspace a caller has open.
    try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      int n = nb * nh;
      int steps = len / miniBatch;
      // [B, H] -> [N]; norm parameters [H, D] broadcast over the batch: [1, H, 1, D] -> [N, 1, D]
      INDArray lnW = toNd4j(normWeight, 1, nh, 1, d).broadcast(nb, nh, 1, d).reshape(n, 1, d);
      INDArray lnB = toNd4j(normBias, 1, nh, 1, d).broadcast(nb, nh, 1, d).reshape(n, 1, d);
      Nd4jTttScan scan = new Nd4jTttScan(lnW, lnB, d);

      // Mini-batch-major copies, so that mini-batch s is the contiguous slice s: [S, N, M, D]
      INDArray q = miniBatchMajor(xq, n, steps, miniBatch, d);
      INDArray k = miniBatchMajor(xk, n, steps, miniBatch, d);
      INDArray target = miniBatchMajor(xv, n, steps, miniBatch, d).subi(k); // v − k
      // [N, S, M] -> [S, N, M] -> [S, N, M, 1]
      INDArray lr =
          toNd4j(eta, n, steps, miniBatch)
              .permute(1, 0, 2)
              .dup('c')
              .reshape(steps, n, miniBatch, 1);
      INDArray out = Nd4j.createUninitialized(q.dataType(), steps, n, miniBatch, d); // [S, N, M, D]

      // The state, copied: updated in place below.
      INDArray w1 = toNd4j(state.w1(), n, d, f); // [N, D, F]
      INDArray b1 = toNd4j(state.b1(), n, 1, f); // [N, 1, F]
      boolean mlp = kind == TttKind.MLP;
      INDArray w2 = mlp ? toNd4j(state.w2(), n, f, d) : null; // [N, F, D]
      INDArray b2 = mlp ? toNd4j(state.b2(), n, 1, d) : null; // [N, 1, D]

      // The temporaries of one mini-batch live in a workspace that is reset for the next one:
      // allocating them one by one costs more than the arithmetic at these sizes.
      MemoryWorkspace loop =
          Nd4j.getWorkspaceManager()
              .getWorkspaceForCurrentThread(CYCLIC_WORKSPACE, LOOP_WORKSPACE_ID);
      try {
        for (int s = 0; s < steps; s++) {
          try (MemoryWorkspace ignored = loop.notifyScopeEntered()) {
            INDArray qs = q.slice(s); // [N, M, D]
            INDArray ks = k.slice(s);
            INDArray ts = target.slice(s);
            INDArray lrs = lr.slice(s); // [N, M, 1]
            INDArray y;
            if (mlp) {
              y = scan.mlpStep(qs, ks, ts, lrs, w1, b1, w2, b2);
            } else {
              y = scan.linearStep(qs, ks, ts, lrs, w1, b1);
            }
            out.slice(s).assign(y);
          }
        }
      } finally {
        // Give the memory back: a scan's temporaries are sized by its B·H, which differs per call.
        loop.destroyWorkspace();
      }

      TttState next =
          new TttState(
              toTensor(w1, nb, nh, d, f),
              toTensor(b1, nb, nh, 1, f),
              mlp ? toTensor(w2, nb, nh, f, d) : null,
              mlp ? toTensor(b2, nb, nh, 1, d) : null);
      // [S, N, M, D] -> [N, S, M, D] = [B, H, L, D]
      return new TttScanResult(toTensor(out.permute(1, 0, 2, 3), xq.shape()), next);
    }
  }

  /** {@code x [B, H, L, D]} as {@code [S, N, M, D]} (a c-ordered copy). */
  private static INDArray miniBatchMajor(Tensor x, int n, int steps, int miniBatch, int d) {
    // [N, S, M, D] -> [S, N, M, D]
    return toNd4j(x, n, steps, miniBatch, d).permute(1, 0, 2, 3).dup('c');
  }

  /** One TTT-Linear mini-batch: updates {@code w1, b1} in place, returns the output [N, M, D]. */
  private INDArray linearStep(
      INDArray q, INDArray k, INDArray target, INDArray lr, INDArray w1, INDArray b1) {
    INDArray z = Nd4j.matmul(k, w1).addi(b1); // [N, M, D] @ [N, D, D] -> [N, M, D]
    INDArray g = lnL2Backward(z, target).muli(lr); // η ⊙ g, [N, M, D]
    w1.subi(Nd4j.matmul(k, g, true, false, false)); // [N, D, M] @ [N, M, D] -> [N, D, D]
    b1.subi(g.sum(true, 1)); // [N, 1, D]
    INDArray zq = Nd4j.matmul(q, w1).addi(b1); // [N, M, D]
    return layerNorm(zq).addi(q);
  }

  /**
   * One TTT-MLP mini-batch: updates {@code w1, b1, w2, b2} in place, returns the output [N, M, D].
   */
  private INDArray mlpStep(
      INDArray q,
      INDArray k,
      INDArray target,
      INDArray lr,
      INDArray w1,
      INDArray b1,
      INDArray w2,
      INDArray b2) {
    INDArray z1 = Nd4j.matmul(k, w1).addi(b1); // [N, M, D] @ [N, D, F] -> [N, M, F]
    INDArray x2 = Nd4jCompute.gelu(z1); // [N, M, F]
    INDArray z2 = Nd4j.matmul(x2, w2).addi(b2); // [N, M, F] @ [N, F, D] -> [N, M, D]
    INDArray g2 = lnL2Backward(z2, target); // [N, M, D]
    // with the old W2: [N, M, D] @ [N, D, F] -> [N, M, F]
    INDArray g1 = Nd4j.matmul(g2, w2, false, true, false).muli(Nd4jCompute.geluDerivative(z1));
    g1.muli(lr); // η ⊙ g1
    g2.muli(lr); // η ⊙ g2
    w1.subi(Nd4j.matmul(k, g1, true, false, false)); // [N, D, M] @ [N, M, F] -> [N, D, F]
    b1.subi(g1.sum(true, 1)); // [N, 1, F]
    w2.subi(Nd4j.matmul(x2, g2, true, false, false)); // [N, F, M] @ [N, M, D] -> [N, F, D]
    b2.subi(g2.sum(true, 1)); // [N, 1, D]
    INDArray hq = Nd4jCompute.gelu(Nd4j.matmul(q, w1).addi(b1)); // [N, M, F]
    INDArray zq = Nd4j.matmul(hq, w2).addi(b2); // [N, M, D]
    return layerNorm(zq).addi(q);
  }

  /** The inner layer norm {@code w ⊙ x̂ + b} of {@code z [N, M, D]}, into a new array. */
  private INDArray layerNorm(INDArray z) {
    return Nd4jCompute.normalizeRows(z, INNER_LN_EPS).muli(lnWeight).addi(lnBias);
  }

  /**
   * The gradient of {@code ½‖LN(z) − target‖²} with respect to {@code z [N, M, D]}, the layer-norm
   * backward written out: {@code γ = (LN(z) − target) ⊙ w}, {@code g = (D·γ − Σγ − x̂ ⊙ Σ(γ ⊙ x̂))
   * / (D·σ)}, sums over D.
   */
  private INDArray lnL2Backward(INDArray z, INDArray target) {
    INDArray centered = z.sub(z.mean(true, 2)); // [N, M, D]
    INDArray sigma = // sqrt(var + eps), [N, M, 1]
        Transforms.sqrt(centered.mul(centered).mean(true, 2).addi(INNER_LN_EPS), false);
    INDArray xHat = centered.divi(sigma); // [N, M, D]
    INDArray gamma = xHat.mul(lnWeight).addi(lnBias).subi(target).muli(lnWeight); // [N, M, D]
    INDArray sumGamma = gamma.sum(true, 2); // [N, M, 1]
    INDArray sumGammaXHat = gamma.mul(xHat).sum(true, 2); // [N, M, 1]
    return gamma
        .muli(headDim)
        .subi(sumGamma)
        .subi(xHat.muli(sumGammaXHat))
        .divi(sigma.muli(headDim));
  }
}
