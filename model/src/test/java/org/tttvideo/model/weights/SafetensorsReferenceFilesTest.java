package org.tttvideo.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.testutils.SharedTestData;

/**
 * Reads the shared TTT reference vectors, which were written by an independent (Python) writer. The
 * pinned values were decoded from the same bytes with Python's {@code struct} module.
 */
class SafetensorsReferenceFilesTest {
  private static final Path FOLDER = SharedTestData.resolve("testdata/ttt");

  private static List<Path> referenceFiles() throws IOException {
    try (Stream<Path> files = Files.list(FOLDER)) {
      return files.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
    }
  }

  @Test
  void everyReferenceFileOpensAndEveryTensorReads() throws IOException {
    List<Path> files = referenceFiles();
    assertThat(files).hasSizeGreaterThanOrEqualTo(6);
    for (Path path : files) {
      try (SafetensorsFile f = SafetensorsFile.open(path)) {
        assertThat(f.metadata()).as("%s", path).containsKeys("op", "kind", "atol", "rtol");
        assertThat(f.names()).as("%s", path).contains("expected.out");
        long previousEnd = 0;
        for (String name : f.names()) {
          TensorInfo info = f.info(name);
          assertThat(info.begin()).as("%s %s", path, name).isEqualTo(previousEnd);
          previousEnd = info.end();
          // the README: inputs F32, expected values F64
          assertThat(info.dtype())
              .as("%s %s", path, name)
              .isEqualTo(name.startsWith("expected.") ? DType.F64 : DType.F32);
          Tensor t = f.readTensor(name);
          assertThat(t.shape()).isEqualTo(info.shape());
          double[] exact = f.readDoubles(name);
          assertThat(exact).hasSize(t.size());
          for (int i = 0; i < exact.length; i++) {
            assertThat(Double.isFinite(exact[i])).as("%s %s[%d]", path, name, i).isTrue();
          }
        }
      }
    }
  }

  @Test
  void scanLinearFileHasTheDocumentedLayout() throws IOException {
    try (SafetensorsFile f =
        SafetensorsFile.open(FOLDER.resolve("scan_linear_b2_h2_d8_l12_m4.safetensors"))) {
      assertThat(f.info("xq").dtype()).isEqualTo(DType.F32);
      assertThat(f.info("xq").shape()).containsExactly(2, 2, 12, 8);
      assertThat(f.info("eta").shape()).containsExactly(2, 2, 12);
      assertThat(f.info("state0.W1").shape()).containsExactly(2, 2, 8, 8);
      assertThat(f.info("expected.out").dtype()).isEqualTo(DType.F64);
      assertThat(f.info("expected.out").shape()).containsExactly(2, 2, 12, 8);
      assertThat(f.metadata()).containsEntry("kind", "linear").containsEntry("op", "scan");
      assertThat(f.metadata()).containsEntry("mini_batch", "4");
      assertThat(f.names())
          .containsExactly(
              "eta",
              "expected.out",
              "expected.state.W1",
              "expected.state.b1",
              "state0.W1",
              "state0.b1",
              "ttt_norm_bias",
              "ttt_norm_weight",
              "xk",
              "xq",
              "xv");

      float[] xq = f.readFloats("xq");
      assertThat(xq).hasSize(384);
      assertThat(Float.floatToRawIntBits(xq[0])).isEqualTo(0xbef90604); // -0.48637402
      assertThat(xq[383]).isEqualTo(0.4486604630947113f);

      double[] out = f.readDoubles("expected.out");
      assertThat(out[0]).isEqualTo(-1.2036176498821956);
      assertThat(out[383]).isEqualTo(-0.1385775782071479);
      double sum = 0;
      for (double v : out) {
        sum += v;
      }
      assertThat(sum).isCloseTo(-16.454412946401273, within(1e-12));
    }
  }
}
