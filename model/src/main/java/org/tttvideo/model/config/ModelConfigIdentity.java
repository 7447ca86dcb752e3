package org.tttvideo.model.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a {@link ModelConfig} that stored state records ({@link ModelConfig#identity()}):
 * a preset's bare name, or the name and a fingerprint of every value.
 */
final class ModelConfigIdentity {
  private ModelConfigIdentity() {}

  /**
   * The bare preset name when {@code config} equals that preset exactly, else {@code name#<first 8
   * bytes of the SHA-256 of toString(), in hex>}. The fingerprint hashes {@link
   * ModelConfig#toString()}, so that string must not change for a given configuration.
   */
  static String of(ModelConfig config) {
    String name = config.name();
    if (ModelPresets.NAMES.contains(name) && config.equals(ModelPresets.named(name))) {
      return name;
    }
    byte[] digest;
    try {
      digest =
          MessageDigest.getInstance("SHA-256")
              .digest(config.toString().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    return name + "#" + HexFormat.of().formatHex(digest, 0, 8);
  }
}
