package org.tttvideo.toonworld.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tttvideo.toonworld.Split;
import org.tttvideo.toonworld.WorldSpecJson;

class ShardWriterTest {

  @TempDir Path dir;

  @Test
  void shardsHoldNpyFramesAndOneJsonLinePerExample() throws Exception {
    List<Example> ex =
        List.of(
            Example.make(Split.TRAIN, 0, 1),
            Example.make(Split.TRAIN, 1, 2),
            Example.make(Split.TRAIN, 2, 1));
    try (ShardWriter w = new ShardWriter(dir, 2)) {
      for (Example e : ex) {
        w.add(e);
      }
      assertThat(w.finish()).containsExactly("shard-00000.npz", "shard-00001.npz");
      assertThat(w.examples()).isEqualTo(3);
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly(
              "shard-00000.jsonl", "shard-00000.npz", "shard-00001.jsonl", "shard-00001.npz");
    }
    List<String> names = new ArrayList<>();
    List<byte[]> bodies = new ArrayList<>();
    try (ZipInputStream z =
        new ZipInputStream(Files.newInputStream(dir.resolve("shard-00000.npz")))) {
      for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
        names.add(e.getName());
        bodies.add(z.readAllBytes());
      }
    }
    assertThat(names).containsExactly("frames_00000.npy", "frames_00001.npy");
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    Npy.writeUint8(expected, new long[] {48, 128, 192, 3}, ex.get(1).clip().rgb());
    assertThat(bodies.get(1)).isEqualTo(expected.toByteArray());

    List<String> lines = Files.readAllLines(dir.resolve("shard-00000.jsonl"));
    assertThat(lines).hasSize(2);
    JsonNode line = new ObjectMapper().readTree(lines.get(1));
    assertThat(line.get("id").asText()).isEqualTo("train-000001");
    assertThat(line.get("seed").asLong()).isEqualTo(1L);
    assertThat(line.get("split").asText()).isEqualTo("train");
    assertThat(line.get("frames").asText()).isEqualTo("frames_00001");
    assertThat(line.get("frameCount").asInt()).isEqualTo(48);
    assertThat(line.get("segments").asInt()).isEqualTo(2);
    assertThat(line.get("format3").get(1).asText()).isEqualTo(ex.get(1).text().format3().get(1));
    assertThat(line.get("format1").asText()).isEqualTo(ex.get(1).text().format1());
    assertThat(WorldSpecJson.read(line.get("worldSpec").toString())).isEqualTo(ex.get(1).spec());
    assertThat(Files.readAllLines(dir.resolve("shard-00001.jsonl")).get(0))
        .startsWith(
            "{\"id\":\"train-000002\",\"seed\":2,\"split\":\"train\",\"frames\":\"frames_00000\",");
  }
}
