package org.tttvideo.operators.generation.testutils;

import org.tttvideo.model.generate.Generator;
import org.tttvideo.operators.generation.GeneratorFactory;

/**
 * The tiny model (as {@link GenerationFixtures#TINY}) whose decoder throws on its first {@code
 * failures} calls: a model failure in the middle of a video.
 */
public record FailingDecoderFactory(int failures) implements GeneratorFactory {
  public static final String MESSAGE = "injected decoder failure";

  @Override
  public Generator create(int deviceIndex) {
    return ThrowingDecoderFactory.tinyWithDecoderThrowing(
        failures,
        () -> {
          throw new IllegalStateException(MESSAGE);
        });
  }
}
