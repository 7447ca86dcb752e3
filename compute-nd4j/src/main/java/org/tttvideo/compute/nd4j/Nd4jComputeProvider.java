package org.tttvideo.compute.nd4j;

import org.tttvideo.model.compute.Compute;
import org.tttvideo.model.compute.ComputeProvider;

/**
 * Registers {@link Nd4jCompute} as the backend {@code "nd4j"}. Loading this class touches no ND4J
 * class, so listing the backends does not start ND4J's native libraries; {@link #create} does.
 */
public final class Nd4jComputeProvider implements ComputeProvider {

  @Override
  public String name() {
    return "nd4j";
  }

  /**
   * An ND4J backend bound to accelerator {@code deviceIndex} when ND4J's CUDA build is on the class
   * path (-1: the CPU); ND4J sizes its own thread pools, so {@code threads} does not apply.
   */
  @Override
  public Compute create(int threads, int deviceIndex) {
    return new Nd4jCompute(deviceIndex);
  }
}
