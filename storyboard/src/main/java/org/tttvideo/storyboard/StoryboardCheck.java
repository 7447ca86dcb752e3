package org.tttvideo.storyboard;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks storyboard files before they are published, with the same {@link StoryboardParser} that
 * the job's validation uses (default options, {@link HeuristicExpander}).
 *
 * <pre>
 * java -cp &lt;model classpath&gt; org.tttvideo.storyboard.StoryboardCheck FILE...
 *
 * examples/storyboards/quick-9s.json#1: ok sb-2f0c... segments=3 scenes=2
 * bad.json#1: rejected EMPTY_TEXT segments[1].text: segments[1].text is empty ...
 * 1 passed, 1 failed
 * </pre>
 *
 * One line per storyboard found (a file in the reference format may hold several), then the totals.
 * Exit status 0 only if nothing was rejected; 1 if something was (or a file could not be read); 2
 * for a usage error.
 */
public final class StoryboardCheck {
  private StoryboardCheck() {}

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  /** Runs the check; returns the exit status. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || args.contains("-h") || args.contains("--help")) {
      err.println(
          "usage: java -cp <model classpath> " + StoryboardCheck.class.getName() + " FILE...");
      err.println("Checks storyboard files (JSON, annotation text, or the reference format).");
      return 2;
    }
    StoryboardParser parser = new StoryboardParser();
    int passed = 0;
    int failed = 0;
    for (String file : args) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(Path.of(file));
      } catch (IOException | RuntimeException e) {
        out.println(file + ": cannot read: " + e);
        failed++;
        continue;
      }
      for (String line : check(parser, file, bytes)) {
        out.println(line);
        if (line.contains(": ok ")) {
          passed++;
        } else {
          failed++;
        }
      }
    }
    out.println(passed + " passed, " + failed + " failed");
    return failed == 0 ? 0 : 1;
  }

  /** The lines for one file: {@code FILE#k: ok ...} or {@code FILE#k: rejected ...}. */
  static List<String> check(StoryboardParser parser, String file, byte[] bytes) {
    ParseResult result = parser.parse(bytes, new RecordSource(file, -1, -1));
    List<String> lines = new ArrayList<>();
    int k = 1;
    for (ParseOutcome o : result.outcomes()) {
      if (o.isOk()) {
        Storyboard s = o.storyboard();
        lines.add(
            file
                + "#"
                + k
                + ": ok "
                + s.videoId()
                + " segments="
                + s.segments().size()
                + " scenes="
                + s.sceneCount());
      } else {
        lines.add(file + "#" + k + ": rejected " + o.rejection().summary());
      }
      k++;
    }
    return lines;
  }
}
