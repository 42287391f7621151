package io.forceflux.core.auth;

import io.forceflux.core.internal.Checks;
import io.forceflux.core.internal.Origins;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The JWT bearer grant: an RS256 assertion ({@code iss} = client id, {@code sub} = username,
 * {@code aud} = login host, {@code exp} = now + lifetime in epoch seconds) signed with the JDK.
 * Salesforce accepts assertions that expire within about 3 minutes, so the lifetime is capped there.
 */
public final class JwtBearerGrant implements Grant {
  /** The assertion lifetime: Salesforce's documented window is 3 minutes. */
  public static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(3);

  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER = B64URL.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));

  private final URI loginUrl;
  private final String clientId;
  private final String username;
  private final PrivateKey key;
  private final String audience;

  JwtBearerGrant(URI loginUrl, String clientId, String username, PrivateKey key, @Nullable String audience) {
    this.loginUrl = Forms.checkHost(loginUrl, "loginUrl");
    this.clientId = Checks.requireText(clientId, "clientId");
    this.username = Checks.requireText(username, "username");
    if (!"RSA".equals(key.getAlgorithm())) {
      throw new IllegalArgumentException("JWT bearer needs an RSA private key, got " + key.getAlgorithm());
    }
    this.key = key;
    this.audience = audience != null ? audience : Origins.origin(loginUrl).toString();
  }

  @Override
  public GrantType type() {
    return GrantType.JWT_BEARER;
  }

  @Override
  public TokenRequest request(Clock clock) {
    long exp = clock.instant().plus(ASSERTION_LIFETIME).getEpochSecond();
    String claims = "{\"iss\":" + json(clientId) + ",\"sub\":" + json(username) + ",\"aud\":" + json(audience)
        + ",\"exp\":\"" + exp + "\"}";
    String signingInput = HEADER + "." + B64URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    String assertion = signingInput + "." + B64URL.encodeToString(sign(signingInput));
    String body = Forms.encode("grant_type", type().wireName(), "assertion", assertion);
    return new TokenRequest(Forms.tokenUri(loginUrl), Forms.FORM, Forms.JSON, body);
  }

  private byte[] sign(String input) {
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return signature.sign();
    } catch (GeneralSecurityException e) {
      // The key was checked to be RSA when the grant was built; a failure here is a JDK defect.
      throw new IllegalStateException("cannot sign the JWT assertion: " + e.getClass().getSimpleName(), e);
    }
  }

  private static String json(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  @Override
  public String credentialKey() {
    return Fingerprints.key("jwt", Origins.origin(loginUrl).toString(), clientId, Forms.username(username));
  }

  @Override
  public String toString() {
    return "JwtBearerGrant[" + loginUrl + ", clientId=" + clientId + ", username=" + username + ", key=redacted]";
  }
}
