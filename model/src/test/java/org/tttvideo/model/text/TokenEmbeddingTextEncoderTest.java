package org.tttvideo.model.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.naive.NaiveCompute;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.dit.ModelWeights;

class TokenEmbeddingTextEncoderTest {

  @Test
  void tokenizerMapsWordsEndsAndPads() {
    WordTokenizer tok = new WordTokenizer(1024);
    int[] ids = tok.encode("The red FOX jumps!", 8);
    assertThat(ids[0]).isEqualTo(3 + WordTokenizer.WORDS.indexOf("the"));
    assertThat(ids[2]).isEqualTo(3 + WordTokenizer.WORDS.indexOf("fox"));
    assertThat(ids[4]).isEqualTo(WordTokenizer.END);
    assertThat(ids[5]).isEqualTo(WordTokenizer.PAD);
    // unknown words land in hash buckets, deterministically and inside the vocabulary
    int a = tok.id("zeppelin");
    assertThat(a).isEqualTo(tok.id("zeppelin")).isBetween(3, 1023);
    assertThat(a).isNotEqualTo(tok.id("submarine"));
    // truncation keeps the end token
    assertThat(tok.encode("a b c d e f", 3)).containsExactly(3, tok.id("b"), WordTokenizer.END);
    // a vocabulary too small for buckets maps unknown words to UNKNOWN
    assertThat(new WordTokenizer(5).id("zeppelin")).isEqualTo(WordTokenizer.UNKNOWN);
    assertThatThrownBy(() -> new WordTokenizer(3))
        .hasMessage("vocabSize must be at least 4, got 3");
  }

  @Test
  void encodesPromptsToTokensByTextDim() {
    ModelConfig tiny = ModelConfig.tiny();
    TextEncoder enc = ModelWeights.init(tiny, 1).textEncoder();
    NaiveCompute c = new NaiveCompute();
    Tensor a = enc.encode(c, "the red sun");
    assertThat(a.shape()).containsExactly(tiny.textTokens(), tiny.textDim());
    assertThat(enc.encode(c, "the red sun").bitEquals(a)).isTrue();
    assertThat(enc.encode(c, "the blue sun").bitEquals(a)).isFalse();
  }

  @Test
  void paperPresetHasNoBuiltInEncoder() {
    ModelConfig big = ModelConfig.cogVideoX5bTtt();
    assertThat(TokenEmbeddingTextEncoder.shapes(big)).isEmpty();
    assertThatThrownBy(() -> new TokenEmbeddingTextEncoder(big, java.util.Map.of()))
        .hasMessageContaining("needs T5");
  }
}
