package org.tttvideo.model.text;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.config.ModelConfig;

/**
 * The small presets' text encoder: {@link WordTokenizer} ids, a learned token embedding plus a
 * learned position embedding, and a final layer norm.
 *
 * <pre>
 * e[t] = LN(token_embedding[id[t]] + position_embedding[t])      t = 0 .. T−1
 * </pre>
 *
 * <p>Legend: V = vocabulary size, T = tokens per prompt, C = output width.
 */
public final class TokenEmbeddingTextEncoder implements TextEncoder {
  public static final String PREFIX = "text_encoder.";
  public static final String TOKEN_EMBEDDING = PREFIX + "token_embedding.weight";
  public static final String POSITION_EMBEDDING = PREFIX + "position_embedding.weight";
  public static final String NORM_WEIGHT = PREFIX + "final_layer_norm.weight";
  public static final String NORM_BIAS = PREFIX + "final_layer_norm.bias";

  private final WordTokenizer tokenizer;
  private final int tokens;
  private final int dim;
  private final Tensor tokenEmbedding; // [V, C]
  private final Tensor positionEmbedding; // [T, C]
  private final Tensor normWeight; // [C]
  private final Tensor normBias; // [C]

  /**
   * Names and shapes of the encoder's tensors for {@code config} (empty if it has no vocabulary).
   */
  public static Map<String, int[]> shapes(ModelConfig config) {
    Map<String, int[]> m = new LinkedHashMap<>();
    if (config.vocabSize() > 0) {
      m.put(TOKEN_EMBEDDING, new int[] {config.vocabSize(), config.textDim()});
      m.put(POSITION_EMBEDDING, new int[] {config.textTokens(), config.textDim()});
      m.put(NORM_WEIGHT, new int[] {config.textDim()});
      m.put(NORM_BIAS, new int[] {config.textDim()});
    }
    return m;
  }

  /** Builds the encoder from its named tensors (shapes as {@link #shapes}). */
  public TokenEmbeddingTextEncoder(ModelConfig config, Map<String, Tensor> weights) {
    if (config.vocabSize() <= 0) {
      throw new IllegalArgumentException(
          "preset '" + config.name() + "' has no built-in vocabulary (vocabSize 0): it needs T5");
    }
    for (Map.Entry<String, int[]> e : shapes(config).entrySet()) {
      Tensor t = weights.get(e.getKey());
      if (t == null || !Arrays.equals(t.shape(), e.getValue())) {
        throw new IllegalArgumentException(
            "text encoder tensor '"
                + e.getKey()
                + "' must have shape "
                + Arrays.toString(e.getValue())
                + ", got "
                + (t == null ? "nothing" : Arrays.toString(t.shape())));
      }
    }
    this.tokenizer = new WordTokenizer(config.vocabSize());
    this.tokens = config.textTokens();
    this.dim = config.textDim();
    this.tokenEmbedding = weights.get(TOKEN_EMBEDDING);
    this.positionEmbedding = weights.get(POSITION_EMBEDDING);
    this.normWeight = weights.get(NORM_WEIGHT);
    this.normBias = weights.get(NORM_BIAS);
  }

  public WordTokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public int tokens() {
    return tokens;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public Tensor encode(Compute c, String prompt) {
    int[] ids = tokenizer.encode(prompt == null ? "" : prompt, tokens);
    Tensor e = c.add(c.gather(tokenEmbedding, 0, ids), positionEmbedding); // [T, C]
    return c.layerNorm(e, normWeight, normBias, ModelConfig.NORM_EPS);
  }
}
