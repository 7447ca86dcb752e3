package org.tttvideo.model.compute.vector;

/** Constructs a {@link VectorCompute} and prints what happened (run in a JVM of its own). */
final class VectorModuleProbe {
  private VectorModuleProbe() {}

  public static void main(String[] args) {
    try (VectorCompute c = new VectorCompute(1)) {
      System.out.println("constructed " + c);
    } catch (RuntimeException e) {
      System.out.println(e);
    }
  }
}
