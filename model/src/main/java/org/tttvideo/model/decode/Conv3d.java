package org.tttvideo.model.decode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tttvideo.model.compute.Compute;

/**
 * One convolution of {@link CausalVaeDecoder}: stride 1, zero padding of (k − 1) / 2 in space and
 * none in time, over a sequence of frames given one by one, so that a causal convolution can read
 * its cached frames and the chunk's without joining them. A 2D convolution is the case kt = 1.
 *
 * <p>{@link #apply} runs {@link Conv3dKernel} (Vector API) when the JVM has the Vector API module,
 * and otherwise {@link #reference}, the plain loop that the kernel is tested against.
 *
 * <p>Legend: T = output frames, H x W = frame size, C_in / C_out = channels, kt x kh x kw = kernel
 * size; frames are channels first, {@code [C, H, W]}.
 */
final class Conv3d {
  private static final Logger LOG = LoggerFactory.getLogger(Conv3d.class);
  private static final boolean VECTOR_API = vectorApi();

  final String name;
  final int cin;
  final int cout;
  final int kt;
  final int kh;
  final int kw;

  /** [C_out, C_in, kt, kh, kw], the checkpoint's layout. */
  private final float[] weight;

  /** [C_out]. */
  private final float[] bias;

  /** The weights packed for the vector kernel; null without the Vector API module. */
  private final Conv3dKernel kernel;

  /**
   * @param weight [C_out, C_in, kt, kh, kw] (a 2D convolution's [C_out, C_in, kh, kw] is the same
   *     array with kt = 1)
   * @param bias [C_out]
   */
  Conv3d(String name, int cin, int cout, int kt, int kh, int kw, float[] weight, float[] bias) {
    if (kh % 2 == 0 || kw % 2 == 0) {
      throw new IllegalArgumentException(
          "convolution '" + name + "' needs odd spatial kernel sizes, got " + kh + "x" + kw);
    }
    if (weight.length != cout * cin * kt * kh * kw || bias.length != cout) {
      throw new IllegalArgumentException(
          "convolution '"
              + name
              + "' has "
              + weight.length
              + " weights and "
              + bias.length
              + " biases for ["
              + cout
              + ", "
              + cin
              + ", "
              + kt
              + ", "
              + kh
              + ", "
              + kw
              + "]");
    }
    this.name = name;
    this.cin = cin;
    this.cout = cout;
    this.kt = kt;
    this.kh = kh;
    this.kw = kw;
    this.weight = weight;
    this.bias = bias;
    this.kernel = VECTOR_API ? new Conv3dKernel(cin, cout, kt, kh, kw, weight, bias) : null;
  }

  private static boolean vectorApi() {
    try {
      Class.forName("jdk.incubator.vector.FloatVector", false, Conv3d.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      LOG.warn(
          "the VAE decoder's convolutions run as plain loops, far slower than its vector"
              + " kernel: this JVM was started without --add-modules jdk.incubator.vector");
      return false;
    }
  }

  /**
   * Output frame t reads input frames t .. t + kt − 1; input frame j is {@code data[j]} from {@code
   * offset[j]}, [C_in, H, W].
   *
   * @param c runs the tasks (frames and row blocks) on its threads
   * @return [T, C_out, H, W]
   */
  float[] apply(Compute c, float[][] data, int[] offset, int frames, int h, int w) {
    check(data, offset, frames, h, w);
    return kernel != null
        ? kernel.apply(c, data, offset, frames, h, w)
        : reference(data, offset, frames, h, w);
  }

  /** Whether {@link #apply} runs the vector kernel (the JVM has the Vector API module). */
  boolean vectorKernel() {
    return kernel != null;
  }

  private void check(float[][] data, int[] offset, int frames, int h, int w) {
    int n = frames + kt - 1;
    if (data.length < n || offset.length < n) {
      throw new IllegalArgumentException(
          "convolution '"
              + name
              + "' needs "
              + n
              + " input frames for "
              + frames
              + ", got "
              + data.length);
    }
    for (int j = 0; j < n; j++) {
      if (offset[j] < 0 || offset[j] + h * w * cin > data[j].length) {
        throw new IllegalArgumentException(
            "convolution '"
                + name
                + "': input frame "
                + j
                + " of "
                + h
                + "x"
                + w
                + "x"
                + cin
                + " at "
                + offset[j]
                + " overruns its array of "
                + data[j].length);
      }
    }
  }

  /** The convolution as written: one sum per output element, in double. */
  float[] reference(float[][] data, int[] offset, int frames, int h, int w) {
    int ph = (kh - 1) / 2;
    int pw = (kw - 1) / 2;
    float[] out = new float[frames * h * w * cout];
    for (int t = 0; t < frames; t++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int o = 0; o < cout; o++) {
            double s = bias[o];
            for (int i = 0; i < cin; i++) {
              for (int dt = 0; dt < kt; dt++) {
                for (int dy = 0; dy < kh; dy++) {
                  int sy = y + dy - ph;
                  for (int dx = 0; dx < kw; dx++) {
                    int sx = x + dx - pw;
                    if (sy >= 0 && sy < h && sx >= 0 && sx < w) {
                      float v = data[t + dt][offset[t + dt] + (i * h + sy) * w + sx];
                      s += (double) weight[(((o * cin + i) * kt + dt) * kh + dy) * kw + dx] * v;
                    }
                  }
                }
              }
            }
            out[((t * cout + o) * h + y) * w + x] = (float) s;
          }
        }
      }
    }
    return out;
  }
}
