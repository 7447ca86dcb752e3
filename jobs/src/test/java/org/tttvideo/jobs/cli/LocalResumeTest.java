package org.tttvideo.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalResumeTest {

  @Test
  void theNewestCompleteCheckpointOfAnyJobIsChosen(@TempDir Path dir) throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    assertThat(LocalResume.latestCheckpoint(checkpoints)).isEmpty();
    Path older = metadata(checkpoints.resolve("job-a/chk-40"), 1_000);
    Path newer = metadata(checkpoints.resolve("job-b/chk-3"), 2_000);
    // a checkpoint being written (no _metadata yet) and Flink's other folders are not candidates
    Files.createDirectories(checkpoints.resolve("job-b/chk-4"));
    Files.createDirectories(checkpoints.resolve("job-b/shared"));
    Files.createDirectories(checkpoints.resolve("job-b/taskowned"));

    assertThat(LocalResume.latestCheckpoint(checkpoints)).contains(newer.getParent());
    Files.setLastModifiedTime(older, FileTime.fromMillis(3_000));
    assertThat(LocalResume.latestCheckpoint(checkpoints)).contains(older.getParent());
  }

  @Test
  void noCheckpointWithoutMetadata(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("job-a/chk-1"));
    assertThat(LocalResume.latestCheckpoint(dir)).isEmpty();
  }

  private static Path metadata(Path chk, long modifiedMillis) throws Exception {
    Files.createDirectories(chk);
    Path m = Files.write(chk.resolve("_metadata"), new byte[] {1});
    Files.setLastModifiedTime(m, FileTime.fromMillis(modifiedMillis));
    return m;
  }
}
