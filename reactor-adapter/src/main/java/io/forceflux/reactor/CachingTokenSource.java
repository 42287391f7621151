package io.forceflux.reactor;

import static io.forceflux.core.internal.Checks.check;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.event.RefreshReason;
import io.forceflux.core.event.SessionEvent;
import io.forceflux.core.event.SessionListener;
import io.forceflux.core.recovery.RecoveryPolicy;
import io.forceflux.reactor.internal.Codecs;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/**
 * A {@link TokenSource} that caches one token per credential and obtains a new one with exactly one
 * token request in flight, however many callers wait.
 *
 * <ul>
 *   <li><b>Cache hit:</b> no lock, no I/O, no allocation. For a token with no known expiry and no inactivity
 *       timeout (Salesforce's usual answer), two field reads; otherwise a clock read as well.
 *   <li><b>Single flight:</b> the first caller that finds no usable token elects itself (compare-and-set)
 *       and starts the token request; everyone else waits on its result. The request runs to completion
 *       even if every waiter cancels, so a refresh is never wasted.
 *   <li><b>Compare-and-invalidate:</b> {@link #invalidate(AccessToken)} drops the token only if it is
 *       still the cached one.
 *   <li><b>Expiry:</b> from introspection {@code exp} when enabled, else from an inactivity timeout
 *       (configured, or SOAP {@code sessionSecondsValid}) tracked per use, else unknown (valid until
 *       rejected). A skew margin (default 60 s) is kept before either.
 *   <li><b>Proactive refresh:</b> past 90% of a known lifetime, a background refresh starts while callers
 *       keep getting the current token; if it fails, the current token is kept until it expires.
 *   <li><b>Failures:</b> transient ones (server unavailable, transport, "token request is already being
 *       processed") are retried with jittered exponential backoff per the {@link RecoveryPolicy}; those
 *       that no retry can fix open a circuit: {@link #token()} fails fast with the classified error,
 *       without token requests, until the probe interval passes or {@link #reset()} is called.
 *   <li><b>Rotation:</b> a rotated refresh token replaces the old one atomically with the new access token.
 * </ul>
 */
public final class CachingTokenSource implements TokenSource {
  private static final Logger LOG = LoggerFactory.getLogger(CachingTokenSource.class);

  private final Clock clock;
  private final Scheduler scheduler;
  private final RecoveryPolicy policy;
  private final SessionListener listener;
  private final Refresher refresher;
  private final TokenLifetime lifetime;
  private final long probeMillis;
  private final long negativeTtlMillis;
  private final long proactiveCooldownMillis;
  private final AtomicReference<State> state;
  private final Mono<AccessToken> lazy = new TokenMono();

  /** How this source refreshes (for tests in this package). */
  Refresher refresher() {
    return refresher;
  }

  private CachingTokenSource(Builder b, Refresher refresher) {
    this.scheduler = b.scheduler;
    this.clock = b.clock != null ? b.clock : new SchedulerClock(b.scheduler);
    this.policy = b.recoveryPolicy;
    this.listener = IsolatedListener.of(b.listener);
    this.refresher = refresher;
    this.lifetime = new TokenLifetime(b.clockSkew.toMillis(), b.sessionTimeout == null ? 0 : b.sessionTimeout.toMillis(),
        b.halfTimeoutQuirk, b.proactiveRefreshAt);
    this.probeMillis = b.circuitProbeInterval.toMillis();
    this.negativeTtlMillis = b.negativeCacheTtl.toMillis();
    this.proactiveCooldownMillis = b.proactiveCooldown.toMillis();
    this.state = new AtomicReference<>(new State(null, null, null, b.grant, RefreshReason.INITIAL));
  }

  /** A builder for a token source using {@code grant}. */
  public static Builder builder(Grant grant) {
    return new Builder(grant);
  }

  @Override
  public Mono<AccessToken> token() {
    return lazy;
  }

  @Override
  public void invalidate(AccessToken rejected) {
    Objects.requireNonNull(rejected, "rejected");
    while (true) {
      State s = state.get();
      if (s.cached == null || !s.cached.token.equals(rejected)) {
        return; // already moved on: a stale rejection never discards a newer token
      }
      if (state.compareAndSet(s, new State(null, s.inflight, s.failure, s.grant, RefreshReason.REJECTED))) {
        LOG.debug("token {} rejected; next caller refreshes", rejected.fingerprint());
        refresher.rejected(rejected);
        return;
      }
    }
  }

