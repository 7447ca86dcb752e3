package org.tttvideo.model.compute;

import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * A {@link Compute} that forwards every operation to another, for wrappers that change one
 * operation or observe all of them: a profiler overrides {@link #call}, which every operation goes
 * through with its name; a test backend overrides the one operation it changes. Closing it does not
 * close the delegate: whoever created the delegate closes it.
 *
 * <pre>{@code
 * Compute counted = new ForwardingCompute(vector) {
 *   @Override
 *   protected <T> T call(String op, Supplier<T> body) {
 *     calls.merge(op, 1, Integer::sum);
 *     return body.get();
 *   }
 * };
 * }</pre>
 */
public abstract class ForwardingCompute implements Compute {
  private final Compute delegate;

  protected ForwardingCompute(Compute delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The backend the operations go to. */
  protected final Compute delegate() {
    return delegate;
  }

  /**
   * Runs operation {@code op} ("linear" for {@link #linear} and {@link #linearBound}, else the
   * method's name); the default just runs it.
   */
  protected <T> T call(String op, Supplier<T> body) {
    return body.get();
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public String device() {
    return delegate.device();
  }

  @Override
  public Tensor linear(Tensor x, Tensor w, Tensor b) {
    return call("linear", () -> delegate.linear(x, w, b));
  }

  @Override
  public Tensor linearBound(Tensor x, LinearWeight w) {
    return call("linear", () -> delegate.linearBound(x, w));
  }

  @Override
  public Tensor matmul(Tensor a, Tensor b, boolean transposeB) {
    return call("matmul", () -> delegate.matmul(a, b, transposeB));
  }

  @Override
  public Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
    return call("layerNorm", () -> delegate.layerNorm(x, weight, bias, eps));
  }

  @Override
  public Tensor l2Normalize(Tensor x, float eps) {
    return call("l2Normalize", () -> delegate.l2Normalize(x, eps));
  }

  @Override
  public Tensor standardize(Tensor x, float eps) {
    return call("standardize", () -> delegate.standardize(x, eps));
  }

  @Override
  public Tensor softmax(Tensor x) {
    return call("softmax", () -> delegate.softmax(x));
  }

  @Override
  public Tensor gelu(Tensor x) {
    return call("gelu", () -> delegate.gelu(x));
  }

  @Override
  public Tensor tanh(Tensor x) {
    return call("tanh", () -> delegate.tanh(x));
  }

  @Override
  public Tensor sigmoid(Tensor x) {
    return call("sigmoid", () -> delegate.sigmoid(x));
  }

  @Override
  public Tensor add(Tensor a, Tensor b) {
    return call("add", () -> delegate.add(a, b));
  }

  @Override
  public Tensor sub(Tensor a, Tensor b) {
    return call("sub", () -> delegate.sub(a, b));
  }

  @Override
  public Tensor mul(Tensor a, Tensor b) {
    return call("mul", () -> delegate.mul(a, b));
  }

  @Override
  public Tensor scale(Tensor a, float s) {
    return call("scale", () -> delegate.scale(a, s));
  }

  @Override
  public Tensor permute(Tensor x, int... axes) {
    return call("permute", () -> delegate.permute(x, axes));
  }

  @Override
  public Tensor gather(Tensor x, int axis, int[] index) {
    return call("gather", () -> delegate.gather(x, axis, index));
  }

  @Override
  public TttScanResult tttScan(TttScanInput in) {
    return call("tttScan", () -> delegate.tttScan(in));
  }

  @Override
  public void forEachTask(int n, double totalFlops, IntConsumer body) {
    call(
        "forEachTask",
        () -> {
          delegate.forEachTask(n, totalFlops, body);
          return null;
        });
  }
}
