package org.tttvideo.operators.assembly.testutils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.state.StateBackendLoader;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.tttvideo.connectors.kafka.VideoOutcome;
import org.tttvideo.connectors.video.Frames;
import org.tttvideo.operators.assembly.VideoAssembler;
import org.tttvideo.operators.generation.DecodedSegment;
import org.tttvideo.video.VideoFailed;

/**
 * The assembler in Flink's keyed two-input harness, and the frames it is fed. Generic types (Kryo)
 * are disabled in every harness, so everything in state and in records must have a Flink serializer
 * of its own.
 */
public final class AssemblerHarnesses {
  /** Frames per second of {@link #frames}. */
  public static final int FPS = 8;

  private AssemblerHarnesses() {}

  /** The assembler's harness, on the heap backend, storing under {@code outputDirUri}. */
  public static KeyedTwoInputStreamOperatorTestHarness<
          String, DecodedSegment, VideoFailed, VideoOutcome>
      harness(String outputDirUri) throws Exception {
    return harness(outputDirUri, "hashmap");
  }

  /**
   * The assembler's harness on the state backend {@code backend} ({@code hashmap} or {@code
   * rocksdb}), storing under {@code outputDirUri}; not opened.
   */
  public static KeyedTwoInputStreamOperatorTestHarness<
          String, DecodedSegment, VideoFailed, VideoOutcome>
      harness(String outputDirUri, String backend) throws Exception {
    var h =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(new VideoAssembler(outputDirUri)),
            DecodedSegment::videoId,
            VideoFailed::videoId,
            Types.STRING);
    // no Kryo anywhere: a generic type in state or in a record would fail the test
    ((SerializerConfigImpl) h.getExecutionConfig().getSerializerConfig()).setGenericTypes(false);
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, backend);
    h.setStateBackend(
        StateBackendLoader.loadStateBackendFromConfig(
            conf, AssemblerHarnesses.class.getClassLoader(), null));
    return h;
  }

  /** Deterministic RGB frames: a gradient that moves with the frame index and the seed. */
  public static Frames frames(int width, int height, int frameCount, int seed) {
    byte[] rgb = new byte[frameCount * height * width * 3];
    for (int n = 0; n < frameCount; n++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int i = ((n * height + y) * width + x) * 3;
          rgb[i] = (byte) (x * 16 + n * 8 + seed);
          rgb[i + 1] = (byte) (y * 16 + seed * 3);
          rgb[i + 2] = (byte) ((x + y) * 8 + n * 4);
        }
      }
    }
    return new Frames(width, height, FPS, frameCount, rgb);
  }

  /** The SHA-256 of a file, in lower-case hex. */
  public static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }
}
