package org.tttvideo.model.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.config.AttentionScope;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.config.TttMode;
import org.tttvideo.model.decode.DecoderCache;
import org.tttvideo.model.dit.DiffusionTransformer;
import org.tttvideo.model.dit.ModelWeights;
import org.tttvideo.model.dit.PlainCompute;
import org.tttvideo.model.dit.Tensors;
import org.tttvideo.model.sampler.DdimSampler;

class GeneratorTest {
  private static final List<String> PROMPTS =
      List.of(
          "tom chases jerry in the kitchen", "jerry runs into a hole", "tom looks at the camera");

  private final Compute c = new PlainCompute();

  private static GenerationRequest request(int steps) {
    return new GenerationRequest(PROMPTS, "blurry, dark", 1234, steps, 6.0);
  }

  private static void assertSameVideo(GeneratedVideo a, GeneratedVideo b) {
    assertThat(a.frames()).hasSameSizeAs(b.frames());
    for (int s = 0; s < a.frames().size(); s++) {
      assertThat(a.latents().get(s).bitEquals(b.latents().get(s))).as("latents " + s).isTrue();
      assertThat(a.frames().get(s).bitEquals(b.frames().get(s))).as("frames " + s).isTrue();
    }
  }

  @Test
  void generatesTheConfiguredFramesSizeAndFps() {
    ModelConfig tiny = ModelConfig.tiny();
    GeneratedVideo v = new Generator(c, ModelWeights.init(tiny, 3)).generate(request(2));
    assertThat(v.frames()).hasSize(3);
    for (int s = 0; s < 3; s++) {
      assertThat(v.frames().get(s).shape())
          .containsExactly(
              tiny.outputFramesOf(s),
              tiny.derived().outputHeight(),
              tiny.derived().outputWidth(),
              3);
    }
    assertThat(v.fps()).isEqualTo(tiny.fps());
    assertThat(v.frameCount()).isEqualTo(tiny.outputFrames(3));
  }

  /**
   * generate() (unit by unit) equals the whole-video path: the transformer's whole forward pass per
   * step, guidance and DDIM on all segments, then decoding all latent frames at once.
   */
  @Test
  void unitByUnitEqualsTheWholeVideoPath() {
    for (ModelConfig config :
        List.of(
            ModelConfig.tiny(),
            ModelConfig.tiny().toBuilder()
                .ttt(TttMode.LINEAR)
                .attention(AttentionScope.FULL)
                .build(),
            ModelConfig.tiny().toBuilder()
                .attention(AttentionScope.sliding(2))
                .bidirectional(false)
                .build())) {
      ModelWeights weights = ModelWeights.init(config, 8);
      Generator g = new Generator(c, weights);
      GenerationRequest req = request(2);
      GeneratedVideo video = g.generate(req);

      GenerationState start = g.start(req);
      DiffusionTransformer dit = weights.transformer();
      DdimSampler sampler =
          new DdimSampler(req.steps(), req.guidanceScale(), config.guidanceExponent());
      List<Tensor> latents = new ArrayList<>(start.latents());
      for (int i = 0; i < req.steps(); i++) {
        List<Tensor> batched = new ArrayList<>();
        for (Tensor l : latents) {
          batched.add(Tensors.repeatBatch(l, 2));
        }
        List<Tensor> v = dit.forward(c, batched, start.text(), sampler.timestep(i));
        for (int s = 0; s < latents.size(); s++) {
          Tensor guided =
              sampler.guide(c, Tensors.entry(v.get(s), 0), Tensors.entry(v.get(s), 1), i);
          latents.set(s, sampler.step(c, i, guided, latents.get(s)));
        }
      }
      for (int s = 0; s < latents.size(); s++) {
        assertThat(video.latents().get(s).bitEquals(latents.get(s)))
            .as(config.attention() + " latents " + s)
            .isTrue();
      }
      DecoderCache cache = DecoderCache.EMPTY;
      for (int s = 0; s < latents.size(); s++) {
        var r = weights.decoder().decode(c, latents.get(s), cache);
        cache = r.cache();
        assertThat(video.frames().get(s).bitEquals(r.frames())).as("frames " + s).isTrue();
      }
    }
  }

