package org.tttvideo.model.compute.naive;

import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ComputeProvider;

/** Registers the reference {@link NaiveCompute} as the backend {@value NaiveCompute#NAME}. */
public final class NaiveComputeProvider implements ComputeProvider {

  @Override
  public String name() {
    return NaiveCompute.NAME;
  }

  /** The single-threaded reference; threads and device do not apply. */
  @Override
  public Compute create(int threads, int deviceIndex) {
    return new NaiveCompute();
  }
}
