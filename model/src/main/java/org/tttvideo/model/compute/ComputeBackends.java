package org.tttvideo.model.compute;

import java.util.List;
import java.util.Locale;
import org.tttvideo.model.compute.nd4j.Nd4jCompute;
import org.tttvideo.model.compute.vector.VectorCompute;

/**
 * Creates compute backends by their configuration name.
 *
 * <pre>{@code
 * try (Compute c = ComputeBackends.create("vector")) { ... }
 * }</pre>
 */
public final class ComputeBackends {
  /** The CPU default: pure Java on the Vector API. */
  public static final String DEFAULT = "vector";

  /** The system property that chooses the backend where no explicit name is given. */
  public static final String PROPERTY = "ttt.backend";

  private static final List<String> NAMES = List.of("vector", "nd4j");

  private ComputeBackends() {}

  /** The names accepted by {@link #create(String)}. */
  public static List<String> names() {
    return NAMES;
  }

  /** The backend named by the system property {@value #PROPERTY}, else {@value #DEFAULT}. */
  public static Compute fromSystemProperty() {
    return create(System.getProperty(PROPERTY, DEFAULT));
  }

  /** A new backend: "vector" (all cores) or "nd4j". */
  public static Compute create(String name) {
    return create(name, Runtime.getRuntime().availableProcessors());
  }

  /** A new backend; {@code threads} applies to "vector" (ND4J sizes its own pools). */
  public static Compute create(String name, int threads) {
    return create(name, threads, -1);
  }

  /**
   * A new backend bound to accelerator {@code deviceIndex} where the backend has accelerators (ND4J
   * with its CUDA backend on the classpath); -1, or a CPU-only backend, computes on the CPU. Check
   * {@link Compute#device()} for where it computes.
   */
  public static Compute create(String name, int threads, int deviceIndex) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "vector" -> new VectorCompute(threads);
      case "nd4j" -> new Nd4jCompute(deviceIndex);
      default ->
          throw new IllegalArgumentException(
              "unknown compute backend '" + name + "': allowed are " + String.join(", ", NAMES));
    };
  }
}
