package org.tttvideo.model.compute;

/**
 * Makes one kind of {@link Compute} backend, found at run time through {@link
 * java.util.ServiceLoader}: a module that brings a backend lists its provider in {@code
 * META-INF/services/org.tttvideo.model.compute.ComputeProvider}. This keeps native libraries out of
 * the model module: the ND4J backend lives in the module {@code compute-nd4j}, and selecting {@code
 * "nd4j"} works wherever that module is on the class path.
 *
 * <pre>{@code
 * public final class MyProvider implements ComputeProvider {
 *   public String name() { return "mine"; }
 *   public Compute create(int threads, int deviceIndex) { return new MyCompute(threads); }
 * }
 * }</pre>
 *
 * <p>Implementations need a public no-argument constructor and should be cheap to construct: {@link
 * ComputeBackends} instantiates every provider to list the names, before any backend is chosen.
 */
public interface ComputeProvider {

  /** The configuration name, lower case ("vector", "naive", "nd4j"); equals the backend's name. */
  String name();

  /**
   * A new backend.
   *
   * @param threads threads for large operations, at least 1; backends that size their own pools
   *     ignore it
   * @param deviceIndex the accelerator to bind, or -1 for the CPU; CPU-only backends ignore it
   */
  Compute create(int threads, int deviceIndex);
}
