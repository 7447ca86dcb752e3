package org.tttvideo.storyboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits prose into sentences for Formats 1 and 2, without a language model and deterministically.
 *
 * <p>A sentence ends at {@code .}, {@code !}, {@code ?}, an ellipsis ({@code ...} or {@code …}), or
 * {@code 。！？}, taken together with any closing quotes and brackets that follow ({@code "Stop!"}
 * stays one sentence), when white space and then the start of a new sentence follow. A new sentence
 * starts with anything but a lower-case letter, so {@code "Where?" she asked.} and {@code He
 * waited... and waited.} stay whole. A period does not end a sentence after a known abbreviation
 * ({@code Mr.}, {@code Dr.}, {@code e.g.}, {@code etc.} before lower case, ...), after a single
 * letter ({@code J. R. Smith}), or inside a number ({@code 3.5}).
 *
 * <pre>{@code
 * SentenceSplitter.split("Mr. Lee waves. The U.S. flag flies... Then it rains!")
 *   -> ["Mr. Lee waves.", "The U.S. flag flies...", "Then it rains!"]
 * }</pre>
 */
public final class SentenceSplitter {

  /** Abbreviations after which a period never ends a sentence (titles before names). */
  private static final Set<String> TITLES =
      Set.of(
          "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "capt", "col", "gen", "lt",
          "sgt", "gov", "sen", "rep", "rev", "hon", "messrs", "mme", "mlle", "vs", "e.g", "i.e",
          "cf", "approx", "ca", "dept", "univ", "ave", "blvd");

  /** Abbreviations that stand before a number ({@code No. 5}); elsewhere "No." is a word. */
  private static final Set<String> BEFORE_NUMBERS = Set.of("no", "nr", "vol", "pp", "fig", "p");

  /**
   * Abbreviations that can also end a sentence: a period after them ends it only when an upper-case
   * word follows.
   */
  private static final Set<String> SOMETIMES_FINAL =
      Set.of("etc", "inc", "ltd", "co", "corp", "al", "a.m", "p.m", "u.s", "u.k", "e.u");

  private static final String CLOSERS = "\"'”’»)]}";
  private static final String OPENERS = "\"'“‘«([{";

  private SentenceSplitter() {}

  /** The sentences of {@code text}, each normalised (see {@link TextRules#normalise}). */
  public static List<String> split(String text) {
    String s = TextRules.normalise(text);
    List<String> out = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '。' || c == '！' || c == '？') {
        int end = skipClosers(s, i + 1);
        add(out, s, start, end);
        start = end;
        i = end;
        continue;
      }
      if (c != '.' && c != '!' && c != '?' && c != '…') {
        i++;
        continue;
      }
      int runStart = i;
      while (i < s.length() && ".!?…".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      String run = s.substring(runStart, i);
      int end = skipClosers(s, i);
      if (end < s.length() && s.charAt(end) != ' ') {
        i = end; // "3.5", "U.S.A", "end.Next": not a boundary
        continue;
      }
      if (end >= s.length()) {
        break;
      }
      char next = firstLetterOrDigit(s, end + 1);
      boolean nextUpper = !Character.isLowerCase(next);
      boolean boundary;
      if (!nextUpper) {
        boundary = false;
      } else if (run.equals(".")) {
        String word = wordBefore(s, runStart).toLowerCase(Locale.ROOT);
        boolean initial = word.length() == 1 && Character.isLetter(word.charAt(0));
        boundary = !initial && !TITLES.contains(word);
        if (BEFORE_NUMBERS.contains(word) && Character.isDigit(next)) {
          boundary = false;
        }
        if (SOMETIMES_FINAL.contains(word)) {
          boundary = true;
        }
      } else {
        boundary = true;
      }
      if (boundary) {
        add(out, s, start, end);
        start = end + 1;
      }
      i = end;
    }
    add(out, s, start, s.length());
    return List.copyOf(out);
  }

  private static int skipClosers(String s, int i) {
    while (i < s.length() && CLOSERS.indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    return i;
  }

  /** The first character after {@code from} that is not an opening quote or bracket. */
  private static char firstLetterOrDigit(String s, int from) {
    int i = from;
    while (i < s.length() && OPENERS.indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    return i < s.length() ? s.charAt(i) : 'A';
  }

  /** The word (letters, inner dots and apostrophes) that ends just before index {@code dot}. */
  private static String wordBefore(String s, int dot) {
    int j = dot;
    while (j > 0 && (Character.isLetter(s.charAt(j - 1)) || ".'’".indexOf(s.charAt(j - 1)) >= 0)) {
      j--;
    }
    return s.substring(j, dot);
  }

  private static void add(List<String> out, String s, int from, int to) {
    String sentence = s.substring(Math.min(from, s.length()), Math.min(to, s.length())).trim();
    if (!sentence.isEmpty()) {
      out.add(sentence);
    }
  }
}
