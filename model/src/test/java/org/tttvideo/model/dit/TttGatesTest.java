package org.tttvideo.model.dit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.Comparison;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.Tolerance;
import org.tttvideo.model.compute.TttState;
import org.tttvideo.model.compute.naive.NaiveCompute;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.config.TttMode;
import org.tttvideo.model.ttt.BidirectionalTtt;
import org.tttvideo.model.ttt.TokenLayout;

/** The TTT part of the blocks: gates at zero, and the segment-by-segment scans. */
class TttGatesTest {
  private static final int SEGMENTS = 3;
  private final Compute c = new NaiveCompute();

  private static List<Tensor> randomLatents(ModelConfig config, Random rnd, int batch) {
    List<Tensor> out = new ArrayList<>();
    for (int s = 0; s < SEGMENTS; s++) {
      int[] shape = {
        batch,
        config.framesOf(s),
        config.latentChannels(),
        config.latentHeight(),
        config.latentWidth()
      };
      Tensor t = Tensor.zeros(shape);
      for (int i = 0; i < t.size(); i++) {
        t.data()[i] = (float) rnd.nextGaussian();
      }
      out.add(t);
    }
    return out;
  }

  private static List<Tensor> randomText(ModelConfig config, Random rnd, int batch) {
    List<Tensor> out = new ArrayList<>();
    for (int s = 0; s < SEGMENTS; s++) {
      Tensor t = Tensor.zeros(batch, config.textTokens(), config.textDim());
      for (int i = 0; i < t.size(); i++) {
        t.data()[i] = (float) rnd.nextGaussian();
      }
      out.add(t);
    }
    return out;
  }

  @Test
  void withAllGatesAtZeroTheModelEqualsTheModelWithoutTtt() {
    ModelConfig withTtt = ModelConfig.tiny();
    ModelConfig without = withTtt.toBuilder().ttt(TttMode.NONE).build();
    ModelWeights wTtt = ModelWeights.init(withTtt, 11);
    ModelWeights wNone = ModelWeights.init(without, 11);
    // the same non-TTT weights in both
    for (Map.Entry<String, Tensor> e : wNone.tensors().entrySet()) {
      assertThat(wTtt.tensors().get(e.getKey()).bitEquals(e.getValue())).as(e.getKey()).isTrue();
    }
    Map<String, Tensor> zeroGates = new HashMap<>();
    for (int i = 0; i < withTtt.layers(); i++) {
      for (String g : DitParameters.gateNames()) {
        zeroGates.put(DitParameters.block(i) + g, Tensor.zeros(withTtt.width()));
      }
    }
    Random rnd = new Random(1);
    List<Tensor> latents = randomLatents(withTtt, rnd, 2);
    List<Tensor> text = randomText(withTtt, rnd, 2);

    List<Tensor> plain = wNone.transformer().forward(c, latents, text, 700f);
    List<Tensor> gated0 = wTtt.with(zeroGates).transformer().forward(c, latents, text, 700f);
    List<Tensor> gated = wTtt.transformer().forward(c, latents, text, 700f);
    for (int s = 0; s < SEGMENTS; s++) {
      Comparison same =
          Comparison.of(gated0.get(s).data(), plain.get(s).data(), Tolerance.rtol(0).atol(0));
      assertThat(same.passed()).as("segment " + s + ": " + same).isTrue();
      // and the TTT layers do change the output when their gates are open
      Comparison open =
          Comparison.of(gated.get(s).data(), plain.get(s).data(), Tolerance.rtol(0).atol(1e-7));
      assertThat(open.passed()).as("segment " + s + " with gates 0.1").isFalse();
    }
  }

  /**
   * Scanning segment by segment, carrying the TTT state, gives the same output as the
   * whole-sequence gated bidirectional step of the TTT package (same segment sizes in both
   * directions, so one rotary table serves both scan orders there). Bit-identity of split scans on
   * the production backends is covered by the generation tests.
   */
  @Test
  void segmentBySegmentScansEqualTheWholeSequenceBidirectionalStep() {
    splitScansAgainstWholeSequence(c, false);
  }

  /**
   * On the default backend the scans keep float state throughout: pieces equal the whole bit for
   * bit.
   */
  @Test
  void splitScansAreBitIdenticalOnTheDefaultBackend() {
    try (Compute vector = org.tttvideo.model.compute.ComputeBackends.create("vector")) {
      splitScansAgainstWholeSequence(vector, true);
    }
  }

