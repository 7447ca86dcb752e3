package org.tttvideo.model.weights;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file that breaks the format. The message names the file and, where the problem lies
 * in one entry, the tensor.
 */
public final class SafetensorsFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String tensor;

  SafetensorsFormatException(Path file, String tensor, String problem, Throwable cause) {
    super(file + (tensor == null ? "" : ": tensor '" + tensor + "'") + ": " + problem, cause);
    this.file = file;
    this.tensor = tensor;
  }

  SafetensorsFormatException(Path file, String tensor, String problem) {
    this(file, tensor, problem, null);
  }

  /** The file that was being read. */
  public Path file() {
    return file;
  }

  /** The tensor whose entry is wrong, or {@code null} when the problem is not in one entry. */
  public String tensor() {
    return tensor;
  }
}
