package org.tttvideo.model.decode;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.tttvideo.model.compute.Tensor;

/**
 * What the latent decoder carries from one segment to the next: its causal temporal context, as
 * named tensors (one per causal convolution of {@link CausalVaeDecoder}, named after it; {@link
 * LinearPatchDecoder#PREVIOUS_FRAME} for the patch decoder), and how many latent frames it has
 * decoded so far (the very first frame of a video decodes to a single frame).
 *
 * @param tensors the context, by name, in name order; empty exactly before the first segment
 * @param decodedFrames latent frames decoded so far
 */
public record DecoderCache(Map<String, Tensor> tensors, int decodedFrames) {
  /** The cache before the first segment. */
  public static final DecoderCache EMPTY = new DecoderCache(Map.of(), 0);

  public DecoderCache {
    tensors = Collections.unmodifiableMap(new TreeMap<>(tensors));
    if (decodedFrames < 0 || (decodedFrames == 0) != tensors.isEmpty()) {
      throw new IllegalArgumentException(
          "the cache must hold tensors exactly when frames were decoded, got "
              + tensors.keySet()
              + " after "
              + decodedFrames);
    }
  }

  /** A cache of one tensor. */
  public static DecoderCache of(String name, Tensor tensor, int decodedFrames) {
    return new DecoderCache(Map.of(name, tensor), decodedFrames);
  }

  /** The tensor under {@code name}, or null. */
  public Tensor tensor(String name) {
    return tensors.get(name);
  }

  /** Bytes of float data held. */
  public long bytes() {
    long n = 0;
    for (Tensor t : tensors.values()) {
      n += 4L * t.size();
    }
    return n;
  }
}
