package io.forceflux.reactor;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.core.auth.RefreshTokenGrant;
import io.forceflux.core.auth.Secret;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.event.RefreshReason;
import io.forceflux.core.event.SessionEvent;
import io.forceflux.core.recovery.RecoveryPolicy;
import io.forceflux.reactor.CachingTokenSource.Refreshed;
import io.forceflux.reactor.CachingTokenSource.Refresher;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Makes one token source's refreshes single-flight across every process sharing a {@link TokenStore}:
 *
 * <ol>
 *   <li>adopt the stored token if it is newer than the one this source saw rejected;
 *   <li>else take the lease, re-read (someone may have published meanwhile), refresh through the local
 *       refresher presenting the store's newest refresh token, and publish token and refresh token (which
 *       also releases the lease and notifies);
 *   <li>else wait for the holder's notification, or poll, and start over; a holder that died leaves a lease
 *       that expires, and the next poll takes it.
 * </ol>
 *
 * <p>If the store fails, refresh locally and use the store again on the next refresh; but once this
 * credential is known to rotate its refresh token, a refresh without the store could present a token
 * another process already rotated out, which revokes the whole family: then keep trying the store until the
 * wait bound, and fail transiently rather than refresh blind.
 *
 * <p>The token source runs at most one refresh at a time, so {@link #known} has one writer.
 */
final class SharedRefresher implements Refresher {
  private static final Logger LOG = LoggerFactory.getLogger(SharedRefresher.class);
  private static final String PID = Long.toString(ProcessHandle.current().pid());

  private final TokenStore store;
  private final Refresher local;
  private final String credential;
  private final InstanceUrlPolicy instanceUrls;
  private final Scheduler scheduler;
  private final Duration renewEvery;
  private final Duration storeBound;
  private final long maxWaitMillis;
  private final AtomicBoolean degraded = new AtomicBoolean();
  private volatile boolean rotationSeen;
  /** The store version of the token this source holds (0 if none came from the store) and that token. */
  private volatile Known known = new Known(0, null);

  SharedRefresher(TokenStore store, Refresher local, String credential, InstanceUrlPolicy instanceUrls,
      Scheduler scheduler) {
    this.store = store;
    this.local = local;
    this.credential = credential;
    this.instanceUrls = instanceUrls;
    this.scheduler = scheduler;
    Duration ttl = store.leaseTtl();
    this.renewEvery = ttl.dividedBy(3);
    // A safety net only: stores bound their own commands (and connecting) well below this.
    this.storeBound = ttl.plusSeconds(5);
    // A live holder renews its lease for as long as its refresh (with retries) runs; past this, stop
    // waiting for it, so a stuck holder cannot stall this process for ever.
    this.maxWaitMillis = ttl.multipliedBy(6).toMillis();
  }

  @Override
  public void rejected(AccessToken token) {
    Known k = known;
    if (k.version > 0 && token.equals(k.token)) {
      // Fire and forget: if it is lost, the next refresh still treats this version as rejected.
      store.invalidate(credential, k.version).timeout(storeBound, scheduler).subscribe(ok -> { }, e -> { });
    }
  }

  @Override
  public Mono<Refreshed> refresh(
      Grant grant, RefreshReason reason, RecoveryPolicy policy, Consumer<SessionEvent.RefreshFailed> onFailure) {
    return Mono.defer(() -> {
      Attempt a = new Attempt(grant, reason, policy, onFailure, known.version, now() + maxWaitMillis);
      return coordinate(a).onErrorResume(StoreFailure.class, e -> withoutStore(a, e));
    });
  }

  private Mono<Refreshed> coordinate(Attempt a) {
    return guard(store.read(credential)).flatMap(entry -> {
      a.note(entry);
      if (adoptable(entry, a.seen)) {
        return Mono.just(adopt(entry, a));
      }
      String owner = PID + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
          + Long.toHexString(ThreadLocalRandom.current().nextLong());
      return guard(store.acquireLease(credential, owner))
          .flatMap(acquired -> acquired ? hold(owner, a) : await(a));
    });
  }

  /** Someone else holds the lease: wait for its notification or one poll interval, then look again. */
  private Mono<Refreshed> await(Attempt a) {
    if (now() > a.deadline) {
      return Mono.error(new StoreFailure(null, true));
    }
    long seen = a.seen;
    return Flux.merge(store.published(credential).filter(v -> v > seen), Mono.delay(store.pollInterval(), scheduler))
        .next()
        .then(Mono.defer(() -> coordinate(a)));
  }

  /** This process holds the lease: re-read (fenced), then refresh and publish, or adopt what appeared. */
  private Mono<Refreshed> hold(String owner, Attempt a) {
    return guard(store.read(credential)).flatMap(entry -> {
      a.note(entry);
      if (adoptable(entry, a.seen)) {
        return store.releaseLease(credential, owner).onErrorResume(e -> Mono.empty())
            .then(Mono.fromSupplier(() -> adopt(entry, a)));
      }
      Grant presented = a.newestGrant();
      Disposable renewal = Flux.interval(renewEvery, renewEvery, scheduler)
          .concatMap(i -> store.renewLease(credential, owner).onErrorReturn(false))
          .subscribe();
      return local.refresh(presented, a.reason, a.policy, a.onFailure)
          .doOnError(e -> store.releaseLease(credential, owner).subscribe(x -> { }, x -> { }))
          .map(r -> publish(owner, entry.version(), presented, r, a))
          .doFinally(signal -> renewal.dispose());
    });
  }

  /**
   * Returns the new token at once and shares it in the background: callers never wait for sharing. A
   * store failure is retried until the wait bound, because under rotation the store must learn the new
   * refresh token before anyone refreshes again.
   */
  private Refreshed publish(String owner, long expected, Grant presented, Refreshed r, Attempt a) {
    Grant next = after(presented, r);
    Secret refreshToken = refreshTokenOf(next);
    AccessToken token = r.token();
    known = new Known(expected, token);
    publishUntilDone(owner, expected, token, refreshToken, a).subscribe(version -> {
      storeUp();
      if (version > 0 && Objects.equals(known.token, token)) {
        known = new Known(version, token);
      }
      if (version == 0) {
        LOG.debug("the shared store moved on without token {}; it stays local", token.fingerprint());
      }
    }, e -> storeDown(e.getCause()));
    return new Refreshed(token, next);
  }

  private Mono<Long> publishUntilDone(
      String owner, long expected, AccessToken token, @Nullable Secret refreshToken, Attempt a) {
    return guard(store.publish(credential, owner, expected, token, refreshToken))
        .flatMap(version -> version > 0 ? Mono.just(version)
            // Fenced off; but if an earlier attempt landed and only its reply was lost, the token is ours.
            : guard(store.read(credential)).map(e -> token.equals(e.token()) ? e.version() : 0L))
        .onErrorResume(StoreFailure.class, e -> {
          if (now() > a.deadline) {
            return Mono.error(e);
          }
          storeDown(e.getCause());
          return Mono.delay(store.pollInterval(), scheduler)
              .then(Mono.defer(() -> publishUntilDone(owner, expected, token, refreshToken, a)));
        });
  }

  /** The store failed (or a holder took too long): refresh here, unless the refresh token rotates. */
  private Mono<Refreshed> withoutStore(Attempt a, StoreFailure e) {
    if (e.waitExpired) {
      LOG.warn("another process held the refresh lease for over {} ms", maxWaitMillis);
    } else {
      storeDown(e.getCause());
    }
    if (rotationSeen) {
      if (!e.waitExpired && now() <= a.deadline) {
        return Mono.delay(store.pollInterval(), scheduler)
            .then(Mono.defer(() -> coordinate(a)))
            .onErrorResume(StoreFailure.class, again -> withoutStore(a, again));
      }
      return Mono.error(new SalesforceException(FailureCause.TRANSPORT, "shared token store unavailable; the "
          + "refresh token rotates, and refreshing without the store could revoke it", null, 1, null));
    }
    Grant newest = a.newestGrant();
    return local.refresh(newest, a.reason, a.policy, a.onFailure).map(r -> {
      known = new Known(a.seen, r.token());
      return new Refreshed(r.token(), after(newest, r));
    });
  }

  /** The grant after refreshing with {@code presented}: the rotated one, if any, which marks the credential. */
  private Grant after(Grant presented, Refreshed r) {
    Grant next = r.rotatedGrant() != null ? r.rotatedGrant() : presented;
    Secret refreshToken = refreshTokenOf(next);
    if (refreshToken != null && !refreshToken.equals(refreshTokenOf(presented))) {
      rotationSeen = true;
    }
    return next;
  }

  /**
   * A stored token replaces ours only if it is newer than the version we saw, is not the very token being
   * replaced (our own, published moments ago), and is for an instance our policy allows (an entry written by
   * anyone who can write to the store must not redirect requests).
   */
  private boolean adoptable(TokenStore.Entry entry, long seen) {
    AccessToken token = entry.token();
    return token != null && entry.version() > seen && !token.equals(known.token)
        && instanceUrls.allows(token.instanceUrl());
  }

  private Refreshed adopt(TokenStore.Entry entry, Attempt a) {
    storeUp();
    AccessToken token = Objects.requireNonNull(entry.token());
    known = new Known(entry.version(), token);
    LOG.debug("adopted shared token {} (version {})", token.fingerprint(), entry.version());
    return new Refreshed(token, a.newestGrant());
  }

  private static @Nullable Secret refreshTokenOf(Grant grant) {
    return grant instanceof RefreshTokenGrant r ? r.refreshToken() : null;
  }

  private long now() {
    return scheduler.now(TimeUnit.MILLISECONDS);
  }

  private <T> Mono<T> guard(Mono<T> op) {
    return op.timeout(storeBound, scheduler).onErrorMap(e -> !(e instanceof StoreFailure), e -> new StoreFailure(e, false));
  }

  private void storeDown(@Nullable Throwable cause) {
    if (degraded.compareAndSet(false, true)) {
      LOG.warn("shared token store unavailable ({}); {}", cause == null ? "unknown" : cause.getClass().getSimpleName(),
          rotationSeen ? "waiting for it: the refresh token rotates" : "refreshing in this process until it is back");
    }
  }

  private void storeUp() {
    if (degraded.compareAndSet(true, false)) {
      LOG.info("shared token store available again; sharing tokens");
    }
  }

  private record Known(long version, @Nullable AccessToken token) {}

  /** One refresh's context: the version it saw rejected and the newest refresh token the store offered. */
  private final class Attempt {
    final Grant grant;
    final RefreshReason reason;
    final RecoveryPolicy policy;
    final Consumer<SessionEvent.RefreshFailed> onFailure;
    final long seen;
    final long deadline;
    @Nullable Secret storedRefreshToken;

    Attempt(Grant grant, RefreshReason reason, RecoveryPolicy policy, Consumer<SessionEvent.RefreshFailed> onFailure,
        long seen, long deadline) {
      this.grant = grant;
      this.reason = reason;
      this.policy = policy;
      this.onFailure = onFailure;
      this.seen = seen;
      this.deadline = deadline;
    }

    void note(TokenStore.Entry entry) {
      Secret stored = entry.refreshToken();
      if (stored != null) {
        storedRefreshToken = stored;
        if (!stored.equals(refreshTokenOf(grant))) {
          rotationSeen = true; // the fleet's refresh token moved past the one this source has
        }
      }
    }

    /** The grant presenting the store's newest refresh token, which may have rotated past ours. */
    Grant newestGrant() {
      Secret rt = storedRefreshToken;
      return rt == null ? grant : grant.withRefreshToken(rt);
    }
  }

  /** A store operation failed or timed out, or the lease holder took too long; never escapes this class. */
  private static final class StoreFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final boolean waitExpired;

    StoreFailure(@Nullable Throwable cause, boolean waitExpired) {
      super(cause == null ? "lease holder took too long" : cause.getClass().getSimpleName(), cause, false, false);
      this.waitExpired = waitExpired;
    }
  }
}
