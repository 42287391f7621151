package io.forceflux.benchmarks;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The peer pattern most Salesforce clients use (jsforce, simple-salesforce, hand-written WebClient filters): each
 * request carries the current token; a request that gets 401 performs its own {@code refresh_token} POST, stores
 * the new token in a shared {@code volatile} field (last writer wins) and replays once with it. No single flight:
 * N requests rejected at once send N token requests, and Salesforce refuses all but one of those that overlap
 * ("token request is already being processed"); such a request fails.
 */
final class RetryPerRequestFilter implements ExchangeFilterFunction {
  private final WebClient tokenClient;
  private final URI tokenUri;
  private final String form;
  private volatile String current;

  RetryPerRequestFilter(WebClient tokenClient, String loginUrl, String clientId, String clientSecret,
      String refreshToken) {
    this.tokenClient = tokenClient;
    this.tokenUri = URI.create(loginUrl + "/services/oauth2/token");
    this.form = "grant_type=refresh_token"
        + "&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
        + "&client_secret=" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8)
        + "&refresh_token=" + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8);
    this.current = "";
  }

  /** Obtains the first token (the application's start-up login). */
  void login() {
    refresh().block(LoopbackOrg.BOUND);
  }

  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    return next.exchange(withBearer(request, current)).flatMap(response -> {
      if (response.statusCode().value() != 401) {
        return Mono.just(response);
      }
      return response.releaseBody()
          .then(refresh())
          .flatMap(fresh -> next.exchange(withBearer(request, fresh)));
    });
  }

  private Mono<String> refresh() {
    return tokenClient.post()
        .uri(tokenUri)
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .bodyValue(form)
        .retrieve()
        .bodyToMono(JsonNode.class)
        .handle((body, sink) -> {
          String token = body.path("access_token").asString();
          if (token.isEmpty()) {
            sink.error(new IllegalStateException("token response without access_token"));
          } else {
            current = token;
            sink.next(token);
          }
        });
  }

  private static ClientRequest withBearer(ClientRequest request, String token) {
    return ClientRequest.from(request).headers(h -> h.set(HttpHeaders.AUTHORIZATION, "Bearer " + token)).build();
  }
}
