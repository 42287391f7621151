package io.forceflux.cli;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * Which requests are in flight relative to the demo's session kills. A WebClient filter outside the session
 * filter: a request counts from its first attempt until its response (or failure) is final, replays included.
 *
 * <p>Each kill starts a new epoch. {@link #settled()} tells whether every request that was in flight at the last
 * kill has finished; the demo kills the next session only then, so a request meets at most two dead sessions
 * (the one it started with and one more). Lock-free: registering is two atomic reads and an add.
 */
final class InFlight implements ExchangeFilterFunction {
  private final AtomicLong epoch = new AtomicLong();
  private final Map<Long, LongAdder> byEpoch = new ConcurrentHashMap<>();

  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    return Mono.defer(() -> {
      LongAdder started = register();
      return next.exchange(request).doFinally(signal -> started.decrement());
    });
  }

  private LongAdder register() {
    while (true) {
      long e = epoch.get();
      LongAdder count = byEpoch.computeIfAbsent(e, k -> new LongAdder());
      count.increment();
      if (epoch.get() == e) {
        return count;
      }
      // A kill happened meanwhile: count this request as started after it.
      count.decrement();
    }
  }

  /** Whether the requests that were in flight when the last kill happened have all finished. */
  boolean settled() {
    long current = epoch.get();
    for (Map.Entry<Long, LongAdder> entry : byEpoch.entrySet()) {
      if (entry.getKey() < current && entry.getValue().sum() > 0) {
        return false;
      }
    }
    return true;
  }

  /** Marks a kill: requests from now on belong to the next epoch. */
  void killed() {
    long previous = epoch.getAndIncrement();
    // Epochs before the previous one are settled (checked before this kill) and stay empty.
    byEpoch.keySet().removeIf(e -> e < previous);
  }
}
