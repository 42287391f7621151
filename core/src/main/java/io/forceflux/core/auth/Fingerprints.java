package io.forceflux.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Digests of secrets and credentials. A fingerprint (32 bits) only correlates log lines; anything that
 * decides which token a caller gets is keyed on the full 256-bit digest, where a collision between two
 * credentials is not a practical concern.
 */
final class Fingerprints {
  private Fingerprints() {}

  /** 8 hex chars of SHA-256: short enough for logs, far too short to key anything on. */
  static String of(String secret) {
    return HexFormat.of().formatHex(sha256(secret.getBytes(StandardCharsets.UTF_8)), 0, 4);
  }

  /** The full SHA-256 of {@code secret}, hex. */
  static String digest(String secret) {
    return HexFormat.of().formatHex(sha256(secret.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * A credential key: {@code type:} and the full SHA-256 of the parts. Each part is length-prefixed, so no
   * choice of values (a {@code |} in a client id, say) can make two different tuples hash alike.
   */
  static String key(String type, String... parts) {
    StringBuilder sb = new StringBuilder();
    for (String part : parts) {
      sb.append(part.length()).append(':').append(part).append('\n');
    }
    return type + ':' + digest(sb.toString());
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }
}
