package org.tttvideo.toonworld.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.tttvideo.toonworld.Geometry;
import org.tttvideo.toonworld.Split;

/**
 * Writes a training set and a held-out set of examples, seeded and reproducible:
 *
 * <pre>
 * ROOT/manifest.json
 * ROOT/train/shard-00000.npz, shard-00000.jsonl, ...
 * ROOT/held_out/shard-00000.npz, shard-00000.jsonl, ...
 * </pre>
 *
 * <p>Example {@code i} of a split has seed {@code WorldSampler.seedOf(split, i)}; its segment count
 * is drawn from that seed, so the same config always writes the same bytes. {@code manifest.json}
 * gives the geometry, the config and, per split, the example count and shards; {@code
 * tools/toonworld/read_shards.py} reads it all with numpy alone.
 */
public final class DatasetWriter {

  /** The manifest's format version. */
  public static final int VERSION = 1;

  private DatasetWriter() {}

  /** Writes both splits under {@code root} and returns the manifest's text. */
  public static String write(Path root, DatasetConfig config) throws IOException {
    Files.createDirectories(root);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode m = json.createObjectNode();
    m.put("version", VERSION);
    m.put("height", Geometry.HEIGHT);
    m.put("width", Geometry.WIDTH);
    m.put("fps", Geometry.FPS);
    m.put("framesPerSegment", Geometry.FRAMES_PER_SEGMENT);
    m.put("minSegments", config.minSegments());
    m.put("maxSegments", config.maxSegments());
    m.put(
        "heldOutRule",
        "scene looks (room, wall, cat colour, mouse colour) whose FNV-1a 64 hash of"
            + " 'room/wall/cat/mouse' is 0 mod 8, and seeds from 2^62");
    ObjectNode splits = m.putObject("splits");
    for (Split split : Split.values()) {
      int n = split == Split.TRAIN ? config.trainExamples() : config.heldOutExamples();
      List<String> shards;
      try (ShardWriter w =
          new ShardWriter(root.resolve(split.jsonName()), config.examplesPerShard())) {
        for (int i = 0; i < n; i++) {
          w.add(Example.make(split, i, segmentsOf(split, i, config)));
        }
        shards = w.finish();
      }
      ObjectNode s = splits.putObject(split.jsonName());
      s.put("examples", n);
      ArrayNode a = s.putArray("shards");
      for (String shard : shards) {
        a.add(split.jsonName() + "/" + shard);
      }
    }
    String text = json.writeValueAsString(m) + "\n";
    Files.writeString(root.resolve("manifest.json"), text);
    return text;
  }

  /** The segment count of example {@code index}: uniform in [min, max], from its seed. */
  public static int segmentsOf(Split split, long index, DatasetConfig c) {
    long seed = org.tttvideo.toonworld.WorldSampler.seedOf(split, index);
    int span = c.maxSegments() - c.minSegments() + 1;
    return c.minSegments() + new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL).nextInt(span);
  }
}
