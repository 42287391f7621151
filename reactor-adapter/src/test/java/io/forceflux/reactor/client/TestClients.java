package io.forceflux.reactor.client;

import io.forceflux.core.event.SessionListener;
import io.forceflux.core.recovery.Jitter;
import io.forceflux.core.recovery.RecoveryPolicy;
import io.forceflux.reactor.TestGuards;
import io.forceflux.reactor.testing.FakeOrgClients;
import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;

/**
 * What the client tests add to {@link FakeOrgClients#client}: a quick recovery policy, no listener, and the org's
 * secrets registered with the leak guard.
 */
public final class TestClients {
  /** Short backoff so replays after repeated expiries do not slow the tests down. */
  public static final RecoveryPolicy QUICK = RecoveryPolicy.builder()
      .maxAttempts(6).initialBackoff(Duration.ofMillis(20)).maxBackoff(Duration.ofMillis(200)).jitter(Jitter.FULL)
      .build();

  private TestClients() {}

  /** A builder authenticating with the org's refresh token; its secrets are registered with the leak guard. */
  public static SalesforceClient.Builder builder(FakeOrg org) {
    Credentials c = org.credentials();
    TestGuards.secret(c.clientSecret());
    TestGuards.secret(c.refreshToken());
    TestGuards.secret(c.password());
    return FakeOrgClients.client(org)
        .recoveryPolicy(QUICK)
        .listener(SessionListener.NONE);
  }

  /** Waits on the calling (test) thread, never on an event loop; returns once {@code value} stops changing. */
  public static long settled(LongSupplier value, Duration quiet) {
    long last = value.getAsLong();
    while (true) {
      Mono.delay(quiet).block(quiet.plusSeconds(5));
      long now = value.getAsLong();
      if (now == last) {
        return now;
      }
      last = now;
    }
  }

  /**
   * A subscriber the test drives by hand: request, await items, cancel. Signals arrive on event loops, so they go
   * into a lock-free queue and a semaphore whose release never parks; only the test thread waits.
   */
  public static final class Probe<T> extends BaseSubscriber<T> {
    private static final Object COMPLETE = new Object();
    private final Queue<Object> signals = new ConcurrentLinkedQueue<>();
    private final Semaphore available = new Semaphore(0);

    private void signal(Object s) {
      signals.add(s);
      available.release();
    }

    private @Nullable Object take(long timeoutNanos) throws InterruptedException {
      return available.tryAcquire(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS) ? signals.poll() : null;
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      // no initial demand: the test requests
    }

    @Override
    protected void hookOnNext(T value) {
      signal(value);
    }

    @Override
    protected void hookOnError(Throwable throwable) {
      signal(throwable);
    }

    @Override
    protected void hookOnComplete() {
      signal(COMPLETE);
    }

    /** The next item, or fails after {@code timeout}; errors and completion fail too. */
    @SuppressWarnings("unchecked")
    public T next(Duration timeout) throws InterruptedException {
      Object s = take(timeout.toNanos());
      if (s == null || s == COMPLETE || s instanceof Throwable) {
        throw new AssertionError("expected an item, got " + (s == null ? "nothing" : s), s instanceof Throwable t ? t
            : null);
      }
      return (T) s;
    }

    /** The terminal error, skipping items, or fails after {@code timeout}. */
    public Throwable error(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        Object s = take(deadline - System.nanoTime());
        if (s instanceof Throwable t) {
          return t;
        }
        if (s == null || s == COMPLETE) {
          throw new AssertionError("expected an error, got " + (s == null ? "nothing" : "completion"));
        }
      }
    }

    /** Whatever arrived so far without waiting, or null. */
    public @Nullable Object poll() {
      return available.tryAcquire() ? signals.poll() : null;
    }
  }
}
