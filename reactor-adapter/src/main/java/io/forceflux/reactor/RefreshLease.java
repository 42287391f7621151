package io.forceflux.reactor;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A shared refresh lease this process holds for {@link SharedRefresher}, renewed until {@link #stop()};
 * {@link #lost} once renewal says no.
 */
final class RefreshLease {
  // The shared refresher's log category: what operators filter on for fleet refreshes.
  private static final Logger LOG = LoggerFactory.getLogger(SharedRefresher.class);

  final String owner;
  volatile boolean lost;
  /** Held on purpose after a lost answer: renewed until this process ends, never released. */
  volatile boolean kept;
  private final Disposable renewal;

  /**
   * Starts renewing every {@code renewEvery}; each renewal is bounded by {@code storeBound}, and one that fails
   * or times out is skipped (the next tick tries again).
   */
  RefreshLease(TokenStore store, String credential, String owner, Duration renewEvery, Duration storeBound,
      Scheduler scheduler) {
    this.owner = owner;
    this.renewal = Flux.interval(renewEvery, renewEvery, scheduler)
        // A renewal slower than a third of the TTL must skip a tick, not end renewing with an overflow error.
        .onBackpressureDrop()
        .concatMap(i -> store.renewLease(credential, owner).timeout(storeBound, scheduler)
            .onErrorResume(e -> Mono.empty()))
        .takeUntil(held -> !held)
        .subscribe(held -> {
          if (!held) {
            lost = true;
            LOG.warn("lost the shared refresh lease while refreshing");
          }
        }, e -> { });
  }

  void stop() {
    renewal.dispose();
  }
}
