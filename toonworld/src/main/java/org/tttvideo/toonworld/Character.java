package org.tttvideo.toonworld;

import java.util.Locale;

/**
 * The two characters. (The name shadows {@code java.lang.Character} inside this package: code here
 * that needs the JDK class writes {@code java.lang.Character}.)
 */
public enum Character {
  CAT,
  MOUSE;

  /** {@code "cat"} or {@code "mouse"}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
