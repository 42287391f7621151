package io.forceflux.core.auth;

import org.jspecify.annotations.Nullable;

/**
 * A successful token response.
 *
 * @param token the access token
 * @param rotatedRefreshToken the new refresh token when the server rotated it (RTR), else {@code null}
 * @param scope the granted scopes, if reported
 */
public record TokenResponse(AccessToken token, @Nullable Secret rotatedRefreshToken, @Nullable String scope) {
  @Override
  public String toString() {
    return "TokenResponse[" + token + (rotatedRefreshToken == null ? "" : ", refresh token rotated") + "]";
  }
}
