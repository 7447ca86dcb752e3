package org.tttvideo.operators.generation;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttState;
import org.tttvideo.model.decode.DecoderCache;
import org.tttvideo.model.dit.SegmentActs;
import org.tttvideo.model.generate.GenerationState;

/**
 * The managed keyed state of a {@link GenerationOperator}, for the current key (a video id). It is
 * the source of truth of a generation: a {@link GenerationState} is written into it piece by piece
 * and read back whole after a restore.
 *
 * <ul>
 *   <li>{@value #META}: {@link VideoMeta} (status, arrival, request);
 *   <li>{@value #CURSOR}: the index of the next work unit ({@link GenerationState#unit()});
 *   <li>{@value #TEXT}, {@value #LATENTS}, {@value #ACTS}: per segment, keyed by segment index;
 *       activations exist for segments 0..n-1 while a denoising step is in its blocks;
 *   <li>{@value #TTT}: the TTT hidden state carried across segments in the current scan;
 *   <li>{@value #DECODER_CACHE}: the decoder's causal cache while decoding;
 *   <li>{@value #TIMER_AT}: the time of the video's pending slice timer, while it has one;
 *   <li>{@value #RESTORE_MARK}: while it generates, its {@link RestoreMark} (poison detection);
 *   <li>{@value #DONE}: after the video, its {@link FinishedVideo} marker (the only entry {@link
 *       #clear()} keeps).
 * </ul>
 *
 * <p>Only what a unit changed is written: {@link GenerationState} is immutable and a unit returns
 * new tensors for what it changes, so entries are compared by identity. Nothing put in state is
 * written to afterwards.
 */
final class VideoStates {
  static final String META = "video-meta";
  static final String CURSOR = "cursor";
  static final String TEXT = "text";
  static final String LATENTS = "latents";
  static final String ACTS = "acts";
  static final String TTT = "ttt-state";
  static final String DECODER_CACHE = "decoder-cache";
  static final String TIMER_AT = "timer-at";
  static final String RESTORE_MARK = "restore-mark";
  static final String DONE = "video-done";

  /** The states of a video in progress: none of them is left after it. */
  static final List<String> IN_PROGRESS =
      List.of(META, CURSOR, TEXT, LATENTS, ACTS, TTT, DECODER_CACHE, TIMER_AT, RESTORE_MARK);

  final ValueState<VideoMeta> meta;
  final ValueState<Long> cursor;
  final MapState<Integer, Tensor> text;
  final MapState<Integer, Tensor> latents;
  final MapState<Integer, SegmentActs> acts;
  final ValueState<TttState> ttt;
  final ValueState<DecoderCache> decoderCache;
  final ValueState<Long> timerAt;
  final ValueState<RestoreMark> mark;
  final ValueState<FinishedVideo> done;

  VideoStates(KeyedStateStore store) {
    meta = store.getState(new ValueStateDescriptor<>(META, VideoMetaSerializer.INSTANCE));
    cursor = store.getState(new ValueStateDescriptor<>(CURSOR, LongSerializer.INSTANCE));
    text =
        store.getMapState(
            new MapStateDescriptor<>(TEXT, IntSerializer.INSTANCE, TensorSerializer.INSTANCE));
    latents =
        store.getMapState(
            new MapStateDescriptor<>(LATENTS, IntSerializer.INSTANCE, TensorSerializer.INSTANCE));
    acts =
        store.getMapState(
            new MapStateDescriptor<>(ACTS, IntSerializer.INSTANCE, SegmentActsSerializer.INSTANCE));
    ttt = store.getState(new ValueStateDescriptor<>(TTT, TttStateSerializer.INSTANCE));
    decoderCache =
        store.getState(new ValueStateDescriptor<>(DECODER_CACHE, DecoderCacheSerializer.INSTANCE));
    timerAt = store.getState(new ValueStateDescriptor<>(TIMER_AT, LongSerializer.INSTANCE));
    mark = store.getState(new ValueStateDescriptor<>(RESTORE_MARK, RestoreMarkSerializer.INSTANCE));
    done = store.getState(new ValueStateDescriptor<>(DONE, FinishedVideoSerializer.INSTANCE));
  }

