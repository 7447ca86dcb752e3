package org.tttvideo.model.dit;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.config.TttMode;
import org.tttvideo.model.decode.CausalVaeDecoder;
import org.tttvideo.model.decode.LatentDecoder;
import org.tttvideo.model.decode.LinearPatchDecoder;
import org.tttvideo.model.text.TokenEmbeddingTextEncoder;
import org.tttvideo.model.ttt.TttParams;
import org.tttvideo.model.weights.SafetensorsFile;
import org.tttvideo.model.weights.SafetensorsWriter;

/**
 * All weights of a model (transformer, and for the small presets the built-in text encoder and a
 * decoder: the linear patch decoder, or the VAE decoder's {@code decoder.} tensors for a config
 * with a VAE), by checkpoint name. Loading is strict: every expected name present, no other name,
 * every shape as the config says; a preset without a file is initialised deterministically from a
 * seed, and can be written out and loaded back.
 *
 * <pre>{@code
 * ModelWeights w = ModelWeights.init(ModelConfig.tiny(), 42);   // logs loudly: untrained
 * w.write(Path.of("tiny.safetensors"));
 * ModelWeights same = ModelWeights.load(ModelConfig.tiny(), Path.of("tiny.safetensors"));
 * }</pre>
 */
public final class ModelWeights {
  private static final Logger LOG = LoggerFactory.getLogger(ModelWeights.class);

  /** Metadata keys written into the safetensors header. */
  public static final String META_PRESET = "preset";

  public static final String META_UNTRAINED = "untrained";
  public static final String META_SEED = "seed";

  /** Standard deviation of the normal initialisation (the reference's). */
  public static final double INIT_STD = 0.02;

  private final ModelConfig config;
  private final Map<String, Tensor> tensors;
  private final boolean untrained;
  private final Map<String, String> metadata;

  private ModelWeights(
      ModelConfig config,
      Map<String, Tensor> tensors,
      boolean untrained,
      Map<String, String> metadata) {
    this.config = config;
    this.tensors = Collections.unmodifiableMap(tensors);
    this.untrained = untrained;
    this.metadata = Map.copyOf(metadata);
  }

  /** Every expected name and shape for {@code config}, in file order. Allocates no weights. */
  public static Map<String, int[]> expectedShapes(ModelConfig config) {
    Map<String, int[]> m = new LinkedHashMap<>(DitParameters.shapes(config));
    m.putAll(TokenEmbeddingTextEncoder.shapes(config));
    m.putAll(
        config.vae() == null ? LinearPatchDecoder.shapes(config) : config.vae().decoderShapes());
    return m;
  }

  public ModelConfig config() {
    return config;
  }

  /** The tensors by name, in file order. */
  public Map<String, Tensor> tensors() {
    return tensors;
  }

  /** Whether these weights come from a seed rather than training. */
  public boolean untrained() {
    return untrained;
  }

  /**
   * Deterministic initialisation from {@code seed}: linear, convolution and embedding weights and
   * the TTT weights from normal(0, 0.02) ({@link TttParams#init} for each block's TTT layer),
   * biases zero, norm weights one, TTT gates {@link ModelConfig#gateInit()}. Logs a loud warning: a
   * model with these weights draws noise.
   */
  public static ModelWeights init(ModelConfig config, long seed) {
    Random random = new Random(seed);
    Map<String, Tensor> m = new LinkedHashMap<>();
    Map<String, int[]> shapes = expectedShapes(config);
    for (int i = 0; i < config.layers() && config.ttt() != TttMode.NONE; i++) {
      // The TTT layers draw from their own stream per block so that adding or removing TTT layers
      // leaves every other tensor's values unchanged (the gates-at-zero comparison relies on it).
      Random tttRandom = new Random(seed * 1_000_003L + i);
      TttParams p = TttParams.init(config.tttConfig(), tttRandom);
      for (Map.Entry<String, Tensor> e : p.toNamedTensors().entrySet()) {
        m.put(DitParameters.block(i) + DitParameters.TTT_PREFIX + e.getKey(), e.getValue());
      }
    }
    Map<String, Tensor> ordered = new LinkedHashMap<>();
    for (Map.Entry<String, int[]> e : shapes.entrySet()) {
      String name = e.getKey();
      Tensor t = m.get(name);
      if (t == null) {
        t = Tensor.zeros(e.getValue());
        float[] a = t.data();
        if (name.contains("_ssm_gating_")) {
          Arrays.fill(a, config.gateInit());
        } else if (name.endsWith(".weight") && e.getValue().length == 1) {
          Arrays.fill(a, 1f); // layer norms
        } else if (name.endsWith(".weight")) {
          for (int k = 0; k < a.length; k++) {
            a[k] = (float) (INIT_STD * random.nextGaussian());
          }
        }
      }
      ordered.put(name, t);
    }
    LOG.warn(
        "UNTRAINED WEIGHTS: preset '{}' initialised from seed {} ({} tensors); its videos are"
            + " noise from a random network, not a trained model",
        config.name(),
        seed,
        ordered.size());
    return new ModelWeights(
        config,
        ordered,
        true,
        Map.of(META_PRESET, config.name(), META_UNTRAINED, "true", META_SEED, Long.toString(seed)));
  }

