package org.tttvideo.model.ttt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ComputeBackends;
import org.tttvideo.model.testutils.SharedTestData;
import org.tttvideo.model.weights.DType;
import org.tttvideo.model.weights.SafetensorsFile;
import org.tttvideo.model.weights.SafetensorsWriter;

/** Every shared TTT reference file passes on every backend; a perturbed copy fails. */
class TttVectorCheckTest {

  private static final List<String> REFERENCE_FILES =
      List.of(
          "bidir_linear_b1_h2_w16_c3_t4_v4_m4.safetensors",
          "bidir_mlp_b1_h2_w16_c2_t4_v12_m4.safetensors",
          "layer_linear_b1_h2_w16_l16_m4.safetensors",
          "layer_mlp_b2_h2_w16_l16_m4.safetensors",
          "scan_linear_b2_h2_d8_l12_m4.safetensors",
          "scan_mlp_b2_h2_d8_l12_m4.safetensors");

  private static Path referenceDir() {
    return SharedTestData.resolve("testdata/ttt");
  }

  // nd4j: compute-nd4j's TttOnNd4jTest
  @ParameterizedTest
  @ValueSource(strings = {"vector", "naive"})
  void everyReferenceFilePassesThroughTheCommand(String backend) throws IOException {
    checkCommand(backend);
  }

  /**
   * The body of {@link #everyReferenceFilePassesThroughTheCommand}, also run on other backends by
   * their modules.
   */
  static void checkCommand(String backend) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code;
    try (Compute c = ComputeBackends.create(backend);
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      code = TttVectorCheck.run(referenceDir(), c, out);
    }
    List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).as("output on %s", backend).hasSize(REFERENCE_FILES.size() + 1);
    for (int i = 0; i < REFERENCE_FILES.size(); i++) {
      assertThat(lines.get(i)).startsWith(REFERENCE_FILES.get(i) + ": ok max_abs_diff=");
    }
    assertThat(lines.get(lines.size() - 1)).isEqualTo(REFERENCE_FILES.size() + " passed, 0 failed");
    assertThat(code).isZero();
  }

  // nd4j: compute-nd4j's TttOnNd4jTest
  @ParameterizedTest
  @ValueSource(strings = {"vector", "naive"})
  void everyReferenceFilePassesThroughTheCheckApi(String backend) throws IOException {
    checkApi(backend);
  }

  /**
   * The body of {@link #everyReferenceFilePassesThroughTheCheckApi}, also run on other backends by
   * their modules.
   */
  static void checkApi(String backend) throws IOException {
    try (Compute c = ComputeBackends.create(backend)) {
      for (String name : REFERENCE_FILES) {
        Optional<TttVectorCheck.FileResult> r =
            TttVectorCheck.check(referenceDir().resolve(name), c);
        assertThat(r).as(name).isPresent();
        assertThat(r.get().passed()).as("%s on %s: %s", name, backend, r.get()).isTrue();
      }
    }
  }

  /** A reference file and one of its tensors, moved by 1e-3 in the perturbation tests. */
  static Stream<Arguments> perturbations() {
    return Stream.of(
        Arguments.of("scan_linear_b2_h2_d8_l12_m4.safetensors", "state0.W1"),
        Arguments.of("scan_mlp_b2_h2_d8_l12_m4.safetensors", "state0.W2"),
        Arguments.of("layer_linear_b1_h2_w16_l16_m4.safetensors", "wo.weight"),
        Arguments.of("layer_mlp_b2_h2_w16_l16_m4.safetensors", "W1"),
        Arguments.of(
            "bidir_linear_b1_h2_w16_c3_t4_v4_m4.safetensors",
            "backward_ssm_gating_video.gating_alpha"),
        Arguments.of("bidir_mlp_b1_h2_w16_c2_t4_v12_m4.safetensors", "wv.weight"));
  }

  /**
   * The comparison can fail: one element of one parameter moved by 1e-3 takes each file outside its
   * tolerance.
   */
  @ParameterizedTest
  @MethodSource("perturbations")
  void aParameterPerturbedBy1e3Fails(String file, String parameter, @TempDir Path tmp)
      throws IOException {
    Path copy = tmp.resolve(file);
    copyWithPerturbation(referenceDir().resolve(file), copy, parameter, 1e-3f);
    for (String backend : ComputeBackends.names()) {
      checkPerturbedFails(file, parameter, tmp, backend);
    }
  }

  /**
   * The body of {@link #aParameterPerturbedBy1e3Fails} for one backend, on the perturbed copy in
   * {@code tmp}; also run on other backends by their modules.
   */
  static void checkPerturbedFails(String file, String parameter, Path tmp, String backend)
      throws IOException {
    Path copy = tmp.resolve(file);
    if (!Files.exists(copy)) {
      copyWithPerturbation(referenceDir().resolve(file), copy, parameter, 1e-3f);
    }
    try (Compute c = ComputeBackends.create(backend)) {
      TttVectorCheck.FileResult r = TttVectorCheck.check(copy, c).orElseThrow();
      assertThat(r.passed())
          .as("%s with %s perturbed, on %s: %s", file, parameter, backend, r)
          .isFalse();
      assertThat(r.toString()).startsWith(file + ": FAIL max_abs_diff=");
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (Compute c = ComputeBackends.create(backend);
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      assertThat(TttVectorCheck.run(tmp, c, out)).isEqualTo(1);
    }
    assertThat(buf.toString(StandardCharsets.UTF_8)).endsWith("0 passed, 1 failed\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"vector"})
  void anEmptyFolderIsAFailureNotASuccess(String backend, @TempDir Path tmp) throws IOException {
    Files.writeString(tmp.resolve("notes.txt"), "not a tensor file");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (Compute c = ComputeBackends.create(backend);
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      assertThat(TttVectorCheck.run(tmp, c, out)).isEqualTo(1);
    }
    assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("0 passed, 0 failed\n");
  }

  /** Copies a safetensors file, adding {@code delta} to the first element of one tensor. */
  static void copyWithPerturbation(Path src, Path dst, String tensor, float delta)
      throws IOException {
    SafetensorsWriter w = new SafetensorsWriter();
    try (SafetensorsFile f = SafetensorsFile.open(src)) {
      for (Map.Entry<String, String> e : f.metadata().entrySet()) {
        w.metadata(e.getKey(), e.getValue());
      }
      assertThat(f.contains(tensor)).as("%s holds %s", src.getFileName(), tensor).isTrue();
      for (String name : f.names()) {
        int[] shape = f.info(name).shape();
        if (f.info(name).dtype() == DType.F64) {
          w.addF64(name, shape, f.readDoubles(name));
        } else {
          float[] data = f.readFloats(name);
          if (name.equals(tensor)) {
            data[0] += delta;
          }
          w.addF32(name, shape, data);
        }
      }
    }
    w.write(dst);
  }
}