  /** Serialising after every unit and continuing from the copy gives the same bytes. */
  @Test
  void serialisingAfterAnyUnitAndContinuingIsBitIdentical() throws IOException {
    ModelConfig tiny = ModelConfig.tiny();
    Generator g = new Generator(c, ModelWeights.init(tiny, 4));
    GenerationRequest req = request(2);
    GeneratedVideo expected = g.generate(req);

    GenerationState s = g.start(req);
    List<Tensor> frames = new ArrayList<>();
    int units = 0;
    boolean sawTttState = false;
    while (!g.isDone(s)) {
      s = g.step(s);
      units++;
      sawTttState |= s.ttt() != null;
      byte[] bytes = GenerationStateSerializer.toBytes(s);
      GenerationState copy = GenerationStateSerializer.fromBytes(bytes);
      assertThat(GenerationStateSerializer.toBytes(copy)).isEqualTo(bytes);
      s = copy;
      if (s.decodedFrames() != null) {
        frames.add(s.decodedFrames());
      }
    }
    assertThat(units).isEqualTo(g.plan(s).total());
    assertThat(sawTttState).isTrue();
    assertSameVideo(new GeneratedVideo(frames, s.latents(), tiny.fps()), expected);
  }

  @Test
  void aStateFromTheMiddleOfAScanContinuesOnAFreshGenerator() throws IOException {
    ModelConfig tiny = ModelConfig.tiny();
    ModelWeights w = ModelWeights.init(tiny, 5);
    GenerationRequest req = request(1);
    Generator first = new Generator(c, w);
    GenerationState s = first.start(req);
    while (first.next(s).phase() != org.tttvideo.model.dit.Phase.TTT_BACKWARD
        || first.next(s).segment() != 1) {
      s = first.step(s);
    }
    assertThat(s.ttt()).isNotNull();
    GenerationState copy =
        GenerationStateSerializer.fromBytes(GenerationStateSerializer.toBytes(s));
    Generator second = new Generator(c, w);
    while (!first.isDone(s)) {
      s = first.step(s);
      copy = second.step(copy);
      assertThat(GenerationStateSerializer.toBytes(copy))
          .isEqualTo(GenerationStateSerializer.toBytes(s));
    }
  }

  @Test
  void rejectsUnknownVersionsAndForeignStates() throws IOException {
    Generator g = new Generator(c, ModelWeights.init(ModelConfig.tiny(), 6));
    byte[] bytes = GenerationStateSerializer.toBytes(g.start(request(1)));
    ByteBuffer.wrap(bytes).putInt(4, 2);
    assertThatThrownBy(() -> GenerationStateSerializer.fromBytes(bytes))
        .isInstanceOf(IOException.class)
        .hasMessage("unsupported generation state version 2 (this build reads version 1)");
    ByteBuffer.wrap(bytes).putInt(0, 7);
    assertThatThrownBy(() -> GenerationStateSerializer.fromBytes(bytes))
        .hasMessageContaining("not a generation state");
    GenerationState s = g.start(request(1));
    GenerationState foreign =
        new GenerationState(
            "small",
            s.request(),
            0,
            s.text(),
            s.latents(),
            s.acts(),
            null,
            s.decoderCache(),
            -1,
            null);
    assertThatThrownBy(() -> g.step(foreign))
        .hasMessage("state belongs to model 'small', this generator runs 'tiny'");
  }

  @Test
  void planOrdersUnitsAsTheDesignSays() {
    ModelConfig tiny = ModelConfig.tiny();
    WorkPlan plan = new WorkPlan(tiny, 3, 2);
    // per step: 3 embed + 2 blocks x 4 phases x 3 segments + 3 outputs; then 3 decodes
    assertThat(plan.perStep()).isEqualTo(30);
    assertThat(plan.total()).isEqualTo(63);
    assertThat(plan.unit(0).kind()).isEqualTo(WorkUnit.Kind.EMBED);
    assertThat(plan.unit(3).toString()).isEqualTo("step 0 block 0 ATTENTION segment 0");
    assertThat(plan.unit(9).toString()).isEqualTo("step 0 block 0 TTT_BACKWARD segment 2");
    assertThat(plan.unit(11).toString()).isEqualTo("step 0 block 0 TTT_BACKWARD segment 0");
    assertThat(plan.unit(29).toString()).isEqualTo("OUTPUT step 0 segment 2");
    assertThat(plan.unit(60).toString()).isEqualTo("DECODE segment 0");
    assertThat(plan.unit(63).kind()).isEqualTo(WorkUnit.Kind.DONE);
  }
}
