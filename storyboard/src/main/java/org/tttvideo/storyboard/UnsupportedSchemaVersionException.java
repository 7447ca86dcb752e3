package org.tttvideo.storyboard;

/** A serialized record has a {@code schemaVersion} that this reader does not know. */
public final class UnsupportedSchemaVersionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String version;

  public UnsupportedSchemaVersionException(String recordKind, String version, int supported) {
    super(
        recordKind
            + " schemaVersion "
            + version
            + " is not supported; this reader knows schemaVersion "
            + supported);
    this.version = version;
  }

  /** The version found, as written. */
  public String version() {
    return version;
  }
}
