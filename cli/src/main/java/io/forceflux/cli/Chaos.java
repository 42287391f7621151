package io.forceflux.cli;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.testkit.FakeOrg;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kills sessions while the demo runs, on real time: every {@code expireEvery} all sessions die (an instance
 * restart), and at random moments (mean {@code revokeEvery}) the access token in use is revoked through
 * {@code POST /services/oauth2/revoke}. Refresh tokens are never touched: revoking one would end the approval,
 * and no client could recover from that.
 *
 * <p>A kill that falls due while requests that saw the previous kill are still being replayed waits until they
 * have finished ({@link InFlight#settled()}), so no request meets more than two dead sessions: the recovery
 * filter takes a third for a session policy (it cannot tell a third expiry from a token that never works).
 */
final class Chaos implements AutoCloseable {
  private final FakeOrg org;
  private final CachingTokenSource tokens;
  private final Duration expireEvery;
  private final Duration revokeEvery;
  private final SplittableRandom random;
  private final InFlight inFlight;
  private boolean wavePending;
  private boolean revocationPending;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "forceflux-demo-chaos");
    t.setDaemon(true);
    return t;
  });

  final AtomicLong waves = new AtomicLong();
  final AtomicLong wavesThatKilled = new AtomicLong();
  final AtomicLong killedByWaves = new AtomicLong();
  final AtomicLong revocations = new AtomicLong();
  final AtomicLong revocationsThatKilled = new AtomicLong();
  final AtomicLong deferred = new AtomicLong();
  private boolean waiting;

  Chaos(FakeOrg org, CachingTokenSource tokens, InFlight inFlight, Duration expireEvery, Duration revokeEvery,
      long seed) {
    this.inFlight = inFlight;
    this.org = org;
    this.tokens = tokens;
    this.expireEvery = expireEvery;
    this.revokeEvery = revokeEvery;
    this.random = new SplittableRandom(seed);
  }

  void start() {
    if (!expireEvery.isZero()) {
      long ms = expireEvery.toMillis();
      timer.scheduleAtFixedRate(() -> due(true), ms, ms, TimeUnit.MILLISECONDS);
    }
    if (!revokeEvery.isZero()) {
      scheduleRevocation();
    }
    timer.scheduleWithFixedDelay(this::killWhenSettled, 5, 5, TimeUnit.MILLISECONDS);
  }

  /** Runs on the chaos thread, like everything that reads or writes the pending flags. */
  private void due(boolean wave) {
    boolean alreadyPending = wave ? wavePending : revocationPending;
    if (alreadyPending) {
      return;
    }
    if (wave) {
      wavePending = true;
    } else {
      revocationPending = true;
    }
    killWhenSettled();
  }

  private void killWhenSettled() {
    if (!wavePending && !revocationPending) {
      return;
    }
    if (!inFlight.settled()) {
      waiting = true;
      return;
    }
    if (waiting) {
      waiting = false;
      deferred.incrementAndGet();
    }
    if (wavePending) {
      wavePending = false;
      wave();
    } else {
      revocationPending = false;
      revoke();
    }
  }

  /** Runs {@code task} every {@code period} on the chaos thread (status lines) until the result is closed. */
  AutoCloseable every(Duration period, Runnable task) {
    ScheduledFuture<?> future =
        timer.scheduleAtFixedRate(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    return () -> future.cancel(false);
  }

  private void wave() {
    // Only this thread kills sessions, so the org's counter tells what this wave killed.
    long before = org.stats().sessionsExpired();
    org.expireAllSessions();
    inFlight.killed();
    long killed = org.stats().sessionsExpired() - before;
    waves.incrementAndGet();
    if (killed > 0) {
      wavesThatKilled.incrementAndGet();
      killedByWaves.addAndGet(killed);
    }
  }

  private void scheduleRevocation() {
    long mean = revokeEvery.toMillis();
    long delay = Math.max(1, mean / 2 + random.nextLong(Math.max(1, mean)));
    timer.schedule(() -> {
      due(false);
      scheduleRevocation();
    }, delay, TimeUnit.MILLISECONDS);
  }

  private void revoke() {
    AccessToken current = tokens.cachedToken();
    if (current == null) {
      return;
    }
    revocations.incrementAndGet();
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(org.loginUrl()
              + "/services/oauth2/revoke"))
          .timeout(Duration.ofSeconds(5))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(current.value(),
              StandardCharsets.UTF_8)))
          .build(), HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() == 200) {
        revocationsThatKilled.incrementAndGet();
        inFlight.killed();
      }
    } catch (java.io.IOException e) {
      // The org is local; a failed revocation only means one fewer session killed.
      revocations.decrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
