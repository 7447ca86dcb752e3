package org.tttvideo.toonworld;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/toonworld.md lists exactly the words {@link WorldVocabulary} knows. */
class VocabularyDocTest {

  @Test
  void theVocabularyTableListsEveryKnownWordOnce() throws IOException {
    List<String> documented = new ArrayList<>();
    boolean inTable = false;
    for (String line :
        Files.readAllLines(Path.of("../docs/toonworld.md"), StandardCharsets.UTF_8)) {
      if (line.equals("| kind | meaning | words |")) {
        inTable = true;
        continue;
      }
      if (inTable && line.startsWith("|---")) {
        continue;
      }
      if (inTable && !line.startsWith("|")) {
        break;
      }
      if (inTable) {
        String[] cells = line.split("\\|");
        for (String w : cells[3].split(",")) {
          documented.add(w.trim());
        }
      }
    }
    assertThat(documented).containsExactlyInAnyOrderElementsOf(WorldVocabulary.words());
  }
}