  /** Closes the circuit and clears any cached failure, so the next {@link #token()} tries again. */
  public void reset() {
    while (true) {
      State s = state.get();
      if (s.failure == null) {
        return;
      }
      if (state.compareAndSet(s, s.withFailure(null))) {
        emit(new SessionEvent.CircuitClosed(clock.instant()));
        return;
      }
    }
  }

  /** The credential's current grant: after rotation it presents the newest refresh token. */
  public Grant grant() {
    return state.get().grant;
  }

  /** The cached token if there is one, without refreshing; for diagnostics. */
  public @Nullable AccessToken cachedToken() {
    Cached c = state.get().cached;
    return c == null ? null : c.token;
  }

  private Mono<AccessToken> current() {
    while (true) {
      State s = state.get();
      long now = clock.millis();
      Cached c = s.cached;
      if (c != null) {
        RefreshReason due = c.due(now);
        if (due == null) {
          c.touch(now);
          return c.mono;
        }
        if (due == RefreshReason.PROACTIVE) {
          c.touch(now);
          if (s.inflight == null && now >= c.proactiveRetryAfter) {
            startRefresh(s, RefreshReason.PROACTIVE);
          }
          return c.mono;
        }
        // Expired or idle: it must not be used. Drop it and refresh (or join the refresh).
        if (s.inflight != null) {
          return waitFor(s.inflight);
        }
        Mono<AccessToken> started = startRefresh(s, due);
        if (started != null) {
          return started;
        }
        continue;
      }
      if (s.inflight != null) {
        return waitFor(s.inflight);
      }
      if (s.failure != null && now < s.failure.until) {
        return s.failure.mono;
      }
      Mono<AccessToken> started = startRefresh(s, s.failure != null ? s.failure.probeReason : s.next);
      if (started != null) {
        return started;
      }
    }
  }

  /** Elects this caller to refresh; null if another caller changed the state first (then re-read). */
  private @Nullable Mono<AccessToken> startRefresh(State s, RefreshReason reason) {
    Sinks.One<AccessToken> sink = Sinks.one();
    boolean background = reason == RefreshReason.PROACTIVE;
    State next = new State(background ? s.cached : null, sink, s.failure, s.grant, s.next);
    if (!state.compareAndSet(s, next)) {
      return null;
    }
    long started = clock.millis();
    refresher.refresh(s.grant, reason, policy, this::refreshFailed)
        .subscribe(
            response -> completed(sink, response, reason, started),
            error -> failed(sink, error, reason, s.cached));
    return waitFor(sink);
  }

  /**
   * Joins a refresh. Every waiter gets its own copy of a failure: one shared instance would collect a
   * suppressed exception from every {@code block()} that throws it.
   */
  private static Mono<AccessToken> waitFor(Sinks.One<AccessToken> sink) {
    return sink.asMono().onErrorMap(SalesforceException.class, SalesforceException::copyForReceiver);
  }

  private void completed(Sinks.One<AccessToken> sink, Refreshed refreshed, RefreshReason reason, long startedMillis) {
    long now = clock.millis();
    Cached cached = new Cached(refreshed.token(), now);
    while (true) {
      State s = state.get();
      Grant rotated = refreshed.rotatedGrant();
      Grant grant = rotated != null ? rotated : s.grant;
      if (state.compareAndSet(s, new State(cached, null, null, grant, RefreshReason.INITIAL))) {
        if (s.failure != null && s.failure.circuit) {
          emit(new SessionEvent.CircuitClosed(clock.instant()));
        }
        break;
      }
    }
    emit(new SessionEvent.TokenIssued(clock.instant(), refreshed.token().grantType(), reason,
        Duration.ofMillis(Math.max(0, now - startedMillis)), refreshed.token().fingerprint()));
    sink.tryEmitValue(refreshed.token());
  }

