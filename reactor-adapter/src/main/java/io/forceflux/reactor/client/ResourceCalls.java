package io.forceflux.reactor.client;

import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** REST calls under the client's API version, and the JSON reading every family of calls shares. */
final class ResourceCalls {
  static final Consumer<HttpHeaders> NO_HEADERS = h -> { };

  private final Rest rest;
  private final Mono<String> apiVersion;

  ResourceCalls(Rest rest, Mono<String> apiVersion) {
    this.rest = rest;
    this.apiVersion = apiVersion;
  }

  Mono<Rest.Reply> call(HttpMethod method, String pathAfterVersion, byte @Nullable [] body) {
    return apiVersion.flatMap(v -> rest.call(method, Paths.resource(v, pathAfterVersion), body, NO_HEADERS));
  }

  /** A call whose repetition has the effect of one run: the session filter may replay it after a lost reply. */
  Mono<Rest.Reply> idempotentCall(HttpMethod method, String pathAfterVersion, byte @Nullable [] body) {
    return apiVersion.flatMap(v -> rest.call(method, Paths.resource(v, pathAfterVersion), body, NO_HEADERS, true));
  }

  static byte[] bytes(JsonNode node) {
    return Json.MAPPER.writeValueAsBytes(node);
  }

  static JsonNode tree(byte[] body, String what) {
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw Rest.malformed("the " + what + " is empty", null);
      }
      return node;
    } catch (JacksonException e) {
      throw Rest.malformed("the " + what + " is not well-formed JSON (" + e.getClass().getSimpleName() + ")", null);
    }
  }

  static @Nullable String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || !v.isString() ? null : v.stringValue();
  }
}
