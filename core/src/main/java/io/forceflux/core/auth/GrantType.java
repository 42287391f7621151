package io.forceflux.core.auth;

/** The ways ForceFlux can obtain an access token, with the {@code grant_type} each sends. */
public enum GrantType {
  /** {@code refresh_token}: a refresh token from an earlier approval; may rotate (RTR). */
  REFRESH_TOKEN("refresh_token"),
  /** JWT bearer: an RS256 assertion signed with the connected app's private key. No refresh token. */
  JWT_BEARER("urn:ietf:params:oauth:grant-type:jwt-bearer"),
  /** Client credentials: the app's "Run As" user; only on the My Domain host. No refresh token. */
  CLIENT_CREDENTIALS("client_credentials"),
  /** Username-password (+ security token). Blocked by default in new orgs; prefer the others. */
  PASSWORD("password"),
  /** SOAP {@code login()} for legacy orgs; the session id is used as a bearer token. */
  SOAP_LOGIN("soap-login");

  private final String wireName;

  GrantType(String wireName) {
    this.wireName = wireName;
  }

  /** The {@code grant_type} form value (or {@code soap-login} for the SOAP call). */
  public String wireName() {
    return wireName;
  }
}
