package org.tttvideo.model.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.naive.NaiveCompute;
import org.tttvideo.model.compute.vector.VectorCompute;

/**
 * The vector convolution kernel ({@link Conv3dKernel}, behind {@link Conv3d#apply}) against the
 * plain loop {@link Conv3d#reference}, on random weights and inputs of shapes chosen to hit the
 * kernel's edges: channel counts that are not multiples of its 4-channel blocks, frames narrower
 * and wider than its position blocks, 1x1x1, 3x3 and 3x3x3 kernels, and input frames spread over
 * two arrays at offsets (a causal convolution's cached frames, then the chunk's).
 */
class Conv3dTest {
  private static final float TOLERANCE = 1e-5f;

  /** Input frames for a convolution: {@code before} frames in one array, the rest in another. */
  private record Input(float[][] data, int[] offset) {
    static Input random(Random rnd, int frames, int before, int h, int w, int cin) {
      int size = h * w * cin;
      // Each part starts one frame into its array, so that offsets matter.
      float[] a = gaussian(rnd, (before + 1) * size);
      float[] b = gaussian(rnd, (frames - before + 1) * size);
      float[][] data = new float[frames][];
      int[] offset = new int[frames];
      for (int j = 0; j < frames; j++) {
        data[j] = j < before ? a : b;
        offset[j] = (j < before ? j + 1 : j - before + 1) * size;
      }
      return new Input(data, offset);
    }
  }

  private static float[] gaussian(Random rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }

  private static Conv3d conv(Random rnd, int cin, int cout, int kt, int kh, int kw) {
    float[] w = gaussian(rnd, cout * cin * kt * kh * kw);
    for (int i = 0; i < w.length; i++) {
      w[i] *= (float) (1 / Math.sqrt(cin * kt * kh * kw));
    }
    return new Conv3d("c", cin, cout, kt, kh, kw, w, gaussian(rnd, cout));
  }

  private static float maxAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    float m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  /** {cin, cout, kt, kh, kw, output frames, cached frames, h, w}. */
  private static final int[][] SHAPES = {
    {5, 3, 3, 3, 3, 3, 2, 7, 9}, // odd channels, a causal 3x3x3 with its cache
    {5, 3, 3, 3, 3, 2, 0, 7, 9}, // the same without a cache
    {5, 3, 1, 1, 1, 2, 0, 6, 11}, // 1x1x1
    {7, 9, 1, 3, 3, 3, 0, 5, 13}, // a 2D 3x3 convolution per frame, cout past two blocks
    {8, 8, 3, 3, 3, 2, 2, 13, 70}, // several position blocks per row, rows split into tasks
    {3, 16, 3, 3, 3, 1, 2, 40, 3}, // a frame narrower than a vector
    {1, 1, 3, 3, 3, 2, 1, 1, 1}, // one pixel
    {16, 5, 3, 1, 1, 2, 2, 4, 4}, // temporal only
  };

  @Test
  void theKernelEqualsThePlainLoop() {
    Random rnd = new Random(7);
    try (Compute two = new VectorCompute(2)) {
      for (int[] s : SHAPES) {
        Conv3d c = conv(rnd, s[0], s[1], s[2], s[3], s[4]);
        assertThat(c.vectorKernel()).isTrue();
        Input in = Input.random(rnd, s[5] + s[2] - 1, s[6], s[7], s[8], s[0]);
        float[] ref = c.reference(in.data(), in.offset(), s[5], s[7], s[8]);
        float[] one = c.apply(new NaiveCompute(), in.data(), in.offset(), s[5], s[7], s[8]);
        float[] par = c.apply(two, in.data(), in.offset(), s[5], s[7], s[8]);
        assertThat(maxAbsDiff(one, ref)).as(Arrays.toString(s)).isLessThan(TOLERANCE);
        // Every output element is one fixed sequence of operations, whatever the thread count.
        assertThat(par).as(Arrays.toString(s)).containsExactly(one);
      }
    }
  }

  /** The comparison above would see a single weight off by 1e-3. */
  @Test
  void aPerturbedWeightIsSeen() {
    Random rnd = new Random(11);
    int cin = 5;
    int cout = 3;
    float[] w = gaussian(rnd, cout * cin * 27);
    float[] b = gaussian(rnd, cout);
    Conv3d c = new Conv3d("c", cin, cout, 3, 3, 3, w, b);
    float[] w2 = w.clone();
    w2[cout * cin * 27 - 14] += 1e-3f; // the last output channel, the centre tap
    Conv3d perturbed = new Conv3d("c", cin, cout, 3, 3, 3, w2, b);
    Input in = Input.random(rnd, 4, 2, 6, 8, cin);
    float[] ref = c.reference(in.data(), in.offset(), 2, 6, 8);
    float[] got = perturbed.apply(new NaiveCompute(), in.data(), in.offset(), 2, 6, 8);
    assertThat(maxAbsDiff(got, ref)).isGreaterThan(1e-4f);
  }

  @Test
  void rejectsTooFewFramesAndEvenKernels() {
    Random rnd = new Random(3);
    Conv3d c = conv(rnd, 2, 2, 3, 3, 3);
    Input in = Input.random(rnd, 3, 0, 4, 4, 2);
    assertThatThrownBy(() -> c.apply(new NaiveCompute(), in.data(), in.offset(), 2, 4, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("convolution 'c' needs 4 input frames for 2, got 3");
    assertThatThrownBy(() -> new Conv3d("e", 1, 1, 1, 2, 2, new float[4], new float[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("convolution 'e' needs odd spatial kernel sizes, got 2x2");
  }
}
