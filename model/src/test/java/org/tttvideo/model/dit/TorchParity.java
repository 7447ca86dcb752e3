package org.tttvideo.model.dit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.generate.GenerationRequest;

/**
 * What {@link TorchParityFixture}, {@code tools/train/make_parity_reference.py} and {@link
 * TorchParityTest} share: the tensor names of the parity file and the sampling request.
 */
final class TorchParity {
  private TorchParity() {}

  /** Tensor names of the parity file besides the weights; outputs get a {@code torch.} prefix. */
  static final class Names {
    static final String PREFIX = "parity.";
    static final String SMALL_IDS = PREFIX + "small_ids";
    static final String TTT_IN = PREFIX + "ttt.in";
    static final String TTT_OUT = PREFIX + "ttt.out";
    static final String TTT_B1 = PREFIX + "ttt.b1";
    static final String TTT_B2 = PREFIX + "ttt.b2";

    private Names() {}

    static String latents(int s) {
      return PREFIX + "latents." + s;
    }

    static String ids(int s) {
      return PREFIX + "ids." + s;
    }

    static String noise(int s) {
      return PREFIX + "noise." + s;
    }

    static String text(int s) {
      return PREFIX + "text." + s;
    }

    static String forward(int s) {
      return PREFIX + "forward." + s;
    }

    static String ddimLatents(int s) {
      return PREFIX + "ddim.latents." + s;
    }

    static String ddimFrames(int s) {
      return PREFIX + "ddim.frames." + s;
    }
  }

  /** The 2-step sampling request: the fixture's prompts, negative prompts and noise seed. */
  static GenerationRequest request() {
    return new GenerationRequest(
        TorchParityFixture.PROMPTS,
        TorchParityFixture.NEGATIVES,
        TorchParityFixture.NOISE_SEED,
        TorchParityFixture.DDIM_STEPS,
        TorchParityFixture.GUIDANCE);
  }

  /** Every value of {@code c} under its Java name, as {@code String.valueOf} writes it. */
  static Map<String, String> configValues(ModelConfig c) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("name", c.name());
    m.put("width", String.valueOf(c.width()));
    m.put("heads", String.valueOf(c.heads()));
    m.put("layers", String.valueOf(c.layers()));
    m.put("timeEmbedDim", String.valueOf(c.timeEmbedDim()));
    m.put("textDim", String.valueOf(c.textDim()));
    m.put("textTokens", String.valueOf(c.textTokens()));
    m.put("vocabSize", String.valueOf(c.vocabSize()));
    m.put("latentChannels", String.valueOf(c.latentChannels()));
    m.put("latentHeight", String.valueOf(c.latentHeight()));
    m.put("latentWidth", String.valueOf(c.latentWidth()));
    m.put("patchSize", String.valueOf(c.patchSize()));
    m.put("firstSegmentFrames", String.valueOf(c.firstSegmentFrames()));
    m.put("segmentFrames", String.valueOf(c.segmentFrames()));
    m.put("temporalCompression", String.valueOf(c.temporalCompression()));
    m.put("spatialCompression", String.valueOf(c.spatialCompression()));
    m.put("fps", String.valueOf(c.fps()));
    m.put("ttt", String.valueOf(c.ttt()));
    m.put("tttMiniBatch", String.valueOf(c.tttMiniBatch()));
    m.put("tttBaseLr", String.valueOf(c.tttBaseLr()));
    m.put("gateInit", String.valueOf(c.gateInit()));
    m.put("bidirectional", String.valueOf(c.bidirectional()));
    m.put("attention", String.valueOf(c.attention()));
    m.put("steps", String.valueOf(c.steps()));
    m.put("guidanceScale", String.valueOf(c.guidanceScale()));
    m.put("guidanceExponent", String.valueOf(c.guidanceExponent()));
    return m;
  }
}
