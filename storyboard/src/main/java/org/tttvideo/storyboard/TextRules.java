package org.tttvideo.storyboard;

import java.text.Normalizer;

/** Checks and normalises user text (prompts, titles, summaries). */
final class TextRules {
  private TextRules() {}

  /**
   * The index of the first control character (below U+0020 other than tab, LF and CR; DEL; the C1
   * range U+0080-U+009F), or -1.
   */
  static int firstControlCharacter(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F)) {
        return i;
      }
    }
    return -1;
  }

  /** The index of the first unpaired surrogate, or -1. */
  static int firstUnpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * NFC, every run of white space (including line breaks and no-break spaces) collapsed to one
   * space, trimmed. The text encoder sees prompts in this form, and derived ids hash it.
   */
  static String normalise(String s) {
    String nfc = Normalizer.normalize(s, Normalizer.Form.NFC);
    StringBuilder b = new StringBuilder(nfc.length());
    boolean space = false;
    for (int i = 0; i < nfc.length(); i++) {
      char c = nfc.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        space = b.length() > 0;
      } else {
        if (space) {
          b.append(' ');
          space = false;
        }
        b.append(c);
      }
    }
    return b.toString();
  }

  /** Length in Unicode code points (what users count as characters). */
  static int length(String s) {
    return s.codePointCount(0, s.length());
  }
}
