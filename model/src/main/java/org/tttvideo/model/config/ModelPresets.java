package org.tttvideo.model.config;

import java.util.List;
import java.util.Optional;
import org.tttvideo.model.decode.VaeConfig;

/**
 * The named configurations, and which of them can generate videos today. A setting that chooses a
 * preset is checked with {@link #requireRunnable} before anything is built.
 *
 * <pre>{@code
 * ModelPresets.requireRunnable("model.preset", name);
 * ModelConfig config = ModelPresets.named(name);
 * }</pre>
 */
public final class ModelPresets {
  /** Preset names, in order of size. */
  public static final List<String> NAMES = List.of("tiny", "small", "toon", "cogvideox-5b-ttt");

  /** The presets that can generate videos today, in order of size (see {@link #whyNotRunnable}). */
  public static final List<String> RUNNABLE = List.of("tiny", "small", "toon");

  private ModelPresets() {}

  /**
   * Why preset {@code name} cannot generate videos yet; empty when it can, or when it is no preset.
   * Selecting such a preset is refused up front: building it would allocate its weights (7.23
   * billion parameters for the 5B preset) before anything failed.
   */
  public static Optional<String> whyNotRunnable(String name) {
    if ("cogvideox-5b-ttt".equals(name)) {
      return Optional.of(
          "there is no loader for the real CogVideoX-5B checkpoint yet (nor its T5 text encoder"
              + " and VAE), so it would allocate 7.23 billion seeded parameters and make noise;"
              + " it describes the paper's model for parameter counts only");
    }
    return Optional.empty();
  }