  private void failed(Sinks.One<AccessToken> sink, Throwable error, RefreshReason reason, @Nullable Cached previous) {
    SalesforceException e = error instanceof SalesforceException se ? se
        : SalesforceException.wrapping(FailureCause.UNKNOWN, "token refresh failed: " + error.getClass().getSimpleName(), error);
    long now = clock.millis();
    if (reason == RefreshReason.PROACTIVE && previous != null && e.recoverable()) {
      // Keep serving the still-valid token (it has not expired yet); try again after a cooldown so a
      // failing endpoint is not hammered. If it never recovers, the expiry path reports the failure.
      // A failure no retry can fix (a revoked grant) opens the circuit below like any other refresh:
      // re-presenting the grant every cooldown would only repeat the verdict.
      previous.proactiveRetryAfter = now + proactiveCooldownMillis;
      while (true) {
        State s = state.get();
        if (s.inflight != sink || state.compareAndSet(s, s.withCached(s.cached, null))) {
          break;
        }
      }
      sink.tryEmitError(e);
      return;
    }
    boolean circuit = !e.recoverable();
    long until = now + (circuit ? probeMillis : negativeTtlMillis);
    // Each caller served from the cached failure gets its own copy (see waitFor).
    Failure failure = new Failure(Mono.error(e::copyForReceiver), until, circuit,
        reason == RefreshReason.PROACTIVE ? RefreshReason.EXPIRED : reason);
    while (true) {
      State s = state.get();
      Cached keep = s.cached;
      if (state.compareAndSet(s, new State(circuit ? null : keep, null, failure, s.grant, s.next))) {
        break;
      }
    }
    emit(new SessionEvent.RecoveryGaveUp(clock.instant(), e.failureCause(), e.attempts()));
    if (circuit) {
      emit(new SessionEvent.CircuitOpened(clock.instant(), e.failureCause(), Duration.ofMillis(probeMillis)));
    }
    sink.tryEmitError(e);
  }

  private void refreshFailed(SessionEvent.RefreshFailed event) {
    emit(event);
  }

  private void emit(SessionEvent event) {
    listener.onEvent(event);
  }

  /** {@code next}: why the next refresh without a cached token happens (INITIAL, or REJECTED after invalidate). */
  private record State(
      @Nullable Cached cached, Sinks.@Nullable One<AccessToken> inflight, @Nullable Failure failure, Grant grant,
      RefreshReason next) {
    State withCached(@Nullable Cached cached, Sinks.@Nullable One<AccessToken> inflight) {
      return new State(cached, inflight, failure, grant, next);
    }

    State withFailure(@Nullable Failure failure) {
      return new State(cached, inflight, failure, grant, next);
    }
  }

  private record Failure(Mono<AccessToken> mono, long until, boolean circuit, RefreshReason probeReason) {}

  /**
   * {@link #token()}: a cache hit on a token that no clock can make due is delivered without {@code defer},
   * without a clock read and without allocating (the subscription is scalar-replaced once inlined); everything
   * else goes through {@link #current()}.
   */
  private final class TokenMono extends Mono<AccessToken> {
    @Override
    public void subscribe(CoreSubscriber<? super AccessToken> actual) {
      Cached c = state.get().cached;
      if (c != null && c.timeless) {
        actual.onSubscribe(new Hit(actual, c.token));
        return;
      }
      Mono<AccessToken> mono;
      try {
        mono = current();
      } catch (RuntimeException e) {
        Operators.error(actual, Operators.onOperatorError(e, actual.currentContext()));
        return;
      }
      mono.subscribe(actual);
    }
  }

  /**
   * The subscription of a cache hit: delivers the token on the first positive request. Rule 2.7 asks subscribers
   * to serialize request and cancel, but operators cancel from other threads (a timeout, takeUntilOther), so
   * the first request or cancel wins by compare-and-set: never two deliveries, never a delivery after a cancel
   * that won.
   */
  private static final class Hit implements Subscription {
    private static final AtomicIntegerFieldUpdater<Hit> DONE = AtomicIntegerFieldUpdater.newUpdater(Hit.class, "done");
    private final CoreSubscriber<? super AccessToken> actual;
    private final AccessToken token;
    private volatile int done;

    Hit(CoreSubscriber<? super AccessToken> actual, AccessToken token) {
      this.actual = actual;
      this.token = token;
    }

    @Override
    public void request(long n) {
      if (done != 0 || !DONE.compareAndSet(this, 0, 1)) {
        return;
      }
      if (n <= 0) {
        actual.onError(Exceptions.nullOrNegativeRequestException(n));
        return;
      }
      actual.onNext(token);
      actual.onComplete();
    }

    @Override
    public void cancel() {
      done = 1;
    }
  }

  /** One token generation with its use tracking. */
  private final class Cached {
    final AccessToken token;
    final Mono<AccessToken> mono;
    final TokenLifetime.Deadlines deadlines;
    /** No expiry, no idle timeout, hence no proactive refresh: usable until rejected, whatever the time. */
    final boolean timeless;
    volatile long activityMillis;
    volatile long proactiveRetryAfter;

    Cached(AccessToken token, long now) {
      this.token = token;
      this.mono = Mono.just(token);
      this.deadlines = lifetime.of(token, now);
      this.timeless = deadlines.timeless();
      this.activityMillis = now;
    }

    /** Null when usable now; otherwise why it needs refreshing. */
    @Nullable RefreshReason due(long now) {
      return deadlines.due(now, activityMillis);
    }

