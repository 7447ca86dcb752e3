package org.tttvideo.toonworld.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.tttvideo.toonworld.Clip;
import org.tttvideo.toonworld.WorldSpecJson;

/**
 * Writes examples into numbered shards in one folder: {@code shard-NNNNN.npz} holds one {@code
 * frames_KKKKK.npy} per example ({@code uint8 [T, H, W, 3]}, K counting from 0 in the shard), and
 * {@code shard-NNNNN.jsonl} one line per example, in the same order:
 *
 * <pre>{@code
 * {"id":"train-000017","seed":17,"split":"train","frames":"frames_00003","frameCount":120,
 *  "segments":5,"sceneStarts":[true,false,...],"format1":"...","format2":["..."],
 *  "format3":["..."],"worldSpec":{"version":1,"scenes":[...]}}
 * }</pre>
 *
 * <p>A shard is written under a {@code .partial} name and renamed when complete, so a stopped run
 * leaves only whole shards. Entries are deflated at the fastest level (flat colours compress about
 * tenfold); {@code numpy.load} reads them.
 */
public final class ShardWriter implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

  private final Path dir;
  private final int perShard;
  private final List<String> shards = new ArrayList<>();
  private int examples;
  private int inShard;
  private ZipOutputStream npz;
  private BufferedWriter jsonl;

  /**
   * @param dir the folder, created when missing
   * @param examplesPerShard at least 1
   */
  public ShardWriter(Path dir, int examplesPerShard) throws IOException {
    if (examplesPerShard < 1) {
      throw new IllegalArgumentException("examplesPerShard must be >= 1, was " + examplesPerShard);
    }
    this.dir = dir;
    this.perShard = examplesPerShard;
    Files.createDirectories(dir);
  }

  /** Appends {@code e}, starting a new shard when the current one is full. */
  public void add(Example e) throws IOException {
    if (npz == null) {
      open();
    }
    String entry = String.format("frames_%05d", inShard);
    Clip c = e.clip();
    ZipEntry z = new ZipEntry(entry + ".npy");
    z.setTimeLocal(ENTRY_TIME); // a fixed time, so that the same examples give the same bytes
    npz.putNextEntry(z);
    Npy.writeUint8(npz, new long[] {c.frameCount(), c.height(), c.width(), 3}, c.rgb());
    npz.closeEntry();
    jsonl.write(line(e, entry));
    jsonl.write('\n');
    examples++;
    if (++inShard == perShard) {
      finishShard();
    }
  }

  /** The shards written so far, as npz file names in order. */
  public List<String> shards() {
    return List.copyOf(shards);
  }

  /** Examples written so far. */
  public int examples() {
    return examples;
  }

  /** Completes the last shard and returns every shard's npz name; later calls do nothing more. */
  public List<String> finish() throws IOException {
    if (npz != null) {
      finishShard();
    }
    return shards();
  }

  /** The same as {@link #finish()}. */
  @Override
  public void close() throws IOException {
    finish();
  }

  static String line(Example e, String entry) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", e.id());
    o.put("seed", e.seed());
    o.put("split", e.split().jsonName());
    o.put("frames", entry);
    o.put("frameCount", e.clip().frameCount());
    o.put("segments", e.spec().segmentCount());
    ArrayNode starts = o.putArray("sceneStarts");
    e.text().sceneStarts().forEach(starts::add);
    o.put("format1", e.text().format1());
    ArrayNode f2 = o.putArray("format2");
    e.text().format2().forEach(f2::add);
    ArrayNode f3 = o.putArray("format3");
    e.text().format3().forEach(f3::add);
    try {
      o.set("worldSpec", JSON.readTree(WorldSpecJson.write(e.spec())));
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException x) {
      throw new IllegalStateException("cannot write a tree of plain nodes", x);
    }
  }

  private String name() {
    return String.format("shard-%05d", shards.size());
  }

  private void open() throws IOException {
    String n = name();
    npz =
        new ZipOutputStream(
            new BufferedOutputStream(
                Files.newOutputStream(dir.resolve(n + ".npz.partial")), 1 << 20));
    npz.setLevel(Deflater.BEST_SPEED);
    jsonl = Files.newBufferedWriter(dir.resolve(n + ".jsonl.partial"), StandardCharsets.UTF_8);
    inShard = 0;
  }

  private void finishShard() throws IOException {
    String n = name();
    npz.close();
    jsonl.close();
    npz = null;
    jsonl = null;
    Files.move(
        dir.resolve(n + ".jsonl.partial"),
        dir.resolve(n + ".jsonl"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.move(
        dir.resolve(n + ".npz.partial"),
        dir.resolve(n + ".npz"),
        StandardCopyOption.REPLACE_EXISTING);
    shards.add(n + ".npz");
  }
}
