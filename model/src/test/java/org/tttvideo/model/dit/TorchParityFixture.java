package org.tttvideo.model.dit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttState;
import org.tttvideo.model.compute.naive.NaiveCompute;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.dit.TorchParity.Names;
import org.tttvideo.model.generate.GeneratedVideo;
import org.tttvideo.model.generate.Generator;
import org.tttvideo.model.sampler.DdimSampler;
import org.tttvideo.model.text.TokenEmbeddingTextEncoder;
import org.tttvideo.model.text.WordTokenizer;
import org.tttvideo.model.ttt.QkTransform;
import org.tttvideo.model.ttt.TttLayer;
import org.tttvideo.model.weights.SafetensorsWriter;

/**
 * Writes the inputs of the PyTorch parity check ({@link TorchParityTest}): seeded {@code tiny}
 * weights (F16, so that both sides read the same values), a fixed 2-segment input, prompts, and
 * Java's own outputs under {@code java.} for the Python script to print its distance from. The
 * Python mirror ({@code tools/train/make_parity_reference.py}) reads this file and writes the
 * committed reference, whose expected values are PyTorch's. Run as the test's Javadoc says.
 *
 * <p>Weights: {@link ModelWeights#init} with seed {@link #SEED}, then every bias, layer-norm affine
 * parameter, learnable-rate bias and TTT gate redrawn from a second seeded stream, so that no
 * parameter sits at a value (0, 1, 0.1) that would hide a mirrored mistake.
 */
public final class TorchParityFixture {
  static final long SEED = 20250417L;

  private TorchParityFixture() {}

  /** The prompts of the two segments, and their negative prompts. */
  static final List<String> PROMPTS =
      List.of("A red cat runs up the hill, quickly!", "Then the mouse SLEEPS near a tree.");

  static final List<String> NEGATIVES = List.of("", "dark night");

  /** Prompts tokenized with the {@code small} vocabulary, where unknown words are hashed. */
  static final List<String> SMALL_PROMPTS =
      List.of(
          "Tom chases Jerry through the kitchen",
          "Zorblax's 3 wibbly-wobbly café ümlauts",
          "the the the the the the the the the the the the the the the the the the",
          "");

  static final float TIMESTEP = 733f;
  static final long NOISE_SEED = 99L;
  static final int DDIM_STEPS = 2;
  static final double GUIDANCE = 6.0;
  static final int TTT_TOKENS = 8;

