package io.forceflux.reactor.client;

import io.forceflux.reactor.internal.Bodies;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sits inside the {@link SessionRecoveryFilter} and turns a Composite or Composite Batch answer whose subrequests
 * were refused for a dead session, and of which nothing took effect, into the plain {@code 401 INVALID_SESSION_ID}
 * the session filter already knows how to recover from (one shared refresh, then a replay of the whole call).
 *
 * <p>"Nothing took effect" is decided from the answer alone: at least one subrequest says
 * {@code INVALID_SESSION_ID} and every other one says {@code PROCESSING_HALTED} (rolled back or not run under
 * {@code allOrNone}) or {@code BATCH_PROCESSING_HALTED} (not run after {@code haltOnError}). A subrequest that
 * succeeded, or failed for another reason, ran: replaying could run it twice, so such an answer passes through
 * unchanged. This filter reads no header and logs nothing.
 */
final class CompositeSessionFilter implements ExchangeFilterFunction {
  private static final String SESSION_REJECTED =
      "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]";

  private final int maxBytes;

  CompositeSessionFilter(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    String path = request.url().getRawPath();
    boolean batch = path.endsWith("/composite/batch");
    if (!batch && !path.endsWith("/composite")) {
      return next.exchange(request);
    }
    return next.exchange(request).flatMap(response -> {
      if (response.statusCode().value() != 200) {
        return Mono.just(response);
      }
      return Bodies.read(response, maxBytes)
          .map(bytes -> nothingRanForADeadSession(bytes, batch)
              ? response.mutate().statusCode(HttpStatus.UNAUTHORIZED).body(SESSION_REJECTED).build()
              : response.mutate().body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(bytes))).build());
    });
  }

  static boolean nothingRanForADeadSession(byte[] body, boolean batch) {
    JsonNode root;
    try {
      root = JsonMapper.shared().readTree(body);
    } catch (JacksonException e) {
      return false;
    }
    JsonNode list = root == null ? null : root.get(batch ? "results" : "compositeResponse");
    if (list == null || !list.isArray() || list.isEmpty()) {
      return false;
    }
    boolean sessionRejected = false;
    for (JsonNode entry : list) {
      JsonNode errors = entry.get(batch ? "result" : "body");
      JsonNode first = errors != null && errors.isArray() && !errors.isEmpty() ? errors.get(0) : null;
      String code = first == null ? "" : first.path("errorCode").asString("");
      switch (code) {
        case "INVALID_SESSION_ID" -> sessionRejected = true;
        case "PROCESSING_HALTED", "BATCH_PROCESSING_HALTED" -> { }
        default -> {
          return false;
        }
      }
    }
    return sessionRejected;
  }

  @Override
  public String toString() {
    return "CompositeSessionFilter";
  }
}
