package io.forceflux.core.auth;

import io.forceflux.core.internal.Checks;
import io.forceflux.core.internal.Origins;
import java.net.URI;
import java.time.Clock;

/** The username-password grant (password with the security token appended). */
public final class PasswordGrant implements Grant {
  private final URI loginUrl;
  private final String clientId;
  private final Secret clientSecret;
  private final String username;
  private final Secret passwordAndToken;

  PasswordGrant(URI loginUrl, String clientId, Secret clientSecret, String username, Secret passwordAndToken) {
    this.loginUrl = Forms.checkHost(loginUrl, "loginUrl");
    this.clientId = Checks.requireText(clientId, "clientId");
    this.clientSecret = clientSecret;
    this.username = Checks.requireText(username, "username");
    this.passwordAndToken = passwordAndToken;
  }

  @Override
  public GrantType type() {
    return GrantType.PASSWORD;
  }

  @Override
  public TokenRequest request(Clock clock) {
    String body = Forms.encode(
        "grant_type", type().wireName(),
        "client_id", clientId,
        "client_secret", clientSecret.reveal(),
        "username", username,
        "password", passwordAndToken.reveal());
    return new TokenRequest(Forms.tokenUri(loginUrl), Forms.FORM, Forms.JSON, body);
  }

  @Override
  public String credentialKey() {
    return Fingerprints.key("password", Origins.origin(loginUrl).toString(), clientId, Forms.username(username));
  }

  @Override
  public String toString() {
    return "PasswordGrant[" + loginUrl + ", clientId=" + clientId + ", username=" + username + "]";
  }
}
