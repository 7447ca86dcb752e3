package org.tttvideo.model.compute;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Creates compute backends by their configuration name. The backends are the {@link
 * ComputeProvider}s on the class path: "vector" and the reference "naive" come with the model;
 * "nd4j" comes with the module {@code compute-nd4j} (the distribution and the cluster jar have it).
 *
 * <pre>{@code
 * ComputeBackends.check("model.backend", name); // fails naming the option and the backends found
 * try (Compute c = ComputeBackends.create("vector")) { ... }
 * }</pre>
 */
public final class ComputeBackends {
  /** The CPU default: pure Java on the Vector API. */
  public static final String DEFAULT = "vector";

  /** The system property that chooses the backend where no explicit name is given. */
  public static final String PROPERTY = "ttt.backend";

  /**
   * Backends that live in modules of this project outside the model, by the artifact that brings
   * them, so that selecting one that is missing says what to add instead of "unknown".
   */
  private static final Map<String, String> MODULES = Map.of("nd4j", "ttt-video-compute-nd4j");

  private ComputeBackends() {}

  /**
   * The names accepted by {@link #create(String)}: {@value #DEFAULT} first, then the others found
   * on the class path in alphabetical order.
   */
  public static List<String> names() {
    return Found.NAMES;
  }

  /**
   * Checks that {@code name} is a backend on the class path.
   *
   * @param option the setting that gave the name ("model.backend", "--backend"), for the message
   * @throws IllegalArgumentException naming the option, the value, and the backends found (and the
   *     module to add, for a backend of this project that is missing)
   */
  public static void check(String option, String name) {
    String n = normalise(name);
    if (Found.PROVIDERS.containsKey(n)) {
      return;
    }
    String module = MODULES.get(n);
    if (module != null) {
      throw new IllegalArgumentException(
          option
              + " is '"
              + name
              + "', but that backend is not on the class path (it comes with the module "
              + module
              + "); backends found are "
              + String.join(", ", names()));
    }
    throw new IllegalArgumentException(
        option + " is '" + name + "'; allowed are " + String.join(", ", names()));
  }

  /** The backend named by the system property {@value #PROPERTY}, else {@value #DEFAULT}. */
  public static Compute fromSystemProperty() {
    String name = System.getProperty(PROPERTY, DEFAULT);
    check("system property " + PROPERTY, name);
    return create(name);
  }

  /** A new backend, e.g. "vector" (all cores). */
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
    check("compute backend", name);
    return Found.PROVIDERS.get(normalise(name)).create(threads, deviceIndex);
  }

  private static String normalise(String name) {
    return name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
  }

  /** The providers, looked up once, when first needed (the holder idiom makes that thread-safe). */
  private static final class Found {
    static final Map<String, ComputeProvider> PROVIDERS = load();
    static final List<String> NAMES = List.copyOf(PROVIDERS.keySet());

    private static Map<String, ComputeProvider> load() {
      List<ComputeProvider> all = new ArrayList<>();
      // The loader that loaded the model: in a Flink task that is the job's user-code loader,
      // which also holds compute-nd4j when the job jar brings it.
      ServiceLoader.load(ComputeProvider.class, ComputeProvider.class.getClassLoader())
          .forEach(all::add);
      all.sort(
          (a, b) ->
              a.name().equals(DEFAULT)
                  ? (b.name().equals(DEFAULT) ? 0 : -1)
                  : b.name().equals(DEFAULT) ? 1 : a.name().compareTo(b.name()));
      Map<String, ComputeProvider> byName = new LinkedHashMap<>();
      for (ComputeProvider p : all) {
        ComputeProvider earlier = byName.putIfAbsent(p.name(), p);
        if (earlier != null && earlier.getClass() != p.getClass()) {
          throw new IllegalStateException(
              "two compute providers are named '"
                  + p.name()
                  + "': "
                  + earlier.getClass().getName()
                  + " and "
                  + p.getClass().getName()
                  + "; each backend name must be unique on the class path");
        }
      }
      return Collections.unmodifiableMap(byName);
    }
  }
}
