package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Token-endpoint helpers for tests. */
final class OAuth {

  static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

  private OAuth() {
  }

  static String tokenUrl(FakeOrg org) {
    return org.loginUrl() + "/services/oauth2/token";
  }

  static Map<String, String> refreshForm(FakeOrg org, String refreshToken) {
    Credentials c = org.credentials();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("client_id", c.clientId());
    form.put("client_secret", c.clientSecret());
    form.put("refresh_token", refreshToken);
    return form;
  }

  static Http.Response refresh(FakeOrg org, String refreshToken) {
    return Http.form(tokenUrl(org), refreshForm(org, refreshToken));
  }

  /** A fresh access token from the pre-issued refresh token. */
  static String accessToken(FakeOrg org) {
    Http.Response response = refresh(org, org.credentials().refreshToken());
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().get("access_token").stringValue();
  }

  static Http.Response password(FakeOrg org, String passwordWithToken) {
    Credentials c = org.credentials();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("client_id", c.clientId());
    form.put("client_secret", c.clientSecret());
    form.put("username", c.username());
    form.put("password", passwordWithToken);
    return Http.form(tokenUrl(org), form);
  }

  static Map<String, Object> claims(FakeOrg org) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", org.credentials().clientId());
    claims.put("sub", org.credentials().username());
    claims.put("aud", org.loginUrl());
    claims.put("exp", String.valueOf(org.clock().instant().getEpochSecond() + 180));
    return claims;
  }

  static Http.Response jwt(FakeOrg org, String assertion) {
    return Http.form(tokenUrl(org), Map.of("grant_type", JWT_BEARER, "assertion", assertion));
  }

  static String sign(Map<String, Object> claims, String privateKeyPem) {
    try {
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String input = b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
          + b64.encodeToString(FakeJson.MAPPER.writeValueAsBytes(claims));
      Signature signer = Signature.getInstance("SHA256withRSA");
      signer.initSign(privateKey(privateKeyPem));
      signer.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + b64.encodeToString(signer.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static PrivateKey privateKey(String pem) throws Exception {
    String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
        .replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
        Base64.getDecoder().decode(base64)));
  }
}
