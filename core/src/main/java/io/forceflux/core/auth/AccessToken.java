package io.forceflux.core.auth;

import io.forceflux.core.internal.Origins;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Salesforce access token and where it may be used.
 *
 * <p>Salesforce never says when a token expires ({@code expires_in} is not returned). {@link #expiresAt()}
 * is known only from introspection or a JWT-based token's {@code exp}; {@link #idleTimeout()} is the
 * session's inactivity timeout when it is known (SOAP {@code sessionSecondsValid}, or configured).
 * Otherwise the token is valid until a request is rejected.
 *
 * <p>Two tokens are equal when their values are equal. {@link #toString()} never shows the value.
 */
public final class AccessToken {
  private final Secret value;
  private final URI instanceUrl;
  private final Instant issuedAt;
  private final @Nullable Instant expiresAt;
  private final @Nullable Duration idleTimeout;
  private final GrantType grantType;
  private final @Nullable String identityUrl;

  private AccessToken(
      Secret value,
      URI instanceUrl,
      Instant issuedAt,
      @Nullable Instant expiresAt,
      @Nullable Duration idleTimeout,
      GrantType grantType,
      @Nullable String identityUrl) {
    this.value = value;
    this.instanceUrl = instanceUrl;
    this.issuedAt = issuedAt;
    this.expiresAt = expiresAt;
    this.idleTimeout = idleTimeout;
    this.grantType = grantType;
    this.identityUrl = identityUrl;
  }

  /**
   * A token with no known expiry.
   *
   * @param instanceUrl the {@code instance_url} it belongs to; a trailing slash or path is dropped
   */
  public static AccessToken of(String value, URI instanceUrl, Instant issuedAt, GrantType grantType) {
    return new AccessToken(
        Secret.of(value), originOf(instanceUrl), issuedAt, null, null, grantType, null);
  }

  /** This token with a known absolute expiry (introspection {@code exp}, JWT {@code exp}). */
  public AccessToken withExpiresAt(@Nullable Instant expiresAt) {
    return new AccessToken(value, instanceUrl, issuedAt, expiresAt, idleTimeout, grantType, identityUrl);
  }

  /** This token with a known inactivity timeout. */
  public AccessToken withIdleTimeout(@Nullable Duration idleTimeout) {
    return new AccessToken(value, instanceUrl, issuedAt, expiresAt, idleTimeout, grantType, identityUrl);
  }

  /** This token with the identity URL ({@code id} field) of its user. */
  public AccessToken withIdentityUrl(@Nullable String identityUrl) {
    return new AccessToken(value, instanceUrl, issuedAt, expiresAt, idleTimeout, grantType, identityUrl);
  }

  /** The bearer value: put it on the wire, nowhere else. */
  public String value() {
    return value.reveal();
  }

  /** A non-reversible fingerprint of the value for logs and events. */
  public String fingerprint() {
    return value.fingerprint();
  }

  /** The origin ({@code scheme://host[:port]}) of the instance this token is valid for. */
  public URI instanceUrl() {
    return instanceUrl;
  }

  /** When the token was issued ({@code issued_at}), or when it was received if the server did not say. */
  public Instant issuedAt() {
    return issuedAt;
  }

  /** The known absolute expiry, or {@code null} when unknown (the usual case on Salesforce). */
  public @Nullable Instant expiresAt() {
    return expiresAt;
  }

  /** The known inactivity timeout of the session, or {@code null}. */
  public @Nullable Duration idleTimeout() {
    return idleTimeout;
  }

  /** The grant that produced this token. */
  public GrantType grantType() {
    return grantType;
  }

  /** The identity URL ({@code https://login.salesforce.com/id/<org>/<user>}), when known. */
  public @Nullable String identityUrl() {
    return identityUrl;
  }

  /** Whether {@code uri} is on this token's instance origin (same scheme, host and port). */
  public boolean isSameOrigin(URI uri) {
    return Origins.sameOrigin(instanceUrl, uri);
  }

  private static URI originOf(URI instanceUrl) {
    Objects.requireNonNull(instanceUrl, "instanceUrl");
    return Origins.origin(instanceUrl);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AccessToken t && value.equals(t.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "AccessToken[" + fingerprint() + ", instance=" + instanceUrl + ", grant=" + grantType
        + ", issuedAt=" + issuedAt + (expiresAt == null ? "" : ", expiresAt=" + expiresAt) + "]";
  }
}
