package io.forceflux.core.auth;

import io.forceflux.core.internal.Checks;
import io.forceflux.core.internal.Origins;
import java.net.URI;
import java.time.Clock;

/** The {@code client_credentials} grant, posted to the org's My Domain host. */
public final class ClientCredentialsGrant implements Grant {
  private final URI myDomainUrl;
  private final String clientId;
  private final Secret clientSecret;

  ClientCredentialsGrant(URI myDomainUrl, String clientId, Secret clientSecret) {
    this.myDomainUrl = Forms.checkHost(myDomainUrl, "myDomainUrl");
    this.clientId = Checks.requireText(clientId, "clientId");
    this.clientSecret = clientSecret;
  }

  @Override
  public GrantType type() {
    return GrantType.CLIENT_CREDENTIALS;
  }

  @Override
  public TokenRequest request(Clock clock) {
    String body = Forms.encode(
        "grant_type", type().wireName(),
        "client_id", clientId,
        "client_secret", clientSecret.reveal());
    return new TokenRequest(Forms.tokenUri(myDomainUrl), Forms.FORM, Forms.JSON, body);
  }

  @Override
  public String credentialKey() {
    return Fingerprints.key("client_credentials", Origins.origin(myDomainUrl).toString(), clientId);
  }

  @Override
  public String toString() {
    return "ClientCredentialsGrant[" + myDomainUrl + ", clientId=" + clientId + "]";
  }
}
