package org.tttvideo.toonworld;

import java.util.List;

/** The check that a spec's list component holds 1 to a most number of elements. */
final class Counts {

  private Counts() {}

  /**
   * An unmodifiable copy of {@code list}, the component {@code component} of a {@code holder},
   * after checking it holds 1 to {@code max} elements: "segments: a scene has 1 to 7 segments, was
   * 8".
   */
  static <T> List<T> oneTo(int max, String component, String holder, List<T> list) {
    if (list == null || list.isEmpty() || list.size() > max) {
      throw new IllegalArgumentException(
          component
              + ": a "
              + holder
              + " has 1 to "
              + max
              + " "
              + component
              + ", was "
              + (list == null ? "null" : list.size()));
    }
    return List.copyOf(list);
  }
}
