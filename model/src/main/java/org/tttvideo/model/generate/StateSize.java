package org.tttvideo.model.generate;

import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttState;
import org.tttvideo.model.config.AttentionScope;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.config.TttMode;
import org.tttvideo.model.dit.SegmentActs;

/**
 * How large a video's generation state is: what a streaming operator keeps of it in managed state
 * and writes into every checkpoint. Tensors are counted at four bytes per element (float32, as
 * state serialisers write them) plus their shape header; the request and the small scalars are not
 * counted.
 */
public final class StateSize {
  private static final int B = 2; // unconditional and conditional

  private StateSize() {}

  /** The bytes of the tensors {@code state} holds now. */
  public static long of(GenerationState state) {
    long n = 0;
    for (Tensor t : state.text()) {
      n += bytes(t);
    }
    for (Tensor t : state.latents()) {
      n += bytes(t);
    }
    for (SegmentActs a : state.acts()) {
      n += bytes(a.hidden()) + bytes(a.mix()) + bytes(a.keys()) + bytes(a.values());
    }
    TttState ttt = state.ttt();
    if (ttt != null) {
      n += bytes(ttt.w1()) + bytes(ttt.b1()) + bytes(ttt.w2()) + bytes(ttt.b2());
    }
    n += state.decoderCache().bytes();
    return n;
  }

  /**
   * The largest state a video of {@code segments} segments reaches on {@code config}, computed from
   * the shapes: its text and latents, and while a denoising step is in its blocks, for every
   * segment the hidden sequence {@code [B, T + V_s, width]} with the block's mix of it and the
   * attention's keys and values of the same size, and the TTT hidden state of the running scan. The
   * decoder's cache, which only exists after the last step, is smaller than the activations.
   */
  public static long peakEstimate(ModelConfig config, int segments) {
    long n = 0;
    // the hidden sequence and the block's mix of it; scopes beyond the segment also keep the keys
    // and values of the whole video between the key-value and the attention phases
    // ([B, heads, T + V_s, D], the same elements)
    boolean keyValues = config.attention().kind() != AttentionScope.Kind.SEGMENT;
    for (int s = 0; s < segments; s++) {
      long tokens = (long) config.textTokens() + config.videoTokensOf(s);
      n += header(3) + 4L * B * config.textTokens() * config.textDim();
      n +=
          header(4)
              + 4L
                  * config.framesOf(s)
                  * config.latentChannels()
                  * config.latentHeight()
                  * config.latentWidth();
      long sequence = 4L * B * tokens * config.width();
      n += 2 * (header(3) + sequence);
      if (keyValues) {
        n += 2 * (header(4) + sequence);
      }
    }
    if (config.ttt() != TttMode.NONE) {
      long hd = config.headDim();
      long inner = config.tttConfig().innerWidth();
      n += 4 * header(4) + 4L * B * config.heads() * (2 * hd * inner + inner + hd);
    }
    return n;
  }

  private static long bytes(Tensor t) {
    return t == null ? 0 : header(t.rank()) + 4L * t.size();
  }

  private static int header(int rank) {
    return 4 + 4 * rank;
  }
}