    void touch(long now) {
      if (lifetime.recordsActivity(deadlines, activityMillis, now)) {
        activityMillis = now;
      }
    }
  }

  /**
   * Builds a {@link CachingTokenSource}. Every option has a default; invalid values fail in
   * {@link #build()}.
   */
  public static final class Builder {
    private final Grant grant;
    private @Nullable WebClient webClient;
    private Scheduler scheduler = Schedulers.parallel();
    private @Nullable Clock clock;
    private RecoveryPolicy recoveryPolicy = RecoveryPolicy.defaults();
    private SessionListener listener = SessionListener.logging();
    private InstanceUrlPolicy instanceUrlPolicy = InstanceUrlPolicy.standard();
    private Duration clockSkew = Duration.ofSeconds(60);
    private @Nullable Duration sessionTimeout;
    private boolean halfTimeoutQuirk = true;
    private double proactiveRefreshAt = 0.9;
    private Duration circuitProbeInterval = Duration.ofSeconds(60);
    private Duration negativeCacheTtl = Duration.ofSeconds(1);
    private Duration proactiveCooldown = Duration.ofSeconds(30);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private boolean introspect;
    private @Nullable String introspectionClientId;
    private @Nullable String introspectionClientSecret;
    private @Nullable TokenStore tokenStore;
    private RefreshTokenRotation refreshTokenRotation = RefreshTokenRotation.DETECT;

    private Builder(Grant grant) {
      this.grant = Objects.requireNonNull(grant, "grant");
    }

    /**
     * The WebClient used for token requests. It must not carry a {@link SessionRecoveryFilter}. Default: a
     * WebClient on a dedicated Reactor Netty client with the request timeout.
     */
    public Builder webClient(WebClient webClient) {
      this.webClient = Objects.requireNonNull(webClient, "webClient");
      return this;
    }

    /** Scheduler for backoff delays and timeouts. Default {@link Schedulers#parallel()}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Clock for expiry and idle tracking. Default: the scheduler's clock (so virtual time drives both). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Retry policy for transient token-endpoint failures. Default {@link RecoveryPolicy#defaults()}. */
    public Builder recoveryPolicy(RecoveryPolicy recoveryPolicy) {
      this.recoveryPolicy = Objects.requireNonNull(recoveryPolicy, "recoveryPolicy");
      return this;
    }

