package io.forceflux.core.auth;

import io.forceflux.core.internal.Checks;
import io.forceflux.core.internal.Origins;
import java.net.URI;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * The {@code refresh_token} grant. When the connected app rotates refresh tokens, the grant returned by
 * {@link #withRefreshToken(Secret)} carries the new one; presenting a rotated one again would revoke the
 * whole token family, so callers must always continue from the newest grant.
 */
public final class RefreshTokenGrant implements Grant {
  private final URI loginUrl;
  private final String clientId;
  private final @Nullable Secret clientSecret;
  private final Secret refreshToken;
  /** Full SHA-256 of the refresh token the grant was configured with: it identifies the user. */
  private final String originalDigest;

  RefreshTokenGrant(URI loginUrl, String clientId, @Nullable Secret clientSecret, Secret refreshToken) {
    this(loginUrl, clientId, clientSecret, refreshToken, Fingerprints.digest(refreshToken.reveal()));
  }

  private RefreshTokenGrant(
      URI loginUrl, String clientId, @Nullable Secret clientSecret, Secret refreshToken, String originalDigest) {
    this.loginUrl = Forms.checkHost(loginUrl, "loginUrl");
    this.clientId = Checks.requireText(clientId, "clientId");
    this.clientSecret = clientSecret;
    this.refreshToken = refreshToken;
    this.originalDigest = originalDigest;
  }

  @Override
  public GrantType type() {
    return GrantType.REFRESH_TOKEN;
  }

  @Override
  public TokenRequest request(Clock clock) {
    String body = Forms.encode(
        "grant_type", type().wireName(),
        "client_id", clientId,
        "client_secret", clientSecret == null ? null : clientSecret.reveal(),
        "refresh_token", refreshToken.reveal());
    return new TokenRequest(Forms.tokenUri(loginUrl), Forms.FORM, Forms.JSON, body);
  }

  @Override
  public RefreshTokenGrant withRefreshToken(Secret rotated) {
    return new RefreshTokenGrant(loginUrl, clientId, clientSecret, rotated, originalDigest);
  }

  /** The refresh token this grant presents. */
  public Secret refreshToken() {
    return refreshToken;
  }

  @Override
  public String credentialKey() {
    // Keyed on the full digest of the refresh token the grant was configured with (never the secret, never
    // the 32-bit log fingerprint, which collides across tens of thousands of users), so two users of one
    // connected app never share a token, while rotation keeps the key: every replica configured with the
    // same original token finds the newest rotated one under the same key.
    return Fingerprints.key("refresh_token", Origins.origin(loginUrl).toString(), clientId, originalDigest);
  }

  @Override
  public String toString() {
    return "RefreshTokenGrant[" + loginUrl + ", clientId=" + clientId + ", refreshToken="
        + refreshToken.fingerprint() + "]";
  }
}