  /** The perturbed seeded weights, rounded to F16 (written and read back). */
  static ModelWeights weights(ModelConfig config, Path tmp) throws IOException {
    ModelWeights init = ModelWeights.init(config, SEED);
    Random r = new Random(SEED + 1);
    Map<String, Tensor> moved = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : init.tensors().entrySet()) {
      String n = e.getKey();
      Tensor t = e.getValue();
      boolean gate = n.contains("_ssm_gating_");
      boolean bias = n.endsWith("bias") || n.endsWith(".b1") || n.endsWith(".b2");
      boolean norm = n.endsWith("ttt_norm_weight") || (n.endsWith(".weight") && t.rank() == 1);
      if (!(gate || bias || norm)) {
        continue;
      }
      float[] a = t.data().clone();
      for (int i = 0; i < a.length; i++) {
        double g = r.nextGaussian();
        a[i] = (float) (gate ? 0.6 * g : norm ? 1 + 0.2 * g : n.contains("lr_bias") ? g : 0.1 * g);
      }
      moved.put(n, Tensor.of(a, t.shape()));
    }
    ModelWeights w = init.with(moved);
    SafetensorsWriter writer = new SafetensorsWriter();
    writer.metadata(ModelWeights.META_PRESET, config.name());
    for (Map.Entry<String, Tensor> e : w.tensors().entrySet()) {
      writer.addF16(e.getKey(), e.getValue().shape(), e.getValue().data());
    }
    writer.write(tmp);
    return ModelWeights.load(config, tmp);
  }

  static Tensor gaussian(Random r, int... shape) {
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] = (float) r.nextGaussian();
    }
    return t;
  }

  static long[] ids(WordTokenizer tok, List<String> prompts, int length) {
    long[] out = new long[prompts.size() * length];
    for (int p = 0; p < prompts.size(); p++) {
      int[] ids = tok.encode(prompts.get(p), length);
      for (int i = 0; i < length; i++) {
        out[p * length + i] = ids[i];
      }
    }
    return out;
  }

  /** Writes the fixture to {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    ModelConfig config = ModelConfig.tiny();
    Path out = Path.of(args[0]);
    Path tmp = Files.createTempFile("tiny-f16", ".safetensors");
    ModelWeights w;
    try {
      w = weights(config, tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
    Compute c = new NaiveCompute();
    SafetensorsWriter writer = new SafetensorsWriter();
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("preset", config.name());
    meta.put("seed", Long.toString(SEED));
    meta.put("timestep", Float.toString(TIMESTEP));
    meta.put("noise_seed", Long.toString(NOISE_SEED));
    meta.put("ddim_steps", Integer.toString(DDIM_STEPS));
    meta.put("guidance_scale", Double.toString(GUIDANCE));
    for (int s = 0; s < PROMPTS.size(); s++) {
      meta.put("prompt." + s, PROMPTS.get(s));
      meta.put("negative." + s, NEGATIVES.get(s));
    }
    for (int i = 0; i < SMALL_PROMPTS.size(); i++) {
      meta.put("small_prompt." + i, SMALL_PROMPTS.get(i));
    }
    for (Map.Entry<String, String> e : TorchParity.configValues(config).entrySet()) {
      meta.put("config.tiny." + e.getKey(), e.getValue());
    }
    for (Map.Entry<String, String> e : TorchParity.configValues(ModelConfig.small()).entrySet()) {
      meta.put("config.small." + e.getKey(), e.getValue());
    }
    meta.forEach(writer::metadata);
    for (Map.Entry<String, Tensor> e : w.tensors().entrySet()) {
      writer.addF16(e.getKey(), e.getValue().shape(), e.getValue().data());
    }

    // Inputs.
    int segments = PROMPTS.size();
    TokenEmbeddingTextEncoder enc = w.textEncoder();
    Random r = new Random(SEED + 2);
    List<Tensor> latents = new ArrayList<>();
    List<Tensor> text = new ArrayList<>();
    for (int s = 0; s < segments; s++) {
      Tensor x =
          gaussian(
              r,
              2,
              config.framesOf(s),
              config.latentChannels(),
              config.latentHeight(),
              config.latentWidth());
      latents.add(x);
      writer.add(Names.latents(s), x);
      List<String> pair = List.of(NEGATIVES.get(s), PROMPTS.get(s));
      writer.addI64(
          Names.ids(s),
          new int[] {2, config.textTokens()},
          ids(enc.tokenizer(), pair, config.textTokens()));
      text.add(Tensors.stack(List.of(enc.encode(c, pair.get(0)), enc.encode(c, pair.get(1)))));
    }
    writer.addI64(
        Names.SMALL_IDS,
        new int[] {SMALL_PROMPTS.size(), ModelConfig.small().textTokens()},
        ids(
            new WordTokenizer(ModelConfig.small().vocabSize()),
            SMALL_PROMPTS,
            ModelConfig.small().textTokens()));
    Random noise = new Random(NOISE_SEED); // as Generator.start draws it
    for (int s = 0; s < segments; s++) {
      writer.add(
          Names.noise(s),
          DdimSampler.noise(
              noise,
              config.framesOf(s),
              config.latentChannels(),
              config.latentHeight(),
              config.latentWidth()));
    }
    Tensor tttIn = gaussian(r, 2, TTT_TOKENS, config.width());
    writer.add(Names.TTT_IN, tttIn);

    // Java's outputs, for the script's report only.
    String j = "java.";
    DiffusionTransformer dit = w.transformer();
    List<Tensor> forward = dit.forward(c, latents, text, TIMESTEP);
    for (int s = 0; s < segments; s++) {
      writer.add(j + Names.text(s), text.get(s));
      writer.add(j + Names.forward(s), forward.get(s));
    }
    TttLayer layer = dit.tttLayer(0);
    TttLayer.Result tr = layer.forward(c, layer.initialState(2), tttIn, QkTransform.IDENTITY);
    writer.add(j + Names.TTT_OUT, tr.out());
    TttState st = tr.state();
    writer.add(j + Names.TTT_B1, st.b1());
    writer.add(j + Names.TTT_B2, st.b2());
    try (Generator g = new Generator(c, w)) {
      GeneratedVideo v = g.generate(TorchParity.request());
      for (int s = 0; s < segments; s++) {
        writer.add(j + Names.ddimLatents(s), v.latents().get(s));
        writer.add(j + Names.ddimFrames(s), v.frames().get(s));
      }
    }
    writer.write(out);
    System.out.println(String.format(Locale.ROOT, "wrote %s (%d bytes)", out, Files.size(out)));
  }
}
