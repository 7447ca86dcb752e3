package org.tttvideo.model.dit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tttvideo.model.compute.Comparison;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ComputeBackends;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.Tolerance;
import org.tttvideo.model.compute.TttState;
import org.tttvideo.model.compute.naive.NaiveCompute;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.dit.TorchParity.Names;
import org.tttvideo.model.generate.GeneratedVideo;
import org.tttvideo.model.generate.GenerationState;
import org.tttvideo.model.generate.Generator;
import org.tttvideo.model.text.TokenEmbeddingTextEncoder;
import org.tttvideo.model.text.WordTokenizer;
import org.tttvideo.model.ttt.QkTransform;
import org.tttvideo.model.ttt.TttLayer;
import org.tttvideo.model.weights.SafetensorsFile;
import org.tttvideo.model.weights.SafetensorsWriter;

/**
 * The Java model against its PyTorch mirror ({@code tools/train/dit.py}): the committed {@code
 * dit/torch_parity.safetensors} holds seeded {@code tiny} weights (F16, as the mirror saves them),
 * a fixed 2-segment input, prompts, and PyTorch's outputs under {@code torch.}. Java recomputes
 * them on the plain and the default backend: the text encoder, the TTT layer of block 0, one
 * denoising forward over the whole video (both guidance branches) within 1e-4, and a 2-step DDIM
 * generation (final latents and decoded frames) within 1e-3.
 *
 * <p>Regenerate the reference from the repository root (the fixture writes the weights and inputs,
 * PyTorch the expected outputs):
 *
 * <pre>
 * mvn -B -ntp -o -q -pl model -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile="$PWD/model/target/test-classpath.txt" -Dmdep.includeScope=test
 * java --add-modules jdk.incubator.vector \
 *     -cp "model/target/test-classes:model/target/classes:$(cat model/target/test-classpath.txt)" \
 *     org.tttvideo.model.dit.TorchParityFixture model/target/java_parity.safetensors
 * /usr/bin/python3 tools/train/make_parity_reference.py model/target/java_parity.safetensors \
 *     model/src/test/resources/dit/torch_parity.safetensors
 * </pre>
 */
class TorchParityTest {
  private static final String RESOURCE = "/dit/torch_parity.safetensors";
  private static final String TORCH = "torch.";
  private static final Tolerance FORWARD = Tolerance.rtol(0).atol(1e-4);
  private static final Tolerance DDIM = Tolerance.rtol(0).atol(1e-3);
  private static final Tolerance PART = Tolerance.rtol(0).atol(1e-5);
  private static final ModelConfig CONFIG = ModelConfig.tiny();

  private static SafetensorsFile file;
  private static ModelWeights weights;

  @BeforeAll
  static void load(@TempDir Path tmp) throws IOException, URISyntaxException {
    URL url = TorchParityTest.class.getResource(RESOURCE);
    assertThat(url).as("test resource " + RESOURCE).isNotNull();
    file = SafetensorsFile.open(Path.of(url.toURI()));
    // The mirror's weights, alone in a file, load strictly: every name, no other, every shape.
    SafetensorsWriter w = new SafetensorsWriter();
    for (String name : file.names()) {
      if (!name.startsWith(Names.PREFIX) && !name.startsWith(TORCH)) {
        w.add(name, file.readTensor(name));
      }
    }
    Path only = tmp.resolve("mirror-weights.safetensors");
    w.write(only);
    weights = ModelWeights.load(CONFIG, only);
  }

  @AfterAll
  static void close() throws IOException {
    file.close();
  }

  private static Tensor read(String name) {
    return file.readTensor(name);
  }

  private static void assertClose(String name, Tensor actual, Tolerance tol) {
    Tensor expected = read(TORCH + name);
    assertThat(actual.shape()).as(name + " shape").containsExactly(expected.shape());
    Comparison cmp = Comparison.of(actual.data(), expected.data(), tol);
    assertThat(cmp.passed()).as(name + ": " + cmp).isTrue();
  }

  private static int segments() {
    return TorchParityFixture.PROMPTS.size();
  }

  @Test
  void thePresetsAreTheMirrorsPresets() {
    for (ModelConfig c : List.of(ModelConfig.tiny(), ModelConfig.small())) {
      for (Map.Entry<String, String> e : TorchParity.configValues(c).entrySet()) {
        assertThat(file.metadata().get("config." + c.name() + "." + e.getKey()))
            .as(c.name() + "." + e.getKey())
            .isEqualTo(e.getValue());
      }
    }
  }

