package io.forceflux.core.auth;

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

  /** A header value, or {@code null}. */
  public @Nullable String header(String name) {
    return headers.get(name);
  }

  @Override
  public String toString() {
    return "TokenRequest[POST " + uri + ", " + contentType + ", body redacted]";
  }
}
