package io.forceflux.cli;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * Counts query pages as the client asks for them: a WebClient filter outside the session filter, so each page is
 * counted once however often its request was replayed.
 */
final class PageCounter implements ExchangeFilterFunction {
  private final AtomicLong pages = new AtomicLong();

  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    String path = request.url().getRawPath();
    if (HttpMethod.GET.equals(request.method()) && path != null
        && (path.contains("/query") || path.contains("/queryAll"))) {
      pages.incrementAndGet();
    }
    return next.exchange(request);
  }

  long pages() {
    return pages.get();
  }
}
