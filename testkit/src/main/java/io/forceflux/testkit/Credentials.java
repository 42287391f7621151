package io.forceflux.testkit;

import java.util.Objects;

/**
 * What a client needs to authenticate against a {@link FakeOrg} with every grant it supports. {@link #toString()}
 * shows only the client id and the username; every secret is redacted.
 *
 * @param clientId the connected app's consumer key ({@code client_id}, the JWT {@code iss})
 * @param clientSecret the consumer secret
 * @param username the user's login name (the JWT {@code sub})
 * @param password the user's password, without the security token
 * @param securityToken the security token to append to the password for the password grant and SOAP login
 * @param refreshToken a refresh token issued by an OAuth approval when the org was built (or by the last
 *     {@link FakeOrg#sandboxRefresh()}); it is not updated when a rotation-mode refresh replaces it
 * @param privateKeyPem a PKCS#8 PEM RSA private key ({@code -----BEGIN PRIVATE KEY-----}) for signing JWT bearer
 *     assertions
 * @param publicKeyPem the matching X.509 SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----}), the key the
 *     connected app has registered for the JWT bearer flow
 */
public record Credentials(String clientId, String clientSecret, String username, String password,
    String securityToken, String refreshToken, String privateKeyPem, String publicKeyPem) {

  /**
   * Checks that no component is null.
   *
   * @param clientId the consumer key
   * @param clientSecret the consumer secret
   * @param username the login name
   * @param password the password without the security token
   * @param securityToken the security token
   * @param refreshToken a refresh token
   * @param privateKeyPem the PKCS#8 PEM private key
   * @param publicKeyPem the X.509 PEM public key
   */
  public Credentials {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(securityToken, "securityToken");
    Objects.requireNonNull(refreshToken, "refreshToken");
    Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    Objects.requireNonNull(publicKeyPem, "publicKeyPem");
  }

  /**
   * The value the password grant and SOAP {@code login} expect: the password followed by the security token.
   *
   * @return password + security token
   */
  public String passwordWithSecurityToken() {
    return password + securityToken;
  }

  @Override
  public String toString() {
    return "Credentials[clientId=" + clientId + ", clientSecret=***, username=" + username
        + ", password=***, securityToken=***, refreshToken=***, privateKeyPem=***, publicKeyPem=(set)]";
  }
}
