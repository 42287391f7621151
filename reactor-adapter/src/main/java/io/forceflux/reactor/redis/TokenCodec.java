package io.forceflux.reactor.redis;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.GrantType;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** An {@link AccessToken} as compact JSON for a shared store; parse failures yield null, never the input. */
final class TokenCodec {
  private static final JsonMapper JSON = JsonMapper.shared();

  private TokenCodec() {}

  static String encode(AccessToken token) {
    ObjectNode node = JSON.createObjectNode();
    node.put("v", token.value());
    node.put("i", token.instanceUrl().toString());
    node.put("at", token.issuedAt().toEpochMilli());
    node.put("g", token.grantType().name());
    if (token.expiresAt() != null) {
      node.put("exp", token.expiresAt().toEpochMilli());
    }
    if (token.idleTimeout() != null) {
      node.put("idle", token.idleTimeout().toMillis());
    }
    if (token.identityUrl() != null) {
      node.put("id", token.identityUrl());
    }
    return JSON.writeValueAsString(node);
  }

  static @Nullable AccessToken decode(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      String value = text(node, "v");
      String instance = text(node, "i");
      String grant = text(node, "g");
      JsonNode issued = node.get("at");
      if (value == null || instance == null || grant == null || issued == null || !issued.canConvertToLong()) {
        return null;
      }
      AccessToken token = AccessToken.of(value, URI.create(instance), Instant.ofEpochMilli(issued.asLong()),
          GrantType.valueOf(grant));
      JsonNode exp = node.get("exp");
      if (exp != null && exp.canConvertToLong()) {
        token = token.withExpiresAt(Instant.ofEpochMilli(exp.asLong()));
      }
      JsonNode idle = node.get("idle");
      if (idle != null && idle.canConvertToLong()) {
        token = token.withIdleTimeout(Duration.ofMillis(idle.asLong()));
      }
      return token.withIdentityUrl(text(node, "id"));
    } catch (RuntimeException e) {
      return null; // never rethrow: a parser message could quote the token
    }
  }

  private static @Nullable String text(JsonNode node, String name) {
    JsonNode value = node.get(name);
    return value != null && value.isString() ? value.stringValue() : null;
  }
}
