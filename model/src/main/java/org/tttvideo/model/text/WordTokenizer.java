package org.tttvideo.model.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A word tokenizer over a fixed vocabulary of {@code vocabSize} ids: id 0 is padding, 1 the end of
 * the prompt, 2 an unknown word; then the built-in word list (as much of it as fits); the remaining
 * ids are hash buckets for words outside the list (FNV-1a of the word's UTF-8 bytes), so different
 * unknown words still get different embeddings most of the time. Words are lower-cased runs of
 * letters, digits and apostrophes.
 *
 * <pre>{@code
 * int[] ids = new WordTokenizer(1024).encode("A red fox jumps.", 8); // words, </s>, then padding
 * }</pre>
 */
public final class WordTokenizer {
  public static final int PAD = 0;
  public static final int END = 1;
  public static final int UNKNOWN = 2;
  private static final int SPECIAL = 3;

  /** The built-in words, in id order from 3. Changing this list changes every id after the edit. */
  static final List<String> WORDS =
      List.of(
          "a",
          "an",
          "the",
          "and",
          "or",
          "of",
          "in",
          "on",
          "at",
          "to",
          "with",
          "from",
          "by",
          "over",
          "under",
          "into",
          "through",
          "while",
          "as",
          "is",
          "are",
          "it",
          "its",
          "his",
          "her",
          "their",
          "he",
          "she",
          "they",
          "we",
          "you",
          "this",
          "that",
          "then",
          "there",
          "here",
          "up",
          "down",
          "left",
          "right",
          "near",
          "far",
          "big",
          "small",
          "tiny",
          "large",
          "red",
          "green",
          "blue",
          "yellow",
          "white",
          "black",
          "orange",
          "purple",
          "brown",
          "gray",
          "golden",
          "bright",
          "dark",
          "light",
          "sun",
          "moon",
          "star",
          "sky",
          "cloud",
          "rain",
          "snow",
          "wind",
          "storm",
          "sea",
          "ocean",
          "river",
          "lake",
          "water",
          "wave",
          "beach",
          "sand",
          "mountain",
          "hill",
          "forest",
          "tree",
          "flower",
          "grass",
          "field",
          "road",
          "street",
          "city",
          "house",
          "room",
          "kitchen",
          "window",
          "door",
          "table",
          "chair",
          "car",
          "train",
          "boat",
          "ship",
          "plane",
          "bird",
          "fish",
          "cat",
          "dog",
          "fox",
          "horse",
          "mouse",
          "tom",
          "jerry",
          "man",
          "woman",
          "boy",
          "girl",
          "child",
          "people",
          "friend",
          "face",
          "hand",
          "eyes",
          "walks",
          "runs",
          "jumps",
          "flies",
          "swims",
          "falls",
          "rises",
          "turns",
          "looks",
          "smiles",
          "laughs",
          "cries",
          "eats",
          "drinks",
          "sleeps",
          "plays",
          "chases",
          "holds",
          "opens",
          "closes",
          "sits",
          "stands",
          "dances",
          "sings",
          "moves",
          "slowly",
          "quickly",
          "suddenly",
          "together",
          "again",
          "camera",
          "scene",
          "view",
          "close",
          "wide",
          "shot",
          "zoom",
          "pan",
          "morning",
          "evening",
          "night",
          "day",
          "summer",
          "winter",
          "spring",
          "autumn",
          "fire",
          "smoke",
          "light",
          "shadow",
          "cartoon",
          "animated",
          "realistic",
          "cinematic",
          "happy",
          "sad",
          "angry",
          "calm",
          "quiet",
          "loud");

  private final int vocabSize;
  private final Map<String, Integer> ids = new HashMap<>();
  private final int firstBucket;

  /**
   * @param vocabSize total ids, at least 4
   */
  public WordTokenizer(int vocabSize) {
    if (vocabSize < SPECIAL + 1) {
      throw new IllegalArgumentException("vocabSize must be at least 4, got " + vocabSize);
    }
    this.vocabSize = vocabSize;
    int next = SPECIAL;
    for (String word : WORDS) {
      if (next >= vocabSize) {
        break;
      }
      if (!ids.containsKey(word)) {
        ids.put(word, next++);
      }
    }
    this.firstBucket = next;
  }

  public int vocabSize() {
    return vocabSize;
  }

  /** The words of {@code text}: lower-cased runs of letters, digits and apostrophes. */
  public static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    String lower = text.toLowerCase(Locale.ROOT);
    for (int i = 0; i < lower.length(); i++) {
      char ch = lower.charAt(i);
      if (Character.isLetterOrDigit(ch) || ch == '\'') {
        cur.append(ch);
      } else if (cur.length() > 0) {
        out.add(cur.toString());
        cur.setLength(0);
      }
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }

  /** The id of one (lower-case) word. */
  public int id(String word) {
    Integer known = ids.get(word);
    if (known != null) {
      return known;
    }
    int buckets = vocabSize - firstBucket;
    if (buckets <= 0) {
      return UNKNOWN;
    }
    int hash = 0x811c9dc5;
    for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    return firstBucket + Integer.remainderUnsigned(hash, buckets);
  }

  /**
   * Exactly {@code length} ids: the words (truncated to leave room for the end id), the end id,
   * then padding.
   */
  public int[] encode(String text, int length) {
    if (length < 1) {
      throw new IllegalArgumentException("length must be positive, got " + length);
    }
    int[] out = new int[length];
    List<String> words = words(text);
    int n = Math.min(words.size(), length - 1);
    for (int i = 0; i < n; i++) {
      out[i] = id(words.get(i));
    }
    out[n] = END;
    return out;
  }
}
