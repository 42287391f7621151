package io.forceflux.core.auth;

import io.forceflux.core.internal.Checks;
import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP request a grant sends to obtain a token, described without any HTTP library: a POST to
 * {@link #uri()} with {@link #body()} of {@link #contentType()}. The body holds secrets, so
 * {@link #toString()} leaves it out.
 *
 * @param uri where to POST
 * @param contentType the body's media type
 * @param headers extra headers (e.g. {@code SOAPAction}, {@code Accept})
 * @param body the form or XML body
 */
public record TokenRequest(URI uri, String contentType, Map<String, String> headers, String body) {
  public TokenRequest {
    headers = Map.copyOf(headers);
  }

  /**
   * An OAuth token introspection request (RFC 7662) for {@code token}, to the token's own instance: Salesforce
   * answers with {@code active} and {@code exp}, the one way to learn when a session expires.
   *
   * @param clientSecret null for a connected app that introspects without a secret
   */
  public static TokenRequest introspection(String clientId, @Nullable String clientSecret, AccessToken token) {
    Checks.requireText(clientId, "clientId");
    return new TokenRequest(Forms.resolve(token.instanceUrl(), "/services/oauth2/introspect"), Forms.FORM,
        Forms.JSON, Forms.encode("token", token.value(), "token_type_hint", "access_token", "client_id", clientId,
            "client_secret", clientSecret));
  }

  /** A header value, or {@code null}. */
  public @Nullable String header(String name) {
    return headers.get(name);
  }

  @Override
  public String toString() {
    return "TokenRequest[POST " + uri + ", " + contentType + ", body redacted]";
  }
}