  /**
   * Checks a preset chosen by a setting: known, and able to run.
   *
   * @param option the setting that gave the name ("model.preset", "preset"), for the message
   * @throws IllegalArgumentException naming the option, the value and the allowed presets, or why
   *     the preset cannot run
   */
  public static void requireRunnable(String option, String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException(
          option + " is '" + name + "'; allowed are " + String.join(", ", NAMES));
    }
    Optional<String> why = whyNotRunnable(name);
    if (why.isPresent()) {
      throw new IllegalArgumentException(
          option
              + " is '"
              + name
              + "', which cannot run: "
              + why.get()
              + ". Presets that run: "
              + String.join(", ", RUNNABLE));
    }
  }

  /**
   * A preset by name.
   *
   * <ul>
   *   <li>{@code tiny}: unit tests; a forward pass in milliseconds.
   *   <li>{@code small}: the local default; a 63-second video in minutes on two CPU cores.
   *   <li>{@code toon}: small's transformer on the ToonWorld autoencoder, the model trained here.
   *   <li>{@code cogvideox-5b-ttt}: the paper's model (CogVideoX-5B with TTT-MLP).
   * </ul>
   */
  public static ModelConfig named(String name) {
    return switch (name == null ? "" : name) {
      case "tiny" -> tiny();
      case "small" -> small();
      case "toon" -> toon();
      case "cogvideox-5b-ttt" -> cogVideoX5bTtt();
      default ->
          throw new IllegalArgumentException(
              "unknown preset '" + name + "': allowed are " + String.join(", ", NAMES));
    };
  }

  /**
   * {@code tiny}: W 32, 2 heads of 16, 2 blocks, latent 4 x 4 x 4 with patch 2 (4 tokens per
   * frame), 3 latent frames in the first segment and 2 in each later one, 4 text tokens, TTT-MLP
   * with mini-batch 4, 16x16-pixel output (the smallest frame libopenh264 encodes).
   */
  public static ModelConfig tiny() {
    return ModelConfig.builder()
        .name("tiny")
        .width(32)
        .heads(2)
        .layers(2)
        .timeEmbedDim(32)
        .textDim(16)
        .textTokens(4)
        .vocabSize(64)
        .latentChannels(4)
        .latentHeight(4)
        .latentWidth(4)
        .patchSize(2)
        .firstSegmentFrames(3)
        .segmentFrames(2)
        .temporalCompression(4)
        .spatialCompression(4)
        .fps(8)
        .ttt(TttMode.MLP)
        .tttMiniBatch(4)
        .steps(4)
        .build();
  }

  /**
   * {@code small}: the local default, sized so that a 63-second video (21 segments), all 20
   * denoising steps and decoding included, runs well inside 5 minutes on two CPU cores, at 192x128
   * and 8 fps. Width 128 (4 heads of 32), 4 blocks, TTT-MLP with mini-batch 16; latent 4 x 16 x 24
   * per frame with patch 2 (96 tokens per frame), 4 latent frames in the first segment and 3 in
   * each later one (288 video + 16 text tokens per segment, so windows of 400 tokens), decoded 8x
   * in space and 8x in time (24 frames per 3-second segment). Measured on the shared 2-core
   * machine: about 4.4 s per denoising step for 21 segments, so 20 steps take about 90 s, leaving
   * room for a loaded machine; the decoder is about 1% of the time.
   */
  public static ModelConfig small() {
    return ModelConfig.builder()
        .name("small")
        .width(128)
        .heads(4)
        .layers(4)
        .timeEmbedDim(128)
        .textDim(64)
        .textTokens(16)
        .vocabSize(1024)
        .latentChannels(4)
        .latentHeight(16)
        .latentWidth(24)
        .patchSize(2)
        .firstSegmentFrames(4)
        .segmentFrames(3)
        .temporalCompression(8)
        .spatialCompression(8)
        .fps(8)
        .ttt(TttMode.MLP)
        .tttMiniBatch(16)
        .steps(20)
        .build();
  }

  /**
   * The ToonWorld autoencoder of {@code tools/train/runs/stage0}: a causal 3D VAE in CogVideoX's
   * design with levels of 8, 16, 32 and 64 channels (8x in space and time), 8 latent channels,
   * group norm of 4 groups, and the scaling factor measured on held-out clips when it was exported.
   */
  public static final VaeConfig TOON_VAE =
      new VaeConfig(8, 3, List.of(8, 16, 32, 64), 1, 4, 1e-6f, 8, 0.765816f);

  /**
   * {@code toon}: {@code small}'s transformer (width 128, 4 heads, 4 blocks, TTT-MLP with
   * mini-batch 16, 192x128 at 8 fps, 20 steps) on the ToonWorld autoencoder {@link #TOON_VAE}:
   * latent 8 x 16 x 24 per frame, and 48 text tokens per segment, because the world's Format 3
   * paragraphs run to 39 words and the colours a scene's first paragraph names must reach the
   * model. The video tokens per segment (384 first, 288 later) and the text tokens stay multiples
   * of the TTT mini-batch.
   */
  public static ModelConfig toon() {
    return small().toBuilder()
        .name("toon")
        .latentChannels(TOON_VAE.latentChannels())
        .textTokens(48)
        .vae(TOON_VAE)
        .build();
  }

  /**
   * {@code cogvideox-5b-ttt}: the paper's model. 42 blocks of width 3072 (48 heads of 64), time
   * embedding 512, T5-XXL text (4096 wide, 226 tokens per segment), latent 16 x 60 x 90 per frame
   * with patch 2, 13 latent frames in the first segment and 12 in each later one (3 s each), 16 fps
   * at 720x480, TTT-MLP with mini-batch 16 and base lr 0.1, bidirectional, segment attention, 50
   * DDIM steps, guidance 6 with exponent 5.
   */
  public static ModelConfig cogVideoX5bTtt() {
    return ModelConfig.builder()
        .name("cogvideox-5b-ttt")
        .width(3072)
        .heads(48)
        .layers(42)
        .timeEmbedDim(512)
        .textDim(4096)
        .textTokens(226)
        .vocabSize(0)
        .latentChannels(16)
        .latentHeight(60)
        .latentWidth(90)
        .patchSize(2)
        .firstSegmentFrames(13)
        .segmentFrames(12)
        .temporalCompression(4)
        .spatialCompression(8)
        .fps(16)
        .ttt(TttMode.MLP)
        .tttMiniBatch(16)
        .steps(50)
        .build();
  }
}