    /** Receives session events. Default {@link SessionListener#logging()}. */
    public Builder listener(SessionListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Which instance URLs tokens may be used with. Default {@link InstanceUrlPolicy#standard()}. */
    public Builder instanceUrlPolicy(InstanceUrlPolicy instanceUrlPolicy) {
      this.instanceUrlPolicy = Objects.requireNonNull(instanceUrlPolicy, "instanceUrlPolicy");
      return this;
    }

    /** Safety margin before a known or idle expiry. Default 60 s; range 0..10 min. */
    public Builder clockSkew(Duration clockSkew) {
      this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
      return this;
    }

    /**
     * The org's session (inactivity) timeout, when known: a token idle longer than this minus the skew is
     * refreshed before use instead of being sent to die. Default: unknown (tokens are valid until rejected).
     * Range 1 ms..24 h.
     */
    public Builder sessionTimeout(Duration sessionTimeout) {
      this.sessionTimeout = Objects.requireNonNull(sessionTimeout, "sessionTimeout");
      return this;
    }

    /**
     * Whether to assume Salesforce's "last activity is only recorded after half the timeout" behaviour when
     * tracking idleness. Default true (conservative).
     */
    public Builder halfTimeoutQuirk(boolean halfTimeoutQuirk) {
      this.halfTimeoutQuirk = halfTimeoutQuirk;
      return this;
    }

    /** Fraction of a known lifetime after which a background refresh starts. Default 0.9; range (0, 1]. */
    public Builder proactiveRefreshAt(double fraction) {
      this.proactiveRefreshAt = fraction;
      return this;
    }

    /** How long the circuit stays open after a failure no retry can fix. Default 60 s; range 0..1 h. */
    public Builder circuitProbeInterval(Duration interval) {
      this.circuitProbeInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** How long a transient failure that exhausted its retries is remembered. Default 1 s; range 0..1 min. */
    public Builder negativeCacheTtl(Duration ttl) {
      this.negativeCacheTtl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /** How long to wait before retrying a failed background refresh. Default 30 s. */
    public Builder proactiveCooldown(Duration cooldown) {
      this.proactiveCooldown = Objects.requireNonNull(cooldown, "cooldown");
      return this;
    }

    /** Timeout of one token request. Default 30 s; range 1 ms..5 min. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Ask {@code /services/oauth2/introspect} for each new token's expiry, authenticating as this
     * connected app. Default off.
     */
    public Builder introspection(String clientId, @Nullable String clientSecret) {
      if (Objects.requireNonNull(clientId, "clientId").isBlank()) {
        throw new IllegalArgumentException("clientId must not be blank");
      }
      this.introspect = true;
      this.introspectionClientId = clientId;
      this.introspectionClientSecret = clientSecret;
      return this;
    }

    /**
     * Shares the token with every token source of the same credential ({@link Grant#credentialKey()}) on
     * {@code store}, across processes for a shared store: one token request per expiry for the fleet, and
     * under refresh-token rotation the newest refresh token is the one presented. If the store is unavailable,
     * this source waits for it (and fails with {@code TOKEN_STORE_UNAVAILABLE} past a bound), unless the refresh
     * token is known not to rotate (see {@link #refreshTokenRotation}): then it refreshes on its own and uses the
     * store again once it is back. Default: no store (one token per token source).
     */
    public Builder tokenStore(TokenStore store) {
      this.tokenStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Whether the refresh token rotates, for a refresh-token grant with a {@link #tokenStore}: with
     * {@link RefreshTokenRotation#STATIC} a process may refresh without the store while it is unavailable;
     * otherwise it must not, since a refresh token another process already rotated out revokes the whole
     * family. Default {@link RefreshTokenRotation#DETECT}: learned from the first refresh or from the store
     * (which keeps what any process learned), and treated as rotating until known. Without a store it decides
     * one thing: whether a token request whose answer was lost (timeout, connection closed after sending) is
     * retried. Only a static refresh token is; otherwise the refresh fails with
     * {@link io.forceflux.core.error.FailureCause#REFRESH_OUTCOME_UNKNOWN}, since Salesforce may have rotated it.
     */
    public Builder refreshTokenRotation(RefreshTokenRotation rotation) {
      this.refreshTokenRotation = Objects.requireNonNull(rotation, "rotation");
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the option that is out of range
     */
    public CachingTokenSource build() {
      check(!clockSkew.isNegative() && clockSkew.compareTo(Duration.ofMinutes(10)) <= 0, "clockSkew", clockSkew);
      check(sessionTimeout == null || (!sessionTimeout.isNegative() && !sessionTimeout.isZero()
          && sessionTimeout.compareTo(Duration.ofHours(24)) <= 0), "sessionTimeout", sessionTimeout);
      check(proactiveRefreshAt > 0 && proactiveRefreshAt <= 1, "proactiveRefreshAt", proactiveRefreshAt);
      check(!circuitProbeInterval.isNegative() && circuitProbeInterval.compareTo(Duration.ofHours(1)) <= 0,
          "circuitProbeInterval", circuitProbeInterval);
      check(!negativeCacheTtl.isNegative() && negativeCacheTtl.compareTo(Duration.ofMinutes(1)) <= 0,
          "negativeCacheTtl", negativeCacheTtl);
      check(!proactiveCooldown.isNegative(), "proactiveCooldown", proactiveCooldown);
      check(requestTimeout.toMillis() >= 1 && requestTimeout.compareTo(Duration.ofMinutes(5)) <= 0,
          "requestTimeout", requestTimeout);
      Clock effectiveClock = clock != null ? clock : new SchedulerClock(scheduler);
      WebClient client = webClient != null ? webClient : defaultWebClient(requestTimeout);
      TokenEndpoint endpoint = new TokenEndpoint(client, effectiveClock, scheduler, requestTimeout, instanceUrlPolicy);
      // With a store, SharedRefresher decides what a token request whose answer was lost means (it knows what the
      // fleet learned about rotation); without one, the endpoint refresher does.
      Refresher refresher = new EndpointRefresher(endpoint, scheduler, effectiveClock,
          introspect ? new EndpointRefresher.Introspection(introspectionClientId, introspectionClientSecret) : null,
          tokenStore == null ? refreshTokenRotation : RefreshTokenRotation.STATIC);
      if (tokenStore != null) {
        refresher = new SharedRefresher(tokenStore, refresher, grant, refreshTokenRotation, instanceUrlPolicy, scheduler);
      }
      return new CachingTokenSource(this, refresher);
    }

    static WebClient defaultWebClient(Duration timeout) {
      HttpClient http = HttpClient.create().responseTimeout(timeout).followRedirect(false);
      return Codecs.rawBuilder().clientConnector(new ReactorClientHttpConnector(http)).build();
    }
  }
}
