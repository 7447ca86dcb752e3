package org.tttvideo.toonworld;

/**
 * The two characters. (The name shadows {@code java.lang.Character} inside this package: code here
 * that needs the JDK class writes {@code java.lang.Character}.)
 */
public enum Character implements WorldWord {
  CAT,
  MOUSE
}
