package org.tttvideo.model.compute;

/** The inner model of a TTT layer. */
public enum TttKind {
  /** {@code f(x) = x W1 + b1}, inner width F = D. */
  LINEAR(1),
  /** {@code f(x) = gelu(x W1 + b1) W2 + b2}, inner width F = 4D. */
  MLP(4);

  private final int widthFactor;

  TttKind(int widthFactor) {
    this.widthFactor = widthFactor;
  }

  /** F for a head dim D. */
  public int innerWidth(int headDim) {
    return widthFactor * headDim;
  }

  /** Parses "linear" / "mlp" (case-insensitive). */
  public static TttKind parse(String name) {
    for (TttKind k : values()) {
      if (k.name().equalsIgnoreCase(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown TTT kind '" + name + "': allowed are linear, mlp");
  }
}
