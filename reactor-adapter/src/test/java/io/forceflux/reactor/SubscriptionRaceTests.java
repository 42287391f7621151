package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Grant;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.test.util.RaceTestUtils;

/** Hand-written subscriptions under racing request and cancel: no dropped and no doubled signals. */
class SubscriptionRaceTests {
  private static final int ROUNDS = 20_000;

  /**
   * Random interleavings of registration and sweep on two threads, a smoke test. The one interleaving known to
   * have lost deadlines (the sweep between a registration's bucket lookup and its add) is a few instructions wide:
   * random races practically never hit it, so {@link AttemptDeadlinesSweepRaceTests} forces it instead.
   */
  @Test
  void deadlinesRegisteredWhileTheSweepRunsOnAnotherThreadAllFire() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    try {
      AttemptDeadlines deadlines = new AttemptDeadlines(time, Duration.ofSeconds(16)); // sweeps every 1 s
      int lost = 0;
      // Bounded by rounds and by time: a race round costs far more on a loaded machine.
      long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      for (int i = 0; i < ROUNDS / 20 && System.nanoTime() < until; i++) {
        deadlines.deadline().subscribe().dispose(); // leaves its future bucket empty
        List<Long> fired = new CopyOnWriteArrayList<>();
        // One thread registers into that bucket while the other runs the sweep that drops empty buckets.
        RaceTestUtils.race(() -> deadlines.deadline().subscribe(fired::add),
            () -> time.advanceTimeBy(Duration.ofSeconds(1)));
        time.advanceTimeBy(Duration.ofSeconds(18));
        if (fired.size() != 1) {
          lost++;
        }
      }
      assertThat(lost).as("deadlines that never fired").isZero();
      assertThat(deadlines.pending()).isZero();
    } finally {
      time.dispose();
    }
  }

  @Test
  void aCacheHitDeliversItsTokenExactlyOnceUnderRacingRequests() {
    ScriptedTokenEndpoint endpoint = new ScriptedTokenEndpoint();
    CachingTokenSource tokens = CachingTokenSource.builder(Grant.refreshToken(
            URI.create("https://login.salesforce.com"), "client", "secret", "5Aep861refresh-secret"))
        .webClient(endpoint.webClient()).build();
    AccessToken token = tokens.token().block(Duration.ofSeconds(5));

    int doubled = 0;
    int dropped = 0;
    for (int i = 0; i < ROUNDS; i++) {
      Counting counting = new Counting();
      tokens.token().subscribe(counting);
      Subscription s = counting.subscription.get();
      RaceTestUtils.race(() -> s.request(1), () -> s.request(1));
      if (counting.values.get() > 1 || counting.completions.get() > 1) {
        doubled++;
      }
      if (counting.values.get() == 0 || counting.completions.get() == 0) {
        dropped++;
      }
    }
    for (int i = 0; i < ROUNDS; i++) {
      Counting counting = new Counting();
      tokens.token().subscribe(counting);
      Subscription s = counting.subscription.get();
      RaceTestUtils.race(() -> s.request(1), s::cancel);
      // Either delivered whole or not at all (cancelled first); never twice, never an error.
      if (counting.values.get() > 1 || counting.values.get() != counting.completions.get()
          || counting.errors.get() > 0) {
        doubled++;
      }
    }
    assertThat(token).isNotNull();
    assertThat(doubled).isZero();
    assertThat(dropped).isZero();
  }

  /** Requests nothing by itself; counts what arrives. */
  private static final class Counting extends BaseSubscriber<AccessToken> {
    final AtomicReference<Subscription> subscription = new AtomicReference<>();
    final AtomicInteger values = new AtomicInteger();
    final AtomicInteger completions = new AtomicInteger();
    final AtomicInteger errors = new AtomicInteger();

    @Override
    protected void hookOnSubscribe(Subscription s) {
      subscription.set(s);
    }

    @Override
    protected void hookOnNext(AccessToken value) {
      values.incrementAndGet();
    }

    @Override
    protected void hookOnComplete() {
      completions.incrementAndGet();
    }

    @Override
    protected void hookOnError(Throwable e) {
      errors.incrementAndGet();
    }
  }
}
