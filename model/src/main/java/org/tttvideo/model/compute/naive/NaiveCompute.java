package org.tttvideo.model.compute.naive;

import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttScanInput;
import org.tttvideo.model.compute.TttScanResult;
import org.tttvideo.model.ttt.TttReferenceScan;

/**
 * The reference {@link Compute}: obvious single-threaded loops that follow the interface's
 * definitions line by line, and the per-mini-batch TTT scan of {@link TttReferenceScan}. It is slow
 * on purpose and has no tricks (no blocking, no vectors, no threads), so it is easy to check by
 * reading. Sums and normalisations run in double and are rounded to float once, so each result is
 * within half an ulp and a fast float backend is measured against it, not against a second source
 * of round-off. Every backend's contract test ({@code ComputeContractTest}) compares against it,
 * and the model's own tests run on it to stay independent of the fast backends.
 *
 * <p>Selectable as the backend {@value #NAME} (for debugging a fast backend on a tiny preset); far
 * too slow for real sizes.
 */
public final class NaiveCompute implements Compute {

  /** The configuration name of this backend. */
  public static final String NAME = "naive";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Tensor linear(Tensor x, Tensor w, Tensor b) {
    int in = w.dim(1);
    int out = w.dim(0);
    if (x.dim(-1) != in) {
      throw new IllegalArgumentException("linear: " + x + " with " + w);
    }
    int rows = x.size() / in;
    float[] y = new float[rows * out];
    float[] xd = x.data();
    float[] wd = w.data();
    for (int r = 0; r < rows; r++) {
      for (int o = 0; o < out; o++) {
        double s = b == null ? 0 : b.get(o);
        for (int i = 0; i < in; i++) {
          s += (double) xd[r * in + i] * wd[o * in + i];
        }
        y[r * out + o] = (float) s;
      }
    }
    int[] shape = x.shape();
    shape[shape.length - 1] = out;
    return Tensor.of(y, shape);
  }

