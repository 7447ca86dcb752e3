package org.tttvideo.toonworld;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What {@link WorldTextParser} read from a storyboard: the world it describes and the words it did
 * not know (which it skipped).
 *
 * @param spec the world
 * @param unknownWords each unknown word once per segment, in the order of the text
 */
public record ParsedWorld(WorldSpec spec, List<UnknownWord> unknownWords) {

  public ParsedWorld {
    if (spec == null) {
      throw new IllegalArgumentException("spec must not be null");
    }
    unknownWords = List.copyOf(unknownWords);
  }

  /** The distinct unknown words in the order they first appear. */
  public List<String> unknown() {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (UnknownWord u : unknownWords) {
      out.add(u.word());
    }
    return new ArrayList<>(out);
  }
}
