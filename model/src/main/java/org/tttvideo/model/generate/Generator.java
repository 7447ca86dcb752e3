package org.tttvideo.model.generate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttState;
import org.tttvideo.model.config.ModelConfig;
import org.tttvideo.model.decode.DecoderCache;
import org.tttvideo.model.decode.LatentDecoder;
import org.tttvideo.model.dit.DiffusionTransformer;
import org.tttvideo.model.dit.ModelWeights;
import org.tttvideo.model.dit.Phase;
import org.tttvideo.model.dit.SegmentActs;
import org.tttvideo.model.dit.Tensors;
import org.tttvideo.model.sampler.DdimSampler;
import org.tttvideo.model.text.TextEncoder;

/**
 * The incremental generation API: a request becomes an explicit {@link GenerationState}, and {@link
 * #step} performs the next bounded work unit ({@link WorkPlan}: one segment of one phase of one
 * block of one denoising step; then decoding one segment) and returns the new state. Running the
 * units one by one, through {@link #generate}, or from a state serialised after any unit gives
 * bit-identical latents and frames on the same backend.
 *
 * <pre>{@code
 * try (Generator g = Generator.owning(ComputeBackends.create("vector"), weights)) {
 *   GenerationState s = g.start(GenerationRequest.of(config, prompts, negatives, 42));
 *   while (!g.isDone(s)) {
 *     s = g.step(s);
 *     if (s.decodedFrames() != null) emit(s.decodedSegment(), s.decodedFrames());
 *   }
 * } // closes the backend it owns
 * }</pre>
 *
 * <p>Classifier-free guidance runs both branches as a batch of 2: each segment's own negative
 * prompt first, then its prompt.
 *
 * <h2>Who closes the compute backend</h2>
 *
 * A generator either <em>owns</em> its {@link Compute} ({@link #owning}: {@link #close()} closes
 * it) or <em>borrows</em> it (the public constructors: the caller created it, may share it between
 * generators, and closes it itself; {@link #close()} leaves it open). A {@code GeneratorFactory}
 * that creates a backend for the generator it returns uses {@link #owning}, so that whoever closes
 * the generator releases the backend's threads.
 *
 * <pre>{@code
 * try (Compute c = ComputeBackends.create("vector")) {   // the caller owns c
 *   GeneratedVideo a = new Generator(c, weightsA).generate(requestA);
 *   GeneratedVideo b = new Generator(c, weightsB).generate(requestB);
 * }
 * }</pre>
 */
public final class Generator implements AutoCloseable {
  private final Compute compute;
  private final boolean ownsCompute;
  private final ModelConfig config;
  private final DiffusionTransformer transformer;
  private final TextEncoder textEncoder;
  private final LatentDecoder decoder;
  private final UnitTimings timings = new UnitTimings();
  private boolean closed;

  /**
   * A generator that borrows {@code compute}: {@link #close()} does not close it; the caller does,
   * after every generator using it is done.
   */
  public Generator(
      Compute compute,
      ModelConfig config,
      DiffusionTransformer transformer,
      TextEncoder textEncoder,
      LatentDecoder decoder) {
    this(compute, false, config, transformer, textEncoder, decoder);
  }

  /**
   * A generator with the weights' transformer and built-in text encoder and decoder that borrows
   * {@code compute}: {@link #close()} does not close it.
   */
  public Generator(Compute compute, ModelWeights weights) {
    this(
        compute,
        false,
        weights.config(),
        weights.transformer(),
        weights.textEncoder(),
        weights.decoder());
  }

