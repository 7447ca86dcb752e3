package org.tttvideo.model.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.Comparison;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.Tolerance;
import org.tttvideo.model.compute.naive.NaiveCompute;

/**
 * The sampler against values computed independently in float64 with numpy by {@code
 * tools/dit/ddim_reference.py} from the formulas of diffusers' {@code CogVideoXDDIMScheduler}
 * (CogVideoX-5B's configuration) and the reference's dynamic guidance. To regenerate the resource:
 * {@code python3 tools/dit/ddim_reference.py > model/src/test/resources/dit/ddim_reference.json}
 * (Debian: {@code apt-get install python3-numpy}).
 */
class DdimSamplerTest {
  private static JsonNode reference() throws IOException {
    try (InputStream in = DdimSamplerTest.class.getResourceAsStream("/dit/ddim_reference.json")) {
      assertThat(in).as("test resource dit/ddim_reference.json").isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }

  @Test
  void noiseScheduleMatchesReference() throws IOException {
    JsonNode ref = reference().get("alphas_cumprod_at");
    Iterator<Map.Entry<String, JsonNode>> it = ref.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      int t = Integer.parseInt(e.getKey());
      assertThat(DdimSampler.alphaCumprod(t))
          .as("alphas_cumprod[" + t + "]")
          .isCloseTo(e.getValue().asDouble(), org.assertj.core.data.Offset.offset(1e-12));
    }
    assertThat(DdimSampler.alphaCumprod(999)).isEqualTo(0.0); // zero terminal SNR
  }

  @Test
  void trailingTimestepsMatchReference() throws IOException {
    JsonNode ref = reference().get("timesteps");
    for (String n : new String[] {"1", "7", "12", "50"}) {
      int[] expected = new int[ref.get(n).size()];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = ref.get(n).get(i).asInt();
      }
      DdimSampler s = new DdimSampler(Integer.parseInt(n), 6, 5);
      assertThat(s.timesteps()).as("n=" + n).containsExactly(expected);
    }
  }

  @Test
  void dynamicGuidanceRisesFromOneTowardsSeven() throws IOException {
    JsonNode ref = reference().get("guidance_50");
    DdimSampler s = new DdimSampler(50, 6, 5);
    for (int i = 0; i < 50; i++) {
      assertThat(s.guidanceScale(i))
          .isCloseTo(ref.get(i).asDouble(), org.assertj.core.data.Offset.offset(1e-12));
    }
    assertThat(s.guidanceScale(0)).isEqualTo(1.0);
    assertThat(s.guidanceScale(49)).isBetween(6.5, 7.0);
  }

  @Test
  void guidedDdimTrajectoryMatchesReference() throws IOException {
    JsonNode traj = reference().get("trajectory");
    int n = traj.get("steps").asInt();
    Compute c = new NaiveCompute();
    DdimSampler s = new DdimSampler(n, 6, 5);
    int len = traj.get("x_init").size();
    float[] x0 = new float[len];
    for (int k = 0; k < len; k++) {
      x0[k] = (float) traj.get("x_init").get(k).asDouble();
    }
    Tensor x = Tensor.of(x0, len);
    for (int i = 0; i < n; i++) {
      int t = s.timestep(i);
      float[] vu = new float[len];
      float[] vc = new float[len];
      for (int k = 0; k < len; k++) {
        vu[k] = (float) (0.3 * x.get(k) + 0.1 * Math.cos(k + i));
        vc[k] = (float) (-0.2 * x.get(k) + 0.05 * Math.sin(0.5 * k + t / 100.0));
      }
      Tensor v = s.guide(c, Tensor.of(vu, len), Tensor.of(vc, len), i);
      x = s.step(c, i, v, x);
      double[] expected = new double[len];
      for (int k = 0; k < len; k++) {
        expected[k] = traj.get("x").get(i).get(k).asDouble();
      }
      Comparison cmp = Comparison.of(x.data(), expected, Tolerance.rtol(1e-5).atol(1e-5));
      assertThat(cmp.passed()).as("step " + i + ": " + cmp).isTrue();
    }
  }

  @Test
  void noiseIsDeterministicInTheGenerator() {
    Tensor a = DdimSampler.noise(new Random(3), 2, 5);
    Tensor b = DdimSampler.noise(new Random(3), 2, 5);
    assertThat(a.bitEquals(b)).isTrue();
    assertThat(a.bitEquals(DdimSampler.noise(new Random(4), 2, 5))).isFalse();
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> new DdimSampler(0, 6, 5))
        .hasMessage("steps must be in 1..1000, got 0");
    assertThatThrownBy(() -> new DdimSampler(50, -1, 5))
        .hasMessageContaining("guidance scale must be >= 0");
  }
}
