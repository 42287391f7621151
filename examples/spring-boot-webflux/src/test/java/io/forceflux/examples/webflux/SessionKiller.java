package io.forceflux.examples.webflux;

import io.forceflux.testkit.FakeOrg;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Kills every session of a {@link FakeOrg} every 250 ms of real time, and, so that deaths are certain to land inside
 * a burst however fast it runs, after every {@code every}-th successful Salesforce response the application receives
 * (seen through a {@link WebClientCustomizer}, outside ForceFlux's own filter).
 *
 * <p>A kill waits until {@code minProgress} requests sent after the previous kill have succeeded (so the session
 * issued since then has worked). Without that, on a loaded
 * machine where a refresh and its replay take longer than 250 ms, the org would kill each new session before any
 * request could use it (ForceFlux rightly reports tokens that never work as a session-security policy, not as
 * expiry), and a request could be rejected more times than any attempt limit allows. The gate bounds the number of
 * kills one request can meet by the number of kills in the test.
 */
final class SessionKiller {
  private final FakeOrg org;
  private final AtomicLong successes = new AtomicLong();
  private final AtomicLong sinceKill = new AtomicLong();
  private final AtomicLong kills = new AtomicLong();
  private volatile long every = Long.MAX_VALUE;
  private volatile long minProgress = 1;
  private volatile String pathPart = "\u0000";

  SessionKiller(FakeOrg org) {
    this.org = org;
  }

  /** Adds the counting filter to the application's WebClients (ForceFlux's among them). */
  WebClientCustomizer customizer() {
    ExchangeFilterFunction count = (request, next) -> Mono.defer(() -> {
      long startedIn = kills.get();
      return next.exchange(request).doOnNext(response -> {
        // Only a request sent after the last kill proves that the session issued since then works.
        if (!response.statusCode().is2xxSuccessful() || !request.url().getRawPath().contains(pathPart)
            || kills.get() != startedIn) {
          return;
        }
        sinceKill.incrementAndGet();
        if (successes.incrementAndGet() % every == 0) {
          kill();
        }
      });
    });
    return builder -> builder.filter(count);
  }

  private void kill() {
    long progress = sinceKill.get();
    if (progress >= minProgress && sinceKill.compareAndSet(progress, 0)) {
      kills.incrementAndGet();
      org.expireAllSessions();
    }
  }

  /**
   * Starts killing: every 250 ms, and after every {@code every}-th successful response whose path contains
   * {@code pathPart}; either only once {@code minProgress} such responses arrived since the last kill.
   */
  Disposable start(String pathPart, long every, long minProgress) {
    this.pathPart = pathPart;
    this.every = every;
    this.minProgress = minProgress;
    sinceKill.set(0);
    Disposable ticker = Flux.interval(Duration.ofMillis(250)).subscribe(tick -> kill());
    return () -> {
      ticker.dispose();
      this.every = Long.MAX_VALUE;
    };
  }
}
