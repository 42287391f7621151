package io.forceflux.core.auth;

import java.net.URI;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * A way to obtain an access token. Build one with the static factories; each validates its arguments
 * when it is built. A grant is immutable: a rotated refresh token yields a new grant
 * ({@link #withRefreshToken(Secret)}).
 */
public sealed interface Grant
    permits RefreshTokenGrant, JwtBearerGrant, ClientCredentialsGrant, PasswordGrant, SoapLoginGrant {

  /** Which grant this is. */
  GrantType type();

  /**
   * The request to send now.
   *
   * @param clock the time source for assertions that carry an expiry (JWT {@code exp})
   */
  TokenRequest request(Clock clock);

  /**
   * The grant to use for the next refresh after the server rotated the refresh token. Grants without a
   * refresh token return themselves.
   */
  default Grant withRefreshToken(Secret rotated) {
    return this;
  }

  /**
   * A key that identifies the credential (not the secret): grants with equal keys share one token. Two
   * replicas configured with the same credential compute the same key. It is the grant type, a colon and
   * the full SHA-256 (64 hex chars) of what identifies the credential (token host, client id, username or
   * the originally configured refresh token), so two credentials never share a key in practice.
   */
  String credentialKey();

  /**
   * The refresh-token grant.
   *
   * @param loginUrl the token host: {@code https://login.salesforce.com}, {@code https://test.salesforce.com},
   *     or the org's My Domain URL
   * @param clientSecret may be {@code null} when the connected app does not require it
   */
  static RefreshTokenGrant refreshToken(
      URI loginUrl, String clientId, @Nullable String clientSecret, String refreshToken) {
    return new RefreshTokenGrant(
        loginUrl, clientId, clientSecret == null ? null : Secret.of(clientSecret), Secret.of(refreshToken));
  }

  /**
   * The JWT bearer grant with a PKCS#8 PEM private key ({@code -----BEGIN PRIVATE KEY-----}).
   *
   * @param audience {@code https://login.salesforce.com}, {@code https://test.salesforce.com} or an
   *     Experience Cloud site URL; {@code null} means the login URL itself
   */
  static JwtBearerGrant jwtBearer(
      URI loginUrl, String clientId, String username, String pkcs8Pem, @Nullable String audience) {
    return new JwtBearerGrant(loginUrl, clientId, username, PrivateKeys.fromPkcs8Pem(pkcs8Pem), audience);
  }

  /** The JWT bearer grant with a key from a PKCS#12 keystore. */
  static JwtBearerGrant jwtBearer(
      URI loginUrl,
      String clientId,
      String username,
      Path pkcs12,
      char[] storePassword,
      String alias,
      @Nullable String audience) {
    return new JwtBearerGrant(
        loginUrl, clientId, username, PrivateKeys.fromPkcs12(pkcs12, storePassword, alias), audience);
  }

  /** The JWT bearer grant with a key already loaded. */
  static JwtBearerGrant jwtBearer(
      URI loginUrl, String clientId, String username, PrivateKey key, @Nullable String audience) {
    return new JwtBearerGrant(loginUrl, clientId, username, key, audience);
  }

  /**
   * The client-credentials grant.
   *
   * @param myDomainUrl the org's My Domain URL: Salesforce refuses this grant on login/test hosts
   */
  static ClientCredentialsGrant clientCredentials(URI myDomainUrl, String clientId, String clientSecret) {
    return new ClientCredentialsGrant(myDomainUrl, clientId, Secret.of(clientSecret));
  }

  /**
   * The username-password grant; {@code securityToken} is appended to the password when given.
   * Salesforce blocks this flow by default in orgs created since Summer '23.
   */
  static PasswordGrant password(
      URI loginUrl,
      String clientId,
      String clientSecret,
      String username,
      String password,
      @Nullable String securityToken) {
    return new PasswordGrant(
        loginUrl,
        clientId,
        Secret.of(clientSecret),
        username,
        Secret.of(password + (securityToken == null ? "" : securityToken)));
  }

  /** SOAP {@code login()} on the partner endpoint, for orgs without a connected app. */
  static SoapLoginGrant soapLogin(
      URI loginUrl, String username, String password, @Nullable String securityToken, String apiVersion) {
    return new SoapLoginGrant(
        loginUrl, username, Secret.of(password + (securityToken == null ? "" : securityToken)), apiVersion);
  }
}
