package org.tttvideo.model.dit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.LinearWeight;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttState;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.ttt.TttLayer;

/**
 * CogVideoX's diffusion transformer with segment-local attention and a gated bidirectional TTT
 * layer in every block (the paper's model; diffusers {@code CogVideoXTransformer3DModel} and the
 * reference {@code ttt/models/cogvideo/dit.py}), written on the {@link Compute} interface and built
 * from parts named as the checkpoint names them: {@link PatchEmbed}, {@link TimestepEmbedding}, the
 * {@link CogVideoXBlock}s, {@code norm_final}, {@code norm_out} and {@code proj_out}. {@link
 * DitParameters.Binder} binds every weight to its part once, when the model is built.
 *
 * <p>The model is exposed as the bounded steps a streaming operator runs one at a time, each on
 * explicit state: {@link #embed} (a segment's tokens), the block phases of {@link Phase} (each on
 * one segment, reading and returning {@link SegmentActs}; the TTT scans also take and return the
 * TTT hidden state carried across segments), and {@link #output} (a segment's prediction). {@link
 * #forward} runs them all in order for a whole video. One block's arithmetic is in {@link
 * CogVideoXBlock}.
 *
 * <p>Legend: B = batch (2 with guidance), S = segments, T = text tokens per segment, V_s = video
 * tokens of segment s, W = width, E = time-embedding dim, C = latent channels, p = patch size, F_s
 * = latent frames of segment s, h x w = latent rows x columns.
 */
public final class DiffusionTransformer {
  private final ModelConfig config;
  private final TokenPositions positions; // rotary tables and token offsets, shared by the blocks
  private final PatchEmbed patchEmbed; // proj [W, C·p·p], text_proj [W, textDim]
  private final TimestepEmbedding timeEmbedding; // linear_1 [E, W], linear_2 [E, E]
  private final List<CogVideoXBlock> transformerBlocks; // one per layer
  private final LayerNorm normFinal; // [W]
  private final AdaLayerNorm normOut; // linear [2W, E], norm [W]
  private final LinearWeight projOut; // [C·p·p, W], bias [C·p·p]

  /**
   * @param weights every tensor of {@link DitParameters#shapes}, under its name, with its shape;
   *     names of other components (text encoder, decoder) may be present and are ignored
   * @throws IllegalArgumentException naming a missing or wrongly shaped tensor, or an unknown one
   *     in the transformer's namespace
   */
  public DiffusionTransformer(ModelConfig config, Map<String, Tensor> weights) {
    config.requireTttAligned();
    DitParameters.Binder binder = new DitParameters.Binder(config, weights);
    this.config = config;
    this.positions = new TokenPositions(config);
    this.patchEmbed = binder.patchEmbed();
    this.timeEmbedding = binder.timestepEmbedding();
    List<CogVideoXBlock> blocks = new ArrayList<>();
    for (int i = 0; i < config.layers(); i++) {
      blocks.add(binder.transformerBlock(i, positions));
    }
    this.transformerBlocks = List.copyOf(blocks);
    this.normFinal = binder.normFinal();
    this.normOut = binder.normOut();
    this.projOut = binder.projOut();
    binder.finish();
  }

  public ModelConfig config() {
    return config;
  }

  /** The TTT layer of block {@code i}, or null without TTT. */
  public TttLayer tttLayer(int i) {
    return transformerBlocks.get(i).tttLayer();
  }

  // ================================================================ embeddings

  /** The time embedding {@code temb [B, E]} (see {@link TimestepEmbedding}). */
  public Tensor timeEmbedding(Compute c, float timestep, int batch) {
    return timeEmbedding.forward(c, timestep, batch);
  }

  /**
   * A segment's tokens: its text embeddings projected to the width, then its latent frames cut into
   * p x p patches (see {@link PatchEmbed}).
   *
   * @param latents {@code [B, F_s, C, h, w]}
   * @param text {@code [B, T, textDim]}
   * @return {@code [B, T + V_s, W]}
   */
  public Tensor embed(Compute c, Tensor latents, Tensor text) {
    return patchEmbed.forward(c, latents, text);
  }

  // ================================================================ block phases

  /**
   * {@link Phase#ATTENTION} of block {@code bi} for segment {@code s}. For the {@code segment}
   * scope the window is the segment's text, the previous segment's last latent frame (for s > 0)
   * and its own frames, with window-local rotary positions (the prefix frame is frame 0); the
   * prefix frame's output is averaged with the one the previous window gave it. For {@code full}
   * and {@code sliding} the segment's tokens attend to the keys of {@link Phase#KEY_VALUES}.
   *
   * @param acts the activations of all segments; entry s (and s − 1) are replaced
   */
  public void attention(Compute c, int bi, List<SegmentActs> acts, int s, Tensor temb) {
    transformerBlocks.get(bi).attention(c, acts, s, temb);
  }

  /** First video token (index into the whole video's token sequence) of segment {@code s}. */
  public int videoStart(int s) {
    return positions.videoStart(s);
  }

  /** Video tokens of a video of {@code segments} segments. */
  public int videoTokens(int segments) {
    return positions.videoTokens(segments);
  }

  /**
   * {@link Phase#KEY_VALUES} of block {@code bi} for segment {@code s} ({@code full} and {@code
   * sliding} scopes): the layer-normed keys with rotary positions of the whole video (frame indices
   * counted from the first frame), and the values.
   */
  public void keyValues(Compute c, int bi, List<SegmentActs> acts, int s, Tensor temb) {
    transformerBlocks.get(bi).keyValues(c, acts, s, temb);
  }

