package org.tttvideo.model.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.naive.NaiveCompute;
import org.tttvideo.model.config.AttentionScope;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.config.TttMode;
import org.tttvideo.model.decode.DecoderCache;
import org.tttvideo.model.dit.DiffusionTransformer;
import org.tttvideo.model.dit.ModelWeights;
import org.tttvideo.model.dit.Tensors;
import org.tttvideo.model.sampler.DdimSampler;
import org.tttvideo.model.text.TextEncoder;

class GeneratorTest {
  private static final List<String> PROMPTS =
      List.of(
          "tom chases jerry in the kitchen", "jerry runs into a hole", "tom looks at the camera");

  private final Compute c = new NaiveCompute();

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
    ByteBuffer.wrap(bytes).putInt(4, 4);
    assertThatThrownBy(() -> GenerationStateSerializer.fromBytes(bytes))
        .isInstanceOf(IOException.class)
        .hasMessage("unsupported generation state version 4 (this build reads versions 1..3)");
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
  void stateOfAConfigWithTheSameNameButOtherValuesIsRefused() {
    // The restored-state check compares the whole configuration: tiny with one more TTT gate
    // opening is still named "tiny", but its state must not continue on the tiny preset.
    ModelConfig tiny = ModelConfig.tiny();
    ModelConfig other = tiny.toBuilder().gateInit(0.3f).build();
    Generator preset = new Generator(c, ModelWeights.init(tiny, 6));
    Generator changed = new Generator(c, ModelWeights.init(other, 6));
    GenerationState fromPreset = preset.start(request(1));
    GenerationState fromChanged = changed.start(request(1));
    assertThat(fromPreset.model()).isEqualTo("tiny");
    assertThat(fromChanged.model()).isEqualTo(other.identity()).startsWith("tiny#");
    assertThatThrownBy(() -> preset.step(fromChanged))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "state belongs to model '" + other.identity() + "', this generator runs 'tiny'");
    assertThatThrownBy(() -> changed.step(fromPreset))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "state belongs to model 'tiny', this generator runs '" + other.identity() + "'");
    assertThat(changed.step(fromChanged).unit()).isEqualTo(1);
  }

  /** A text encoder that counts how often each string is encoded. */
  private static final class CountingEncoder implements TextEncoder {
    final TextEncoder delegate;
    final Map<String, Integer> calls = new HashMap<>();

    CountingEncoder(TextEncoder delegate) {
      this.delegate = delegate;
    }

    @Override
    public int tokens() {
      return delegate.tokens();
    }

    @Override
    public int dim() {
      return delegate.dim();
    }

    @Override
    public Tensor encode(Compute compute, String prompt) {
      calls.merge(prompt, 1, Integer::sum);
      return delegate.encode(compute, prompt);
    }
  }

  private Generator withEncoder(ModelWeights w, TextEncoder encoder) {
    return new Generator(c, w.config(), w.transformer(), encoder, w.decoder());
  }

  /**
   * Each segment's unconditional branch holds its own negative prompt: batch entry 0 of segment s
   * is the encoding of negative prompt s, entry 1 that of prompt s.
   */
  @Test
  void eachSegmentsUnconditionalBranchHoldsItsOwnNegativePrompt() {
    ModelWeights w = ModelWeights.init(ModelConfig.tiny(), 9);
    List<String> negatives = List.of("blurry", "dark", "");
    GenerationRequest req = new GenerationRequest(PROMPTS, negatives, 1234, 1, 6.0);
    GenerationState s = new Generator(c, w).start(req);
    for (int i = 0; i < PROMPTS.size(); i++) {
      Tensor negative = w.textEncoder().encode(c, negatives.get(i));
      Tensor positive = w.textEncoder().encode(c, PROMPTS.get(i));
      assertThat(Tensors.entry(s.text().get(i), 0).bitEquals(negative))
          .as("unconditional text of segment " + i)
          .isTrue();
      assertThat(Tensors.entry(s.text().get(i), 1).bitEquals(positive))
          .as("conditional text of segment " + i)
          .isTrue();
    }
    assertThat(Tensors.entry(s.text().get(0), 0).bitEquals(Tensors.entry(s.text().get(1), 0)))
        .as("'blurry' and 'dark' encode differently")
        .isFalse();
  }

  /**
   * One negative prompt for every segment is encoded once, and the text of every segment is what it
   * was when a request had one negative prompt per video: stack(encode(negative), encode(prompt));
   * everything after start() is unchanged, so the video is too.
   */
  @Test
  void aNegativePromptSharedByEverySegmentIsEncodedOnceAsBefore() {
    ModelWeights w = ModelWeights.init(ModelConfig.tiny(), 9);
    CountingEncoder counting = new CountingEncoder(w.textEncoder());
    GenerationRequest shared = request(1);
    GenerationRequest perSegment =
        new GenerationRequest(
            PROMPTS, List.of("blurry, dark", "blurry, dark", "blurry, dark"), 1234, 1, 6.0);
    assertThat(perSegment).isEqualTo(shared);
    GenerationState s = withEncoder(w, counting).start(perSegment);
    assertThat(counting.calls).containsEntry("blurry, dark", 1).hasSize(1 + PROMPTS.size());
    Tensor negative = w.textEncoder().encode(c, "blurry, dark");
    for (int i = 0; i < PROMPTS.size(); i++) {
      Tensor before = Tensors.stack(List.of(negative, w.textEncoder().encode(c, PROMPTS.get(i))));
      assertThat(s.text().get(i).bitEquals(before)).as("text of segment " + i).isTrue();
    }
  }

  @Test
  void requestsHoldOneNegativePromptPerSegment() {
    assertThat(new GenerationRequest(PROMPTS, (String) null, 1, 1, 6.0).negativePrompts())
        .containsExactly("", "", "");
    assertThat(
            new GenerationRequest(PROMPTS, Arrays.asList("a", null, "c"), 1, 1, 6.0)
                .negativePrompts())
        .containsExactly("a", "", "c");
    assertThatThrownBy(() -> new GenerationRequest(PROMPTS, List.of("a", "b"), 1, 1, 6.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "negativePrompts must hold one negative prompt per segment: got 2 negative prompts"
                + " for 3 prompts");
    assertThatThrownBy(() -> new GenerationRequest(PROMPTS, (List<String>) null, 1, 1, 6.0))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("negativePrompts");
  }

  /** A compute backend (the plain one) that counts calls of close(). */
  private static final class CloseCounter {
    int closes;

    Compute compute() {
      Compute plain = new NaiveCompute();
      return (Compute)
          Proxy.newProxyInstance(
              Compute.class.getClassLoader(),
              new Class<?>[] {Compute.class},
              (proxy, method, args) -> {
                if (method.getName().equals("close") && method.getParameterCount() == 0) {
                  closes++;
                  return null;
                }
                try {
                  return method.invoke(plain, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }
  }

  @Test
  void closeClosesAnOwnedComputeOnceAndABorrowedOneNever() {
    ModelWeights w = ModelWeights.init(ModelConfig.tiny(), 9);
    CloseCounter borrowed = new CloseCounter();
    Generator borrowing = new Generator(borrowed.compute(), w);
    assertThat(borrowing.ownsCompute()).isFalse();
    borrowing.close();
    assertThat(borrowed.closes).as("closes of a borrowed compute").isZero();

    CloseCounter owned = new CloseCounter();
    Generator owning = Generator.owning(owned.compute(), w);
    assertThat(owning.ownsCompute()).isTrue();
    GenerationState s = owning.start(request(1));
    owning.close();
    owning.close();
    assertThat(owned.closes).as("closes of an owned compute").isEqualTo(1);
    assertThatThrownBy(() -> owning.step(s))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this Generator of model 'tiny' is closed");
    assertThatThrownBy(() -> borrowing.start(request(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this Generator of model 'tiny' is closed");
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
