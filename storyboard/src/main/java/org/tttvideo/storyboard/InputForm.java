package org.tttvideo.storyboard;

import java.util.Optional;

/** How a storyboard was written down, independently of its {@link StoryboardFormat}. */
public enum InputForm {
  /** Our JSON object with {@code "format"}, see {@code docs/storyboards.md}. */
  JSON("json"),
  /** Plain text with {@code <scene start>} ... {@code <scene end>} and blank-line segments. */
  ANNOTATION_TEXT("annotation-text"),
  /**
   * The reference implementation's input file: a JSON array of videos, each an array of {@code
   * {"text", "requires_scene_transition", "neg_text"}} objects (or one video's array alone).
   */
  REFERENCE_ARRAY("reference-array");

  private final String wireName;

  InputForm(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<InputForm> fromWireName(String name) {
    for (InputForm f : values()) {
      if (f.wireName.equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