  /** The TTT state every scan of block {@code bi} starts from. */
  public TttState initialTttState(int bi, int batch) {
    return transformerBlocks.get(bi).initialTttState(batch);
  }

  /**
   * {@link Phase#TTT_FORWARD} of block {@code bi} for segment {@code s}: its piece {@code [text_s,
   * video_s]} of the forward scan from {@code state}; {@code mix ← mix + tanh(α_fwd) ⊙ TTT(mix)}.
   * Rotary positions of the video tokens are their positions in the whole video.
   *
   * @return the TTT state after the piece
   */
  public TttState tttForward(Compute c, int bi, List<SegmentActs> acts, int s, TttState state) {
    return transformerBlocks.get(bi).tttForward(c, acts, s, state);
  }

  /**
   * {@link Phase#TTT_BACKWARD} of block {@code bi} for segment {@code s} (segments are visited last
   * to first): its piece of the backward scan is its text in order followed by its video tokens
   * reversed; the output is put back in order and {@code mix ← mix + tanh(α_bwd) ⊙ TTT(piece)}.
   * Rotary positions are the positions in the reversed video sequence handed to the layer.
   *
   * @param segments S, the number of segments of the video
   * @return the TTT state after the piece
   */
  public TttState tttBackward(
      Compute c, int bi, List<SegmentActs> acts, int s, int segments, TttState state) {
    return transformerBlocks.get(bi).tttBackward(c, acts, s, segments, state);
  }

  /**
   * {@link Phase#FEED_FORWARD} of block {@code bi} for segment {@code s}: {@code x ← x + gate_msa ⊙
   * mix}, then {@code x ← x + gate_ff ⊙ FF(modulated LN(x))}; the segment leaves the block as
   * {@link SegmentActs#of}.
   */
  public void feedForward(Compute c, int bi, List<SegmentActs> acts, int s, Tensor temb) {
    transformerBlocks.get(bi).feedForward(c, acts, s, temb);
  }

  // ================================================================ output

  /**
   * The prediction for one segment from its residual stream after the last block: {@code
   * norm_final}, {@code norm_out} (LN modulated by shift, scale from the time embedding), {@code
   * proj_out}, unpatchify.
   *
   * @param hidden {@code [B, T + V_s, W]}
   * @return {@code [B, F_s, C, h, w]}
   */
  public Tensor output(Compute c, Tensor hidden, Tensor temb, int s) {
    int text = config.textTokens();
    Tensor video = Tensors.rows(hidden, text, hidden.dim(1)); // [B, V_s, W]
    Tensor x = normOut.forward(c, normFinal.forward(c, video), temb); // [B, V_s, W]
    Tensor patches = c.linearBound(x, projOut); // [B, V_s, W] -> [B, V_s, C·p·p]
    return patchEmbed.unpatchify(patches, config.framesOf(s));
  }

  // ================================================================ whole video

  /**
   * The whole forward pass for a video: every unit in order.
   *
   * @param latents per segment {@code [B, F_s, C, h, w]}
   * @param text per segment {@code [B, T, textDim]}
   * @return the prediction per segment, {@code [B, F_s, C, h, w]}
   */
  public List<Tensor> forward(Compute c, List<Tensor> latents, List<Tensor> text, float timestep) {
    int segments = latents.size();
    int nb = latents.get(0).dim(0);
    Tensor temb = timeEmbedding(c, timestep, nb);
    List<SegmentActs> acts = new ArrayList<>();
    for (int s = 0; s < segments; s++) {
      acts.add(SegmentActs.of(embed(c, latents.get(s), text.get(s))));
    }
    for (int bi = 0; bi < config.layers(); bi++) {
      runBlock(c, bi, acts, temb);
    }
    List<Tensor> out = new ArrayList<>();
    for (int s = 0; s < segments; s++) {
      out.add(output(c, acts.get(s).hidden(), temb, s));
    }
    return out;
  }

  /** All phases of block {@code bi} over all segments, in unit order. */
  public void runBlock(Compute c, int bi, List<SegmentActs> acts, Tensor temb) {
    int segments = acts.size();
    int nb = temb.dim(0);
    for (Phase phase : Phase.of(config)) {
      TttState state =
          phase == Phase.TTT_FORWARD || phase == Phase.TTT_BACKWARD
              ? initialTttState(bi, nb)
              : null;
      for (int k = 0; k < segments; k++) {
        int s = phase.reversed() ? segments - 1 - k : k;
        state = runUnit(c, bi, phase, acts, s, temb, state);
      }
    }
  }

  /** One unit: {@code phase} of block {@code bi} on segment {@code s}; returns the TTT state. */
  public TttState runUnit(
      Compute c, int bi, Phase phase, List<SegmentActs> acts, int s, Tensor temb, TttState state) {
    switch (phase) {
      case KEY_VALUES -> keyValues(c, bi, acts, s, temb);
      case ATTENTION -> attention(c, bi, acts, s, temb);
      case TTT_FORWARD -> {
        return tttForward(c, bi, acts, s, state);
      }
      case TTT_BACKWARD -> {
        return tttBackward(c, bi, acts, s, acts.size(), state);
      }
      case FEED_FORWARD -> feedForward(c, bi, acts, s, temb);
      default -> throw new AssertionError(phase);
    }
    return state;
  }
}