  private void splitScansAgainstWholeSequence(Compute c, boolean bitIdentical) {
    ModelConfig config = ModelConfig.tiny().toBuilder().firstSegmentFrames(2).build();
    ModelWeights weights = ModelWeights.init(config, 5);
    DiffusionTransformer dit = weights.transformer();
    int text = config.textTokens();
    int video = config.videoTokensOf(0);
    int nb = 2;
    Random rnd = new Random(9);
    List<SegmentActs> acts = new ArrayList<>();
    for (int s = 0; s < SEGMENTS; s++) {
      Tensor mix = Tensor.zeros(nb, text + video, config.width());
      for (int i = 0; i < mix.size(); i++) {
        mix.data()[i] = (float) rnd.nextGaussian();
      }
      acts.add(new SegmentActs(mix, mix, null, null));
    }
    // model layout: all text, then all video
    List<Tensor> parts = new ArrayList<>();
    for (SegmentActs a : acts) {
      parts.add(Tensors.rows(a.mix(), 0, text));
    }
    for (SegmentActs a : acts) {
      parts.add(Tensors.rows(a.mix(), text, text + video));
    }
    Tensor x = Tensors.cat1(parts);

    List<SegmentActs> run = new ArrayList<>(acts);
    TttState state = dit.initialTttState(0, nb);
    for (int s = 0; s < SEGMENTS; s++) {
      state = dit.tttForward(c, 0, run, s, state);
    }
    state = dit.initialTttState(0, nb);
    for (int s = SEGMENTS - 1; s >= 0; s--) {
      state = dit.tttBackward(c, 0, run, s, SEGMENTS, state);
    }

    Map<String, Tensor> named = new HashMap<>();
    String prefix = DitParameters.block(0);
    for (Map.Entry<String, Tensor> e : weights.tensors().entrySet()) {
      if (e.getKey().startsWith(prefix + DitParameters.TTT_PREFIX)) {
        named.put(e.getKey().substring((prefix + DitParameters.TTT_PREFIX).length()), e.getValue());
      } else if (e.getKey().startsWith(prefix) && e.getKey().contains("_ssm_gating_")) {
        named.put(e.getKey().substring(prefix.length()), e.getValue());
      }
    }
    BidirectionalTtt reference = BidirectionalTtt.fromNamed(config.tttConfig(), named);
    TokenLayout layout = TokenLayout.uniform(SEGMENTS, text, video);
    // In both scan orders the k-th video token of the sequence handed to the layer has video
    // position k, and text tokens sit at the same places: one table for both directions.
    Rope3d rope = new Rope3d(config);
    int[] frame = new int[layout.totalTokens()];
    int[] row = new int[frame.length];
    int[] col = new int[frame.length];
    int k = 0;
    int perFrame = config.tokensPerFrame();
    int cols = config.derived().latentCols();
    for (int s = 0; s < SEGMENTS; s++) {
      for (int t = 0; t < text; t++, k++) {
        frame[k] = -1;
      }
      for (int v = 0; v < video; v++, k++) {
        int j = s * video + v;
        frame[k] = j / perFrame;
        row[k] = (j % perFrame) / cols;
        col[k] = j % cols;
      }
    }
    Tensor y = reference.forward(c, x, layout, rope.asQkTransform(rope.tables(frame, row, col)));
    for (int s = 0; s < SEGMENTS; s++) {
      Tensor expected =
          Tensors.cat1(
              List.of(
                  Tensors.rows(y, s * text, (s + 1) * text),
                  Tensors.rows(y, SEGMENTS * text + s * video, SEGMENTS * text + (s + 1) * video)));
      if (bitIdentical) {
        assertThat(run.get(s).mix().bitEquals(expected)).as("segment " + s).isTrue();
        continue;
      }
      // The plain test backend's reference scan keeps the inner weights in double within one call
      // and rounds them to float between calls, so pieces and the whole agree to float rounding.
      Comparison cmp =
          Comparison.of(run.get(s).mix().data(), expected.data(), Tolerance.rtol(1e-5).atol(1e-6));
      assertThat(cmp.passed()).as("segment " + s + ": " + cmp).isTrue();
    }
  }
}
