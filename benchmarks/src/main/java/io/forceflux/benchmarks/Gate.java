package io.forceflux.benchmarks;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The last filter before the wire: while closed it holds every request (which already carries its token), and
 * {@link #open()} releases them all at once. Lets a benchmark put N requests in flight with a token, kill the
 * session, and only then let them reach the server. Open, it adds one completed-{@code Mono} hop per request.
 */
final class Gate implements ExchangeFilterFunction {
  private volatile Sinks.Empty<Void> gate = opened();

  void close() {
    gate = Sinks.empty();
  }

  void open() {
    gate.tryEmitEmpty();
  }

  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    return gate.asMono().then(Mono.defer(() -> next.exchange(request)));
  }

  private static Sinks.Empty<Void> opened() {
    Sinks.Empty<Void> sink = Sinks.empty();
    sink.tryEmitEmpty();
    return sink;
  }
}
