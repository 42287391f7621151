package io.forceflux.testkit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** A compact RS256 JWS bearer assertion, parsed but not yet trusted. */
final class JwtAssertion {

  final JsonNode claims;
  private final byte[] signingInput;
  private final byte[] signature;

  private JwtAssertion(JsonNode claims, byte[] signingInput, byte[] signature) {
    this.claims = claims;
    this.signingInput = signingInput;
    this.signature = signature;
  }

  /** Parses {@code header.payload.signature}; null unless it is well-formed JSON with {@code "alg":"RS256"}. */
  static @Nullable JwtAssertion parse(@Nullable String compact) {
    if (compact == null) {
      return null;
    }
    String[] parts = compact.trim().split("\\.", -1);
    if (parts.length != 3) {
      return null;
    }
    try {
      Base64.Decoder decoder = Base64.getUrlDecoder();
      JsonNode header = FakeJson.parse(decoder.decode(parts[0]));
      JsonNode claims = FakeJson.parse(decoder.decode(parts[1]));
      byte[] signature = decoder.decode(parts[2]);
      if (header == null || claims == null || !claims.isObject() || !"RS256".equals(FakeJson.text(header, "alg"))) {
        return null;
      }
      return new JwtAssertion(claims, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
          signature);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  boolean signedBy(PublicKey key) {
    try {
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(key);
      verifier.update(signingInput);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Nullable String issuer() {
    return FakeJson.text(claims, "iss");
  }

  /** {@code prn} if present (it wins), else {@code sub}. */
  @Nullable String subject() {
    String prn = FakeJson.text(claims, "prn");
    return prn != null ? prn : FakeJson.text(claims, "sub");
  }

  List<String> audiences() {
    JsonNode aud = claims.get("aud");
    List<String> result = new ArrayList<>();
    if (aud != null && aud.isString()) {
      result.add(aud.stringValue());
    } else if (aud != null && aud.isArray()) {
      for (JsonNode a : aud) {
        if (a.isString()) {
          result.add(a.stringValue());
        }
      }
    }
    return result;
  }

  /** {@code exp} in epoch seconds, given as a number or a numeric string; null if absent or malformed. */
  @Nullable Long expiry() {
    JsonNode exp = claims.get("exp");
    if (exp == null) {
      return null;
    }
    if (exp.isIntegralNumber() && exp.canConvertToLong()) {
      return exp.longValue();
    }
    if (exp.isNumber()) {
      return (long) exp.doubleValue();
    }
    if (exp.isString()) {
      try {
        return Long.parseLong(exp.stringValue().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
