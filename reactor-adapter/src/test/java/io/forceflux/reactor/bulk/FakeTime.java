package io.forceflux.reactor.bulk;

import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Fake time for bulk tests: the org's {@link MutableClock} moves only when the client waits (a poll delay is
 * taken at once and the clock jumps by it) or sends a request (a fixed step), and every {@code killEvery} of that
 * time every session dies. Deterministic whatever the machine's speed: the same requests see the same deaths.
 */
final class FakeTime implements Scheduler {
  private final MutableClock clock;
  private final FakeOrg org;
  private final Duration requestStep;
  private final Duration killEvery;
  private final Scheduler runner = Schedulers.parallel();
  private Instant nextKill;
  final AtomicInteger kills = new AtomicInteger();

  FakeTime(MutableClock clock, FakeOrg org, Duration requestStep, Duration killEvery) {
    this.clock = clock;
    this.org = org;
    this.requestStep = requestStep;
    this.killEvery = killEvery;
    this.nextKill = clock.instant().plus(killEvery);
  }

  /** A WebClient filter (outside the session filter) that moves the clock by one step per logical request. */
  ExchangeFilterFunction perRequest() {
    return (request, next) -> {
      advance(requestStep);
      return next.exchange(request);
    };
  }

  synchronized void advance(Duration by) {
    clock.advance(by);
    while (!clock.instant().isBefore(nextKill)) {
      org.expireAllSessions();
      kills.incrementAndGet();
      nextKill = nextKill.plus(killEvery);
    }
  }

  @Override
  public Disposable schedule(Runnable task) {
    return runner.schedule(task);
  }

  @Override
  public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
    advance(Duration.ofNanos(unit.toNanos(delay)));
    return runner.schedule(task);
  }

  @Override
  public long now(TimeUnit unit) {
    return unit.convert(clock.millis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public Worker createWorker() {
    return runner.createWorker();
  }
}
