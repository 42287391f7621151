package io.forceflux.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret string (token, password, client secret) that never shows itself in {@code toString()}, logs
 * or exception messages. Read it with {@link #reveal()} only where it goes on the wire.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * Wraps a secret.
   *
   * @throws IllegalArgumentException if {@code value} is empty
   */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "secret");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("secret must not be empty");
    }
    return new Secret(value);
  }

  /** The secret itself: only for the request that sends it. */
  public String reveal() {
    return value;
  }

  /** A short, stable, non-reversible fingerprint (8 hex chars of SHA-256) for correlating logs. */
  public String fingerprint() {
    return Fingerprints.of(value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret s
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), s.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "Secret[redacted]";
  }
}