  @Override
  public Tensor matmul(Tensor a, Tensor b, boolean transposeB) {
    int m = a.dim(-2);
    int k = a.dim(-1);
    int n = transposeB ? b.dim(-2) : b.dim(-1);
    int batches = a.size() / (m * k);
    boolean shared = b.rank() == 2 && a.rank() > 2;
    float[] out = new float[batches * m * n];
    for (int bt = 0; bt < batches; bt++) {
      int ab = bt * m * k;
      int bb = shared ? 0 : bt * k * n;
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int p = 0; p < k; p++) {
            float bv = transposeB ? b.get(bb + j * k + p) : b.get(bb + p * n + j);
            s += (double) a.get(ab + i * k + p) * bv;
          }
          out[bt * m * n + i * n + j] = (float) s;
        }
      }
    }
    int[] shape = a.shape();
    shape[shape.length - 1] = n;
    return Tensor.of(out, shape);
  }

  @Override
  public Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
    int c = x.dim(-1);
    float[] out = new float[x.size()];
    for (int r = 0; r < x.rows(); r++) {
      double mean = 0;
      for (int i = 0; i < c; i++) {
        mean += x.get(r * c + i);
      }
      mean /= c;
      double var = 0;
      for (int i = 0; i < c; i++) {
        double d = x.get(r * c + i) - mean;
        var += d * d;
      }
      var /= c;
      double inv = 1.0 / Math.sqrt(var + eps);
      for (int i = 0; i < c; i++) {
        double v = (x.get(r * c + i) - mean) * inv;
        out[r * c + i] =
            (float) (v * (weight == null ? 1 : weight.get(i)) + (bias == null ? 0 : bias.get(i)));
      }
    }
    return Tensor.of(out, x.shape());
  }

  @Override
  public Tensor l2Normalize(Tensor x, float eps) {
    int c = x.dim(-1);
    float[] out = new float[x.size()];
    for (int r = 0; r < x.rows(); r++) {
      double s = 0;
      for (int i = 0; i < c; i++) {
        s += (double) x.get(r * c + i) * x.get(r * c + i);
      }
      double n = Math.max(Math.sqrt(s), eps);
      for (int i = 0; i < c; i++) {
        out[r * c + i] = (float) (x.get(r * c + i) / n);
      }
    }
    return Tensor.of(out, x.shape());
  }

  @Override
  public Tensor standardize(Tensor x, float eps) {
    int c = x.dim(-1);
    float[] out = new float[x.size()];
    for (int r = 0; r < x.rows(); r++) {
      double mean = 0;
      for (int i = 0; i < c; i++) {
        mean += x.get(r * c + i);
      }
      mean /= c;
      double var = 0;
      for (int i = 0; i < c; i++) {
        double d = x.get(r * c + i) - mean;
        var += d * d;
      }
      double std = Math.sqrt(var / (c - 1));
      for (int i = 0; i < c; i++) {
        out[r * c + i] = (float) ((x.get(r * c + i) - mean) / (std + eps));
      }
    }
    return Tensor.of(out, x.shape());
  }

  @Override
  public Tensor softmax(Tensor x) {
    int c = x.dim(-1);
    float[] out = new float[x.size()];
    for (int r = 0; r < x.rows(); r++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < c; i++) {
        max = Math.max(max, x.get(r * c + i));
      }
      double sum = 0;
      for (int i = 0; i < c; i++) {
        sum += Math.exp(x.get(r * c + i) - max);
      }
      for (int i = 0; i < c; i++) {
        out[r * c + i] = (float) (Math.exp(x.get(r * c + i) - max) / sum);
      }
    }
    return Tensor.of(out, x.shape());
  }

  private interface Fn {
    double apply(double v);
  }

  private static Tensor map(Tensor x, Fn f) {
    float[] out = new float[x.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) f.apply(x.get(i));
    }
    return Tensor.of(out, x.shape());
  }

  @Override
  public Tensor gelu(Tensor x) {
    return map(x, TttReferenceScan::gelu);
  }

  @Override
  public Tensor tanh(Tensor x) {
    return map(x, Math::tanh);
  }

  @Override
  public Tensor sigmoid(Tensor x) {
    return map(x, v -> 1.0 / (1.0 + Math.exp(-v)));
  }

  private interface Op {
    float apply(float a, float b);
  }

  private static Tensor broadcast(Tensor a, Tensor b, Op op) {
    int[] as = a.shape();
    int[] bs = b.shape();
    int off = as.length - bs.length;
    if (off < 0) {
      throw new IllegalArgumentException("broadcast: " + a + " with " + b);
    }
    for (int i = 0; i < bs.length; i++) {
      if (bs[i] != 1 && bs[i] != as[off + i]) {
        throw new IllegalArgumentException("broadcast: " + a + " with " + b);
      }
    }
    float[] out = new float[a.size()];
    int[] idx = new int[as.length];
    for (int flat = 0; flat < out.length; flat++) {
      int bi = 0;
      for (int i = 0; i < bs.length; i++) {
        bi = bi * bs[i] + (bs[i] == 1 ? 0 : idx[off + i]);
      }
      out[flat] = op.apply(a.get(flat), b.get(bi));
      for (int d = as.length - 1; d >= 0; d--) {
        if (++idx[d] < as[d]) {
          break;
        }
        idx[d] = 0;
      }
    }
    return Tensor.of(out, as);
  }

  @Override
  public Tensor add(Tensor a, Tensor b) {
    return broadcast(a, b, Float::sum);
  }

  @Override
  public Tensor sub(Tensor a, Tensor b) {
    return broadcast(a, b, (x, y) -> x - y);
  }

  @Override
  public Tensor mul(Tensor a, Tensor b) {
    return broadcast(a, b, (x, y) -> x * y);
  }

  @Override
  public Tensor scale(Tensor a, float s) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i) * s;
    }
    return Tensor.of(out, a.shape());
  }

  @Override
  public Tensor permute(Tensor x, int... axes) {
    int[] s = x.shape();
    int[] os = new int[s.length];
    for (int i = 0; i < s.length; i++) {
      os[i] = s[axes[i]];
    }
    int[] stride = new int[s.length];
    int st = 1;
    for (int i = s.length - 1; i >= 0; i--) {
      stride[i] = st;
      st *= s[i];
    }
    float[] out = new float[x.size()];
    int[] idx = new int[s.length];
    for (int flat = 0; flat < out.length; flat++) {
      int src = 0;
      for (int i = 0; i < s.length; i++) {
        src += idx[i] * stride[axes[i]];
      }
      out[flat] = x.get(src);
      for (int d = s.length - 1; d >= 0; d--) {
        if (++idx[d] < os[d]) {
          break;
        }
        idx[d] = 0;
      }
    }
    return Tensor.of(out, os);
  }

  @Override
  public Tensor gather(Tensor x, int axis, int[] index) {
    int[] s = x.shape();
    int outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= s[i];
    }
    int inner = 1;
    for (int i = axis + 1; i < s.length; i++) {
      inner *= s[i];
    }
    float[] out = new float[outer * index.length * inner];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < index.length; i++) {
        System.arraycopy(
            x.data(), (o * s[axis] + index[i]) * inner, out, (o * index.length + i) * inner, inner);
      }
    }
    int[] os = s.clone();
    os[axis] = index.length;
    return Tensor.of(out, os);
  }

  @Override
  public TttScanResult tttScan(TttScanInput in) {
    return TttReferenceScan.scan(in);
  }
}
