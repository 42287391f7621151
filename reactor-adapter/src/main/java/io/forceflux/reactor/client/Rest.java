package io.forceflux.reactor.client;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceError;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.reactor.SessionRecoveryFilter;
import io.forceflux.reactor.internal.Bodies;
import java.net.URI;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * One REST call through the session-recovering WebClient: reads the body into a bounded buffer and turns any
 * failure (error status, transport, oversized or truncated body) into a {@link SalesforceException}.
 */
final class Rest {
  private final WebClient web;
  private final int maxBodyBytes;

  Rest(WebClient web, int maxBodyBytes) {
    this.web = web;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** A 2xx (or 304, answering a conditional request) answer: its status, body (empty for 204 and 304), headers. */
  record Reply(int status, byte[] body, HttpHeaders headers) {
    Reply(int status, byte[] body) {
      this(status, body, HttpHeaders.EMPTY);
    }
  }

  Mono<Reply> call(HttpMethod method, URI uri, byte @Nullable [] body, Consumer<HttpHeaders> headers) {
    return call(method, uri, body, headers, false, status -> false);
  }

  /** Like the other, also answering with a {@link Reply} for the error statuses {@code alsoReply} accepts. */
  Mono<Reply> call(HttpMethod method, URI uri, byte @Nullable [] body, Consumer<HttpHeaders> headers,
      java.util.function.IntPredicate alsoReply) {
    return call(method, uri, body, headers, false, alsoReply);
  }

  /**
   * @param idempotent whether running the request twice has the effect of running it once although its method
   *     is not idempotent (an upsert by external id): the session filter may then replay it after a transport
   *     error or a 5xx
   */
  Mono<Reply> call(HttpMethod method, URI uri, byte @Nullable [] body, Consumer<HttpHeaders> headers,
      boolean idempotent) {
    return call(method, uri, body, headers, idempotent, status -> false);
  }

  private Mono<Reply> call(HttpMethod method, URI uri, byte @Nullable [] body, Consumer<HttpHeaders> headers,
      boolean idempotent, java.util.function.IntPredicate alsoReply) {
    String what = method.name() + " " + uri.getRawPath();
    WebClient.RequestBodySpec spec = web.method(method).uri(uri).headers(h -> {
      h.setAccept(List.of(MediaType.APPLICATION_JSON));
      headers.accept(h);
    });
    if (idempotent) {
      spec = spec.attribute(SessionRecoveryFilter.IDEMPOTENT_ATTRIBUTE, Boolean.TRUE);
    }
    WebClient.RequestHeadersSpec<?> request = body == null ? spec
        : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    return request.exchangeToMono(response -> read(response, what, alsoReply))
        .onErrorMap(e -> !(e instanceof SalesforceException), e -> failure(e, what));
  }

  private Mono<Reply> read(ClientResponse response, String what, java.util.function.IntPredicate alsoReply) {
    int status = response.statusCode().value();
    if ((status >= 200 && status < 300) || status == 304 || alsoReply.test(status)) {
      HttpHeaders headers = response.headers().asHttpHeaders();
      return Bodies.read(response, maxBodyBytes).map(bytes -> new Reply(status, bytes, headers));
    }
    return Bodies.error(response, what);
  }

  static SalesforceException apiError(SalesforceError error, String what) {
    return Bodies.apiError(error, what);
  }

  static SalesforceException malformed(String what, @Nullable Throwable cause) {
    return cause == null ? SalesforceException.of(FailureCause.MALFORMED_RESPONSE, what)
        : SalesforceException.wrapping(FailureCause.MALFORMED_RESPONSE, what, cause);
  }

  private SalesforceException failure(Throwable e, String what) {
    return Bodies.failure(e, what, maxBodyBytes);
  }
}
