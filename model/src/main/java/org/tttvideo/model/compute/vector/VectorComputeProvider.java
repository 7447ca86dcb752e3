package org.tttvideo.model.compute.vector;

import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ComputeProvider;

/** Registers {@link VectorCompute} as the backend {@code "vector"} (the CPU default). */
public final class VectorComputeProvider implements ComputeProvider {

  @Override
  public String name() {
    return "vector";
  }

  /** A Vector API backend on {@code threads} threads; it has no accelerator to bind. */
  @Override
  public Compute create(int threads, int deviceIndex) {
    return new VectorCompute(threads);
  }
}