  /** Whether the current video has started generating (it has a cursor). */
  boolean started() throws Exception {
    return cursor.value() != null;
  }

  /** Writes all of {@code s} (a generation that has just started). */
  void writeAll(GenerationState s) throws Exception {
    cursor.update(s.unit());
    for (int i = 0; i < s.text().size(); i++) {
      text.put(i, s.text().get(i));
      latents.put(i, s.latents().get(i));
    }
    for (int i = 0; i < s.acts().size(); i++) {
      acts.put(i, s.acts().get(i));
    }
    updateOrClear(ttt, s.ttt());
    updateOrClear(decoderCache, s.decoderCache() == DecoderCache.EMPTY ? null : s.decoderCache());
  }

  /** Writes what changed from {@code before} to {@code after}, the state after one unit. */
  void writeChanges(GenerationState before, GenerationState after) throws Exception {
    cursor.update(after.unit());
    List<Tensor> l0 = before.latents();
    List<Tensor> l1 = after.latents();
    for (int i = 0; i < l1.size(); i++) {
      if (l1.get(i) != l0.get(i)) {
        latents.put(i, l1.get(i));
      }
    }
    List<SegmentActs> a0 = before.acts();
    List<SegmentActs> a1 = after.acts();
    for (int i = 0; i < a1.size(); i++) {
      if (i >= a0.size() || a1.get(i) != a0.get(i)) {
        acts.put(i, a1.get(i));
      }
    }
    for (int i = a1.size(); i < a0.size(); i++) {
      acts.remove(i);
    }
    if (after.ttt() != before.ttt()) {
      updateOrClear(ttt, after.ttt());
    }
    if (after.decoderCache() != before.decoderCache()) {
      updateOrClear(decoderCache, after.decoderCache());
    }
  }

  /**
   * The current video's generation as it was after its last unit.
   *
   * @throws IllegalStateException when a piece is missing
   */
  GenerationState load(VideoMeta m, Object videoId) throws Exception {
    Long unit = cursor.value();
    if (unit == null) {
      throw new IllegalStateException("video " + videoId + " has no cursor in state");
    }
    int segments = m.request().segments();
    List<Tensor> t = new ArrayList<>(segments);
    List<Tensor> l = new ArrayList<>(segments);
    for (int i = 0; i < segments; i++) {
      t.add(require(text.get(i), TEXT, i, videoId));
      l.add(require(latents.get(i), LATENTS, i, videoId));
    }
    int nActs = 0;
    for (Integer ignored : acts.keys()) {
      nActs++;
    }
    List<SegmentActs> a = new ArrayList<>(nActs);
    for (int i = 0; i < nActs; i++) {
      a.add(require(acts.get(i), ACTS, i, videoId));
    }
    DecoderCache cache = decoderCache.value();
    return new GenerationState(
        m.modelPreset(),
        m.request(),
        unit,
        t,
        l,
        a,
        ttt.value(),
        cache == null ? DecoderCache.EMPTY : cache,
        -1,
        null);
  }

  /** Removes every entry of the current video in progress (not its {@link #done} marker). */
  void clear() {
    meta.clear();
    cursor.clear();
    text.clear();
    latents.clear();
    acts.clear();
    ttt.clear();
    decoderCache.clear();
    timerAt.clear();
    mark.clear();
  }

  private static <T> T require(T value, String state, int segment, Object videoId) {
    if (value == null) {
      throw new IllegalStateException(
          "video " + videoId + " lacks segment " + segment + " in state '" + state + "'");
    }
    return value;
  }

  private static <T> void updateOrClear(ValueState<T> state, T value) throws Exception {
    if (value == null) {
      state.clear();
    } else {
      state.update(value);
    }
  }
}
