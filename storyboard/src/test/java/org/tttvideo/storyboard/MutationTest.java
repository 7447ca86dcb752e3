package org.tttvideo.storyboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Damaged copies of every example (seeded, so a failure reproduces): the parser must give at least
 * one outcome for each and never reach {@link RejectionCode#INTERNAL_ERROR}, which would mean a
 * problem it does not know how to name.
 */
class MutationTest {
  private static final int MUTANTS_PER_EXAMPLE = 400;

  @Test
  void damagedExamplesAreAcceptedOrRejectedWithAKnownCode() throws IOException {
    StoryboardParser parser = new StoryboardParser();
    Random random = new Random(20250101L);
    int rejected = 0;
    for (Path file : Examples.files()) {
      byte[] original = Files.readAllBytes(file);
      for (int i = 0; i < MUTANTS_PER_EXAMPLE; i++) {
        byte[] mutant = mutate(original, random);
        ParseResult r = parser.parse(mutant);
        assertThat(r.outcomes()).isNotEmpty();
        for (Rejection x : r.rejections()) {
          assertThat(x.code())
              .as("%s mutant %d: %s", file.getFileName(), i, x.summary())
              .isNotEqualTo(RejectionCode.INTERNAL_ERROR);
          rejected++;
        }
      }
    }
    // the mutations do damage: most mutants are rejected
    assertThat(rejected).isGreaterThan(Examples.files().size() * MUTANTS_PER_EXAMPLE / 2);
  }

  private static byte[] mutate(byte[] in, Random random) {
    byte[] b = in.clone();
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits && b.length > 0; e++) {
      int at = random.nextInt(b.length);
      switch (random.nextInt(6)) {
        case 0 -> b[at] = (byte) random.nextInt(256); // any byte
        case 1 -> b[at] = (byte) "{}[]\":,\\ 0-e.n<>".charAt(random.nextInt(16)); // syntax
        case 2 -> b = Arrays.copyOf(b, at); // truncate
        case 3 -> { // delete a run
          int len = Math.min(b.length - at, 1 + random.nextInt(20));
          byte[] c = new byte[b.length - len];
          System.arraycopy(b, 0, c, 0, at);
          System.arraycopy(b, at + len, c, at, b.length - at - len);
          b = c;
        }
        case 4 -> { // duplicate a run
          int len = Math.min(b.length - at, 1 + random.nextInt(40));
          byte[] c = new byte[b.length + len];
          System.arraycopy(b, 0, c, 0, at + len);
          System.arraycopy(b, at, c, at + len, b.length - at);
          b = c;
        }
        default -> b[at] = (byte) random.nextInt(32); // control character
      }
    }
    return b;
  }
}