  /**
   * Loads {@code path} strictly for {@code config}.
   *
   * @throws IllegalArgumentException naming the first missing tensor, the first unknown one, or the
   *     first whose shape differs (with both shapes)
   */
  public static ModelWeights load(ModelConfig config, Path path) throws IOException {
    Map<String, int[]> expected = expectedShapes(config);
    try (SafetensorsFile f = SafetensorsFile.open(path)) {
      for (Map.Entry<String, int[]> e : expected.entrySet()) {
        if (!f.contains(e.getKey())) {
          throw new IllegalArgumentException(
              "missing tensor '"
                  + e.getKey()
                  + "' (expected shape "
                  + Arrays.toString(e.getValue())
                  + ") in "
                  + path.getFileName()
                  + " for preset '"
                  + config.name()
                  + "'");
        }
      }
      for (String name : new TreeSet<>(f.names())) {
        if (!expected.containsKey(name)) {
          throw new IllegalArgumentException(
              "unexpected tensor '"
                  + name
                  + "' with shape "
                  + Arrays.toString(f.info(name).shape())
                  + " in "
                  + path.getFileName()
                  + ": preset '"
                  + config.name()
                  + "' has no such parameter");
        }
      }
      Map<String, Tensor> m = new LinkedHashMap<>();
      for (Map.Entry<String, int[]> e : expected.entrySet()) {
        int[] actual = f.info(e.getKey()).shape();
        if (!Arrays.equals(actual, e.getValue())) {
          throw new IllegalArgumentException(
              "tensor '"
                  + e.getKey()
                  + "' in "
                  + path.getFileName()
                  + " has shape "
                  + Arrays.toString(actual)
                  + ", preset '"
                  + config.name()
                  + "' expects "
                  + Arrays.toString(e.getValue()));
        }
        m.put(e.getKey(), f.readTensor(e.getKey()));
      }
      boolean untrained = "true".equals(f.metadata().get(META_UNTRAINED));
      if (untrained) {
        LOG.warn(
            "UNTRAINED WEIGHTS: {} holds seed-initialised weights (seed {}) for preset '{}'; its"
                + " videos are noise from a random network",
            path.getFileName(),
            f.metadata().get(META_SEED),
            config.name());
      }
      return new ModelWeights(config, m, untrained, f.metadata());
    }
  }

  /**
   * The class-path folder of trained weights that ship with the build: a preset's file is {@code
   * <root><preset>.safetensors} ({@code /weights/toon.safetensors}).
   */
  public static final String BUNDLED_ROOT = "/weights/";

  /**
   * The trained weights bundled with this build for {@code config}'s preset name, loaded as
   * strictly as {@link #load}; empty when the build has none for it.
   */
  public static Optional<ModelWeights> bundled(ModelConfig config) throws IOException {
    return bundled(config, ModelWeights.class::getResource);
  }

  /** Whether this build bundles trained weights for preset {@code preset} (nothing is read). */
  public static boolean hasBundled(String preset) {
    return ModelWeights.class.getResource(BUNDLED_ROOT + preset + ".safetensors") != null;
  }

  /**
   * As {@link #bundled(ModelConfig)}, resolving {@code BUNDLED_ROOT + preset + ".safetensors"} with
   * {@code resources} (tests pass their own).
   */
  static Optional<ModelWeights> bundled(ModelConfig config, Function<String, URL> resources)
      throws IOException {
    String name = BUNDLED_ROOT + config.name() + ".safetensors";
    URL url = resources.apply(name);
    if (url == null) {
      return Optional.empty();
    }
    // The reader maps a file; a resource inside a jar has none, so it is copied out first, under
    // its own file name (which load's messages give).
    Path folder = Files.createTempDirectory("ttt-video-weights-");
    Path copy = folder.resolve(config.name() + ".safetensors");
    try {
      try (InputStream in = url.openStream()) {
        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      }
      return Optional.of(load(config, copy));
    } finally {
      Files.deleteIfExists(copy);
      Files.deleteIfExists(folder);
    }
  }

  /** Writes every tensor (F32) with the preset, seed and untrained flag as metadata. */
  public void write(Path path) throws IOException {
    SafetensorsWriter writer = new SafetensorsWriter();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(metadata).entrySet()) {
      writer.metadata(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      writer.add(e.getKey(), e.getValue());
    }
    writer.write(path);
  }

  /** A copy with some tensors replaced (tests, ablations). */
  public ModelWeights with(Map<String, Tensor> replacements) {
    Map<String, Tensor> m = new LinkedHashMap<>(tensors);
    for (Map.Entry<String, Tensor> e : replacements.entrySet()) {
      if (!m.containsKey(e.getKey())) {
        throw new IllegalArgumentException("no tensor '" + e.getKey() + "' to replace");
      }
      m.put(e.getKey(), e.getValue());
    }
    return new ModelWeights(config, m, untrained, metadata);
  }

  /** The transformer built from these weights. */
  public DiffusionTransformer transformer() {
    return new DiffusionTransformer(config, tensors);
  }

  /** The built-in text encoder (tiny, small). */
  public TokenEmbeddingTextEncoder textEncoder() {
    return new TokenEmbeddingTextEncoder(config, tensors);
  }

  /**
   * The latent decoder: the config's VAE decoder ({@link CausalVaeDecoder}) when it has one, else
   * the built-in linear patch decoder (tiny, small).
   */
  public LatentDecoder decoder() {
    if (config.vae() != null) {
      return new CausalVaeDecoder(
          config.vae(), config.latentHeight(), config.latentWidth(), tensors);
    }
    return new LinearPatchDecoder(config, tensors);
  }
}
