package org.tttvideo.toonworld.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tttvideo.toonworld.Split;

class DatasetWriterTest {

  @TempDir Path a;
  @TempDir Path b;

  private static final DatasetConfig SMALL = new DatasetConfig(3, 2, 1, 2, 2);

  @Test
  void writesTheManifestAndBothSplits() throws Exception {
    String manifest = DatasetWriter.write(a, SMALL);
    assertThat(manifest)
        .isEqualTo(
            "{\n"
                + "  \"version\" : 1,\n"
                + "  \"height\" : 128,\n"
                + "  \"width\" : 192,\n"
                + "  \"fps\" : 8,\n"
                + "  \"framesPerSegment\" : 24,\n"
                + "  \"minSegments\" : 1,\n"
                + "  \"maxSegments\" : 2,\n"
                + "  \"heldOutRule\" : \"scene looks (room, wall, cat colour, mouse colour) whose"
                + " FNV-1a 64 hash of 'room/wall/cat/mouse' is 0 mod 8, and seeds from 2^62\",\n"
                + "  \"splits\" : {\n"
                + "    \"train\" : {\n"
                + "      \"examples\" : 3,\n"
                + "      \"shards\" : [ \"train/shard-00000.npz\", \"train/shard-00001.npz\" ]\n"
                + "    },\n"
                + "    \"held_out\" : {\n"
                + "      \"examples\" : 2,\n"
                + "      \"shards\" : [ \"held_out/shard-00000.npz\" ]\n"
                + "    }\n"
                + "  }\n"
                + "}\n");
    assertThat(Files.readString(a.resolve("manifest.json"))).isEqualTo(manifest);
    assertThat(Files.readAllLines(a.resolve("held_out/shard-00000.jsonl")).get(1))
        .startsWith(
            "{\"id\":\"held_out-000001\",\"seed\":4611686018427387905,\"split\":\"held_out\"");
  }

  @Test
  void theSameConfigWritesTheSameBytes() throws Exception {
    DatasetWriter.write(a, SMALL);
    DatasetWriter.write(b, SMALL);
    for (String f :
        new String[] {
          "train/shard-00000.jsonl", "train/shard-00001.npz", "held_out/shard-00000.npz"
        }) {
      assertThat(Files.readAllBytes(a.resolve(f)))
          .as(f)
          .isEqualTo(Files.readAllBytes(b.resolve(f)));
    }
  }

  @Test
  void segmentCountsComeFromTheSeedWithinTheRange() {
    DatasetConfig c = new DatasetConfig(0, 0, 3, 5, 1);
    int[] seen = new int[6];
    for (int i = 0; i < 200; i++) {
      seen[DatasetWriter.segmentsOf(Split.TRAIN, i, c)]++;
    }
    assertThat(seen[0] + seen[1] + seen[2]).isZero();
    assertThat(seen[3]).isPositive();
    assertThat(seen[4]).isPositive();
    assertThat(seen[5]).isPositive();
    assertThatThrownBy(() -> new DatasetConfig(1, 1, 4, 3, 1))
        .hasMessage("maxSegments must be in [minSegments = 4, 21], was 3");
  }
}
