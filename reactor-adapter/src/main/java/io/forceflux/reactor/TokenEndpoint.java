package io.forceflux.reactor;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.core.auth.TokenRequest;
import io.forceflux.core.auth.TokenResponse;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.internal.parse.TokenResponses;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to {@code /services/oauth2/token} (and SOAP login, and introspection). One call, no retries:
 * retrying is the token source's job. Every failure is a classified {@link SalesforceException}; no
 * message carries the request body.
 */
final class TokenEndpoint {
  /** Token responses are small; anything larger is refused unread. */
  static final int MAX_BODY = 256 * 1024;

  private final WebClient webClient;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Duration timeout;
  private final InstanceUrlPolicy policy;

  TokenEndpoint(WebClient webClient, Clock clock, Scheduler scheduler, Duration timeout, InstanceUrlPolicy policy) {
    this.webClient = webClient;
    this.clock = clock;
    this.scheduler = scheduler;
    this.timeout = timeout;
    this.policy = policy;
  }

  Mono<TokenResponse> request(Grant grant) {
    return Mono.defer(() -> {
      TokenRequest request = grant.request(clock);
      return post(request)
          .handle((reply, sink) -> {
            try {
              sink.next(TokenResponses.parse(grant.type(), reply.status, reply.contentType, reply.body,
                  clock.instant(), policy));
            } catch (SalesforceException e) {
              sink.error(e);
            }
          });
    });
  }

  /**
   * Asks introspection for the token's expiry; empty when introspection is not possible or says
   * nothing useful. Failures here never fail the token: expiry stays unknown.
   */
  Mono<Instant> introspectExpiry(String clientId, @Nullable String clientSecret, AccessToken token) {
    TokenRequest request = TokenRequest.introspection(clientId, clientSecret, token);
    return post(request)
        .flatMap(reply -> {
          if (reply.status != 200) {
            return Mono.empty();
          }
          try {
            JsonNode root = JsonMapper.shared().readTree(reply.body);
            JsonNode exp = root.get("exp");
            if (root.path("active").asBoolean(false) && exp != null && exp.canConvertToLong()) {
              return Mono.just(Instant.ofEpochSecond(exp.asLong()));
            }
          } catch (RuntimeException e) {
            return Mono.empty();
          }
          return Mono.empty();
        })
        .onErrorResume(SalesforceException.class, e -> Mono.empty());
  }

  private Mono<Reply> post(TokenRequest request) {
    return webClient.post()
        .uri(request.uri())
        .headers(h -> {
          h.set(HttpHeaders.CONTENT_TYPE, request.contentType());
          request.headers().forEach(h::set);
        })
        .body(BodyInserters.fromValue(request.body()))
        .exchangeToMono(this::read)
        .timeout(timeout, scheduler)
        .onErrorMap(e -> !(e instanceof SalesforceException), TokenEndpoint::transport);
  }

  private Mono<Reply> read(ClientResponse response) {
    int status = response.statusCode().value();
    String contentType = response.headers().contentType().map(MediaType::toString).orElse(null);
    return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()), MAX_BODY)
        .map(buffer -> {
          byte[] bytes = new byte[buffer.readableByteCount()];
          buffer.read(bytes);
          DataBufferUtils.release(buffer);
          return new Reply(status, contentType, bytes);
        })
        .defaultIfEmpty(new Reply(status, contentType, new byte[0]));
  }

  static SalesforceException transport(Throwable e) {
    if (e instanceof DataBufferLimitException) {
      return SalesforceException.of(FailureCause.RESPONSE_TOO_LARGE,
          "token response larger than " + MAX_BODY + " bytes");
    }
    String what = e instanceof TimeoutException ? "token request timed out"
        : e instanceof WebClientRequestException ? "token request failed: connection error"
        : "token request failed: " + e.getClass().getSimpleName();
    // The cause is kept for stack traces; WebClientRequestException messages name only method and URL,
    // and token URLs carry no secrets (they go in the body).
    return SalesforceException.wrapping(FailureCause.TRANSPORT, what, e);
  }

  /**
   * Whether a failed token request may have been processed by Salesforce although no usable answer arrived: a
   * timeout or a connection lost after the request was sent, or a body cut off or unreadable. A connection that was
   * never established, and any answer with an HTTP status Salesforce chose (an OAuth error, a 5xx), are not in doubt.
   * Under refresh-token rotation such a request may already have rotated the presented refresh token out.
   */
  static boolean outcomeUnknown(SalesforceException e) {
    return switch (e.failureCause()) {
      case TRANSPORT -> !neverConnected(e.getCause());
      case MALFORMED_RESPONSE, RESPONSE_TOO_LARGE -> true;
      default -> false;
    };
  }

  private static boolean neverConnected(@Nullable Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private record Reply(int status, @Nullable String contentType, byte[] body) {}
}
