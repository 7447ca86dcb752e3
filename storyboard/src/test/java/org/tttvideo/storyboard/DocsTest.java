package org.tttvideo.storyboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The user documentation names every rejection code, option and example. */
class DocsTest {

  private static String docs() throws IOException {
    Path p = Examples.dir().resolve("../../docs/storyboards.md").normalize();
    assertThat(p).exists();
    return Files.readString(p);
  }

  @Test
  void everyRejectionCodeIsDocumented() throws IOException {
    String docs = docs();
    for (RejectionCode c : RejectionCode.values()) {
      assertThat(docs).as(c.name()).contains("`" + c.name() + "`");
    }
  }

  @Test
  void everyOptionIsDocumentedWithItsDefault() throws IOException {
    String docs = docs();
    for (StoryboardOptions.Spec s : StoryboardOptions.SPECS) {
      assertThat(docs).as(s.key()).contains("`" + s.key() + "`");
    }
  }

  @Test
  void everyExampleIsDocumented() throws IOException {
    String docs = docs();
    for (String name : Examples.EXPECTED.keySet()) {
      assertThat(docs).as(name).contains(name);
    }
  }

  @Test
  void everyInputExampleInTheDocsIsAccepted() throws IOException {
    String docs = docs();
    // input examples stand before the section on output records
    String inputs = docs.substring(0, docs.indexOf("## What the job writes"));
    Matcher m = Pattern.compile("```(json)?\\n(.*?)```", Pattern.DOTALL).matcher(inputs);
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      String block = m.group(2);
      if (block.startsWith("{") || block.startsWith("[") || block.startsWith("<scene start>")) {
        blocks.add(block);
      }
    }
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(6);
    StoryboardParser parser = new StoryboardParser();
    for (String block : blocks) {
      ParseResult r = parser.parse(block.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertThat(r.rejections()).as(block).isEmpty();
    }
  }
}