  @Test
  void theMirrorSavesExactlyTheJavaParameterNames() {
    Set<String> saved = new TreeSet<>();
    for (String name : file.names()) {
      if (!name.startsWith(Names.PREFIX) && !name.startsWith(TORCH)) {
        saved.add(name);
        assertThat(file.info(name).shape())
            .as(name)
            .containsExactly(ModelWeights.expectedShapes(CONFIG).get(name));
      }
    }
    assertThat(saved).isEqualTo(new TreeSet<>(ModelWeights.expectedShapes(CONFIG).keySet()));
  }

  @Test
  void tokenIdsEqualTheMirrors() {
    WordTokenizer tiny = weights.textEncoder().tokenizer();
    for (int s = 0; s < segments(); s++) {
      List<String> pair =
          List.of(TorchParityFixture.NEGATIVES.get(s), TorchParityFixture.PROMPTS.get(s));
      assertThat(TorchParityFixture.ids(tiny, pair, CONFIG.textTokens()))
          .as("segment " + s)
          .containsExactly(file.readLongs(Names.ids(s)));
    }
    ModelConfig small = ModelConfig.small();
    assertThat(
            TorchParityFixture.ids(
                new WordTokenizer(small.vocabSize()),
                TorchParityFixture.SMALL_PROMPTS,
                small.textTokens()))
        .containsExactly(file.readLongs(Names.SMALL_IDS));
  }

  @Test
  void textEncoderEqualsTheMirror() {
    Compute c = new NaiveCompute();
    TokenEmbeddingTextEncoder enc = weights.textEncoder();
    for (int s = 0; s < segments(); s++) {
      assertClose(Names.text(s), text(c, enc, s), PART);
    }
  }

  @Test
  void tttLayerEqualsTheMirror() {
    for (Compute c : backends()) {
      try (c) {
        TttLayer layer = weights.transformer().tttLayer(0);
        TttLayer.Result r =
            layer.forward(c, layer.initialState(2), read(Names.TTT_IN), QkTransform.IDENTITY);
        TttState st = r.state();
        assertClose(Names.TTT_OUT, r.out(), PART);
        assertClose(Names.TTT_B1, st.b1(), PART);
        assertClose(Names.TTT_B2, st.b2(), PART);
      }
    }
  }

  @Test
  void oneForwardOverTheWholeVideoEqualsTheMirror() {
    for (Compute c : backends()) {
      try (c) {
        TokenEmbeddingTextEncoder enc = weights.textEncoder();
        List<Tensor> latents = new ArrayList<>();
        List<Tensor> text = new ArrayList<>();
        for (int s = 0; s < segments(); s++) {
          latents.add(read(Names.latents(s)));
          text.add(text(c, enc, s));
        }
        List<Tensor> out =
            weights.transformer().forward(c, latents, text, TorchParityFixture.TIMESTEP);
        for (int s = 0; s < segments(); s++) {
          assertClose(Names.forward(s), out.get(s), FORWARD);
        }
      }
    }
  }

  @Test
  void twoStepDdimGenerationEqualsTheMirror() {
    for (Compute c : backends()) {
      try (c;
          Generator g = new Generator(c, weights)) {
        GenerationState start = g.start(TorchParity.request());
        for (int s = 0; s < segments(); s++) {
          assertThat(start.latents().get(s).bitEquals(read(Names.noise(s))))
              .as("initial noise of segment " + s)
              .isTrue();
        }
        GeneratedVideo v = g.generate(TorchParity.request());
        for (int s = 0; s < segments(); s++) {
          assertClose(Names.ddimLatents(s), v.latents().get(s), DDIM);
          assertClose(Names.ddimFrames(s), v.frames().get(s), DDIM);
        }
      }
    }
  }

  /** The guidance pair of segment {@code s}: negative prompt, then prompt ({@code [2, T, C]}). */
  private static Tensor text(Compute c, TokenEmbeddingTextEncoder enc, int s) {
    return Tensors.stack(
        List.of(
            enc.encode(c, TorchParityFixture.NEGATIVES.get(s)),
            enc.encode(c, TorchParityFixture.PROMPTS.get(s))));
  }

  /** The plain backend and the default one (one thread), each closed by the caller. */
  private static List<Compute> backends() {
    List<Supplier<Compute>> makers =
        List.of(NaiveCompute::new, () -> ComputeBackends.create(ComputeBackends.DEFAULT, 1));
    List<Compute> out = new ArrayList<>();
    for (Supplier<Compute> m : makers) {
      out.add(m.get());
    }
    return out;
  }
}