  private Generator(
      Compute compute,
      boolean ownsCompute,
      ModelConfig config,
      DiffusionTransformer transformer,
      TextEncoder textEncoder,
      LatentDecoder decoder) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.ownsCompute = ownsCompute;
    this.config = Objects.requireNonNull(config, "config");
    this.transformer = Objects.requireNonNull(transformer, "transformer");
    this.textEncoder = Objects.requireNonNull(textEncoder, "textEncoder");
    this.decoder = Objects.requireNonNull(decoder, "decoder");
  }

  /**
   * A generator that owns {@code compute}: {@link #close()} closes it. For a backend created for
   * this generator alone, e.g. in a {@code GeneratorFactory}.
   */
  public static Generator owning(
      Compute compute,
      ModelConfig config,
      DiffusionTransformer transformer,
      TextEncoder textEncoder,
      LatentDecoder decoder) {
    return new Generator(compute, true, config, transformer, textEncoder, decoder);
  }

  /**
   * A generator with the weights' transformer, text encoder and decoder that owns {@code compute}:
   * {@link #close()} closes it.
   */
  public static Generator owning(Compute compute, ModelWeights weights) {
    return owning(
        compute, weights.config(), weights.transformer(), weights.textEncoder(), weights.decoder());
  }

  /** Whether {@link #close()} closes the compute backend (see the class comment). */
  public boolean ownsCompute() {
    return ownsCompute;
  }

  /**
   * Closes the compute backend if this generator owns it ({@link #owning}); a borrowed one is left
   * to its owner. Idempotent; {@link #start} and {@link #step} refuse to run afterwards.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (ownsCompute) {
      compute.close();
    }
  }

  public ModelConfig config() {
    return config;
  }

  /** Time per kind of unit since construction or the last reset (for benchmarks). */
  public UnitTimings timings() {
    return timings;
  }

  /** The plan of {@code state}'s generation. */
  public WorkPlan plan(GenerationState state) {
    return new WorkPlan(config, state.request().segments(), state.request().steps());
  }

  /** The unit {@link #step} would run next. */
  public WorkUnit next(GenerationState state) {
    return plan(state).unit(state.unit());
  }

  public boolean isDone(GenerationState state) {
    return next(state).kind() == WorkUnit.Kind.DONE;
  }

  /**
   * The initial state: text encoded for both guidance branches of every segment (its own negative
   * prompt, then its prompt), latents drawn from the seed.
   */
  public GenerationState start(GenerationRequest request) {
    requireOpen();
    Random random = new Random(request.seed());
    List<Tensor> text = new ArrayList<>();
    List<Tensor> latents = new ArrayList<>();
    // Encoding is deterministic, so each distinct string is encoded once (a negative prompt shared
    // by every segment, the usual case, costs one encoding as it did with one per video).
    Map<String, Tensor> encoded = new HashMap<>();
    for (int s = 0; s < request.segments(); s++) {
      Tensor negative =
          encoded.computeIfAbsent(
              request.negativePrompts().get(s), p -> textEncoder.encode(compute, p));
      Tensor positive =
          encoded.computeIfAbsent(request.prompts().get(s), p -> textEncoder.encode(compute, p));
      text.add(Tensors.stack(List.of(negative, positive))); // [2, T, textDim]
      latents.add(
          DdimSampler.noise(
              random,
              config.framesOf(s),
              config.latentChannels(),
              config.latentHeight(),
              config.latentWidth()));
    }
    return new GenerationState(
        config.identity(),
        request,
        0,
        text,
        latents,
        List.of(),
        null,
        DecoderCache.EMPTY,
        -1,
        null);
  }

  /** Runs every unit and collects the frames. */
  public GeneratedVideo generate(GenerationRequest request) {
    GenerationState s = start(request);
    List<Tensor> frames = new ArrayList<>();
    while (!isDone(s)) {
      s = step(s);
      if (s.decodedFrames() != null) {
        frames.add(s.decodedFrames());
      }
    }
    return new GeneratedVideo(frames, s.latents(), config.fps());
  }

  /**
   * Performs the next work unit of {@code state} and returns the state after it ({@code state} is
   * not changed).
   *
   * @throws IllegalStateException if the generation is done or this generator is closed
   * @throws IllegalArgumentException if the state is another model's
   */
  public GenerationState step(GenerationState state) {
    requireOpen();
    // The whole configuration, not only its name: a restored state must continue on the model
    // that started it (every builder configuration is named "custom").
    if (!state.model().equals(config.identity())) {
      throw new IllegalArgumentException(
          "state belongs to model '"
              + state.model()
              + "', this generator runs '"
              + config.identity()
              + "'");
    }
    GenerationRequest req = state.request();
    int segments = req.segments();
    WorkUnit u = plan(state).unit(state.unit());
    if (u.kind() == WorkUnit.Kind.DONE) {
      throw new IllegalStateException("generation is done after " + state.unit() + " units");
    }
    DdimSampler sampler =
        new DdimSampler(req.steps(), req.guidanceScale(), config.guidanceExponent());
    List<SegmentActs> acts = new ArrayList<>(state.acts());
    List<Tensor> latents = new ArrayList<>(state.latents());
    TttState ttt = state.ttt();
    DecoderCache cache = state.decoderCache();
    int decodedSegment = -1;
    Tensor decodedFrames = null;
    long t0 = System.nanoTime();
    UnitTimings.Part part;
    int s = u.segment();
    switch (u.kind()) {
      case EMBED -> {
        part = UnitTimings.Part.EMBED;
        if (acts.size() != s) {
          throw new IllegalStateException(
              "EMBED of segment " + s + " with " + acts.size() + " segments embedded");
        }
        Tensor x = Tensors.repeatBatch(latents.get(s), 2); // [2, F_s, C, h, w]
        acts.add(SegmentActs.of(transformer.embed(compute, x, state.text().get(s))));
      }
      case BLOCK -> {
        Tensor temb = transformer.timeEmbedding(compute, sampler.timestep(u.step()), 2);
        Phase phase = u.phase();
        boolean scan = phase == Phase.TTT_FORWARD || phase == Phase.TTT_BACKWARD;
        part =
            scan
                ? UnitTimings.Part.TTT
                : phase == Phase.FEED_FORWARD
                    ? UnitTimings.Part.FEED_FORWARD
                    : UnitTimings.Part.ATTENTION;
        if (scan && u.first()) {
          ttt = transformer.initialTttState(u.block(), 2);
        }
        ttt = transformer.runUnit(compute, u.block(), phase, acts, s, temb, scan ? ttt : null);
        boolean lastOfPhase = phase.reversed() ? s == 0 : s == segments - 1;
        if (!scan || lastOfPhase) {
          ttt = null; // the scan's state is not carried past its phase
        }
      }
      case OUTPUT -> {
        part = UnitTimings.Part.OUTPUT;
        Tensor temb = transformer.timeEmbedding(compute, sampler.timestep(u.step()), 2);
        Tensor v = transformer.output(compute, acts.get(s).hidden(), temb, s); // [2, F_s, C, h, w]
        Tensor guided = sampler.guide(compute, Tensors.entry(v, 0), Tensors.entry(v, 1), u.step());
        latents.set(s, sampler.step(compute, u.step(), guided, latents.get(s)));
        if (s == segments - 1) {
          acts.clear();
        }
      }
      case DECODE -> {
        part = UnitTimings.Part.DECODE;
        LatentDecoder.Result r = decoder.decode(compute, latents.get(s), cache);
        cache = r.cache();
        decodedSegment = s;
        decodedFrames = r.frames();
      }
      default -> throw new AssertionError(u);
    }
    timings.add(part, System.nanoTime() - t0);
    return new GenerationState(
        state.model(),
        req,
        state.unit() + 1,
        state.text(),
        latents,
        acts,
        ttt,
        cache,
        decodedSegment,
        decodedFrames);
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("this Generator of model '" + config.name() + "' is closed");
    }
  }
}
