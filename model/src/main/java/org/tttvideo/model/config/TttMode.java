package org.tttvideo.model.config;

import java.util.Locale;
import org.tttvideo.model.compute.TttKind;

/**
 * Which TTT layer each transformer block carries: none (plain CogVideoX), TTT-Linear or TTT-MLP.
 */
public enum TttMode {
  NONE(null),
  LINEAR(TttKind.LINEAR),
  MLP(TttKind.MLP);

  private final TttKind kind;

  TttMode(TttKind kind) {
    this.kind = kind;
  }

  /** The inner model, or null for {@link #NONE}. */
  public TttKind kind() {
    return kind;
  }

  /** Parses "none", "linear", "mlp" (case-insensitive; "ttt-" prefix allowed). */
  public static TttMode parse(String text) {
    if (text != null) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      if (t.startsWith("ttt-")) {
        t = t.substring(4);
      }
      for (TttMode m : values()) {
        if (m.name().toLowerCase(Locale.ROOT).equals(t)) {
          return m;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown TTT mode '" + text + "': allowed are none, linear, mlp");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
