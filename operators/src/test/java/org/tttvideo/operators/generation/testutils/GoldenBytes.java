package org.tttvideo.operators.generation.testutils;

import java.util.List;
import org.tttvideo.model.compute.Tensor;
import org.tttvideo.model.compute.TttState;
import org.tttvideo.model.decode.DecoderCache;
import org.tttvideo.model.decode.LinearPatchDecoder;
import org.tttvideo.model.dit.SegmentActs;
import org.tttvideo.model.generate.GenerationRequest;
import org.tttvideo.operators.generation.FinishedVideo;
import org.tttvideo.operators.generation.RestoreMark;
import org.tttvideo.operators.generation.VideoFingerprint;
import org.tttvideo.operators.generation.VideoMeta;

/**
 * Sample state values and their bytes in each version of the state formats (version 1 of all;
 * version 2 of the video meta), written by hand from the formats (big-endian; floats as IEEE-754
 * bits: 1.0 = 3f800000, 0.1f = 3dcccccd). Never edit a version's bytes: add the next version beside
 * them.
 */
public final class GoldenBytes {
  private GoldenBytes() {}

  /** [2, 3]: 1, -0.5, a NaN with payload 1, 3, 0, -0. */
  public static final Tensor TENSOR =
      Tensor.of(new float[] {1f, -0.5f, Float.intBitsToFloat(0x7fc00001), 3f, 0f, -0f}, 2, 3);

  public static final String TENSOR_V1 =
      "00000002 00000002 00000003" // rank 2, [2, 3]
          + " 3f800000 bf000000 7fc00001 40400000 00000000 80000000";

  public static final SegmentActs ACTS =
      new SegmentActs(
          Tensor.of(new float[] {1, -1}, 1, 1, 2),
          Tensor.of(new float[] {2, -2}, 1, 1, 2),
          null,
          null);

  public static final String ACTS_V1 =
      "00000003 00000001 00000001 00000002 3f800000 bf800000" // hidden [1, 1, 2]
          + " 01 00000003 00000001 00000001 00000002 40000000 c0000000" // mix
          + " 00 00"; // no keys, no values

  public static final TttState TTT =
      new TttState(
          Tensor.of(new float[] {0.1f}, 1, 1, 1, 1),
          Tensor.of(new float[] {0.2f}, 1, 1, 1, 1),
          Tensor.of(new float[] {0.3f}, 1, 1, 1, 1),
          Tensor.of(new float[] {0.4f}, 1, 1, 1, 1));

  public static final String TTT_V1 =
      "00000004 00000001 00000001 00000001 00000001 3dcccccd" // w1
          + " 00000004 00000001 00000001 00000001 00000001 3e4ccccd" // b1
          + " 01 00000004 00000001 00000001 00000001 00000001 3e99999a" // w2
          + " 01 00000004 00000001 00000001 00000001 00000001 3ecccccd"; // b2

  public static final DecoderCache CACHE =
      DecoderCache.of(LinearPatchDecoder.PREVIOUS_FRAME, Tensor.of(new float[] {9}, 1, 1, 1), 2);

  public static final String CACHE_V2 =
      "00000001" // one entry
          + " 0000000e 70726576696f75735f6672616d65" // "previous_frame"
          + " 00000003 00000001 00000001 00000001 41100000" // [1, 1, 1]: 9
          + " 00000002"; // 2 latent frames decoded

  /** {@link #CACHE} in version 1: the patch decoder's previous frame alone. */
  public static final String CACHE_V1 =
      "01 00000003 00000001 00000001 00000001 41100000" // previous frame [1, 1, 1]: 9
          + " 00000002"; // 2 latent frames decoded

  public static final VideoMeta META =
      new VideoMeta(
          VideoMeta.Status.ACTIVE,
          3,
          1000,
          "tiny",
          new GenerationRequest(List.of("a fox", "jumps"), "blur", 7L, 3, 6.0));

  /** {@link #META} in version 1: one negative prompt, for every segment. */
  public static final String META_V1 =
      "01 0000000000000003 00000000000003e8" // active, arrival 3, started at 1000
          + " 00000004 74696e79" // "tiny"
          + " 00000002 00000005 6120666f78 00000005 6a756d7073" // 2 prompts: "a fox", "jumps"
          + " 00000004 626c7572" // "blur"
          + " 0000000000000007 00000003 4018000000000000"; // seed 7, 3 steps, guidance 6.0

  /** A video whose segments have different negative prompts, which version 2 holds. */
  public static final VideoMeta META_PER_SEGMENT =
      new VideoMeta(
          VideoMeta.Status.ACTIVE,
          3,
          1000,
          "tiny",
          new GenerationRequest(List.of("a fox", "jumps"), List.of("blur", "dark"), 7L, 3, 6.0));

  /** {@link #META_PER_SEGMENT} in version 2: a negative prompt per segment. */
  public static final String META_V2 =
      "01 0000000000000003 00000000000003e8" // active, arrival 3, started at 1000
          + " 00000004 74696e79" // "tiny"
          + " 00000002 00000005 6120666f78 00000005 6a756d7073" // 2 prompts: "a fox", "jumps"
          + " 00000004 626c7572 00000004 6461726b" // 2 negative prompts: "blur", "dark"
          + " 0000000000000007 00000003 4018000000000000"; // seed 7, 3 steps, guidance 6.0

  /** {@link #META} in version 2 (what its version 1 bytes migrate to): "blur" for each segment. */
  public static final String META_AS_V2 =
      "01 0000000000000003 00000000000003e8" // active, arrival 3, started at 1000
          + " 00000004 74696e79" // "tiny"
          + " 00000002 00000005 6120666f78 00000005 6a756d7073" // 2 prompts: "a fox", "jumps"
          + " 00000004 626c7572 00000004 626c7572" // 2 negative prompts: "blur", "blur"
          + " 0000000000000007 00000003 4018000000000000"; // seed 7, 3 steps, guidance 6.0

  /** SHA-256 stand-in: the bytes 00 01 .. 1f. */
  public static final VideoFingerprint FINGERPRINT =
      new VideoFingerprint("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  public static final FinishedVideo FINISHED =
      new FinishedVideo(FinishedVideo.Outcome.FAILED, "GENERATION_FAILED", FINGERPRINT, 1000);

  public static final String FINISHED_V1 =
      "01" // failed
          + " 00000011 47454e45524154494f4e5f4641494c4544" // "GENERATION_FAILED"
          + " 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" // fingerprint
          + " 00000000000003e8"; // finished at 1000

  public static final RestoreMark MARK = new RestoreMark(RestoreMark.Stage.HELD, 2, 17, 5);

  public static final String MARK_V1 =
      "01" // held
          + " 00000002" // 2 strikes
          + " 0000000000000011" // cursor 17 at the last restore
          + " 00000005"; // written by task attempt 5
}
