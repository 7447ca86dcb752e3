package org.tttvideo.jobs.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
import org.tttvideo.storyboard.ParseResult;
import org.tttvideo.storyboard.Storyboard;
import org.tttvideo.storyboard.StoryboardParser;
import org.tttvideo.toonworld.ParsedWorld;
import org.tttvideo.toonworld.UnknownWord;
import org.tttvideo.toonworld.WorldTextException;
import org.tttvideo.toonworld.WorldTextParser;

/**
 * A storyboard file in the ToonWorld's words, read for {@code render} and {@code judge}: parsed as
 * the job parses it (any format, default limits, summaries expanded by the heuristic expander),
 * then read into a world spec by {@link WorldTextParser}.
 */
final class WorldStoryboards {
  private WorldStoryboards() {}

  /** One storyboard file and the world its text describes. */
  record WorldStoryboard(String label, Storyboard storyboard, ParsedWorld world) {}

  /**
   * Reads {@code name} ({@code -}: standard input).
   *
   * @throws CliException (usage) when the file cannot be read, the storyboard is rejected, it holds
   *     other than one video, or its text does not describe a world
   */
  static WorldStoryboard read(String name, InputStream stdin) {
    StoryboardInput in = StoryboardInput.readAll(List.of(name), stdin).get(0);
    ParseResult parsed = new StoryboardParser().parse(in.value());
    if (!parsed.rejections().isEmpty()) {
      throw new CliException(
          CliException.USAGE,
          "storyboard '" + in.label() + "' is rejected: " + parsed.rejections().get(0).summary());
    }
    List<Storyboard> storyboards = parsed.storyboards();
    if (storyboards.size() != 1) {
      throw new CliException(
          CliException.USAGE,
          "storyboard '"
              + in.label()
              + "' holds "
              + storyboards.size()
              + " videos; give a file with one");
    }
    Storyboard storyboard = storyboards.get(0);
    try {
      return new WorldStoryboard(in.label(), storyboard, WorldTextParser.parse(storyboard));
    } catch (WorldTextException e) {
      throw new CliException(
          CliException.USAGE,
          "storyboard '"
              + in.label()
              + "' does not describe a ToonWorld video ("
              + e.getMessage()
              + "); docs/toonworld.md lists the words the world knows",
          e);
    }
  }

  /** One warning line for the words the world does not know, if there are any. */
  static void warnUnknown(WorldStoryboard s, PrintWriter err) {
    List<UnknownWord> unknown = s.world().unknownWords();
    if (unknown.isEmpty()) {
      return;
    }
    err.println(
        "warning: "
            + s.label()
            + " uses words the world does not know (ignored): "
            + unknown.stream()
                .map(u -> "'" + u.word() + "' (segment " + (u.segment() + 1) + ")")
                .collect(Collectors.joining(", ")));
    err.flush();
  }
}
