package io.forceflux.reactor;

import static io.forceflux.reactor.LearnedRotation.refreshTokenOf;
import static io.forceflux.reactor.LearnedRotation.withRefreshToken;

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
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Makes one token source's refreshes single-flight across every process sharing a {@link TokenStore}:
 *
 * <ol>
 *   <li>adopt the stored token if it is newer than the one this source saw rejected;
 *   <li>else take the lease, re-read (someone may have published meanwhile), refresh through the local
 *       refresher presenting the newest refresh token, and publish token and refresh token (which also
 *       releases the lease and notifies);
 *   <li>else wait for the holder's notification, or poll, and start over; a holder that died leaves a lease
 *       that expires, and the next poll takes it.
 * </ol>
 *
 * <p>The rule under refresh-token rotation: never present a refresh token older than the newest one any
 * process of the fleet has used. Hence:
 *
 * <ul>
 *   <li>the newest refresh token this process knows ({@link Known}) is never replaced by an older stored one
 *       (compared by store version); if the store is behind (it lost its data, or this process rotated while it
 *       was unreachable), this process {@linkplain TokenStore#restore restores} what it knows first;
 *   <li>whether the refresh token rotates is configured, or learned from a refresh or the store, and written to
 *       the store; unless it is known static, a process does not refresh without the store: it keeps trying the
 *       store and fails typed ({@link FailureCause#TOKEN_STORE_UNAVAILABLE}) past the wait bound;
 *   <li>an unreadable entry is a typed error ({@link FailureCause#TOKEN_STORE_UNREADABLE}), never "nothing
 *       stored";
 *   <li>the holder renews its lease until its publish resolves and retries its token request itself, so that
 *       once the lease is lost it presents that refresh token no more;
 *   <li>a token request whose answer was lost may have rotated the refresh token out: unless it is known static,
 *       the holder does not retry it, fails typed ({@link FailureCause#REFRESH_OUTCOME_UNKNOWN}) and keeps the
 *       lease for as long as it lives, so that no process presents that refresh token again;
 *   <li>so that this doubt outlives the holder, unless it is known static the holder first
 *       {@linkplain TokenStore#markPresenting marks} the entry (fenced by its lease and the version it read) and does
 *       not present if it cannot; only a definite answer drops the mark (a publish, or an answer Salesforce chose).
 *       A holder that finds the entry marked by someone else fails typed without sending: that process may have died
 *       with its request in flight (or before sending it: a false positive the fleet pays with a re-authorization
 *       rather than risk the family);
 *   <li>before refreshing from a restored entry, or (knowing nothing, having seen the store unavailable) from an
 *       empty store, a process waits a grace period (two lease TTLs): the store may just have restarted without
 *       its data, and every process that knows a newer refresh token restores it as soon as it reaches the
 *       store again; the newest restore wins, whatever the order.
 * </ul>
 *
 * <p>The token source runs at most one refresh at a time; a background restorer that runs after a store
 * failure also writes {@link #known}, so updates to it are compare-and-set.
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
  private final long graceMillis;
  private final AtomicBoolean degraded = new AtomicBoolean();
  private final AtomicBoolean restoring = new AtomicBoolean();
  private final LearnedRotation rotation;
  private final AtomicReference<Known> known;
  private volatile boolean sawOutage;
  /** A refresh token this process presented without seeing the answer: it may have rotated, never present it. */
  private volatile @Nullable Secret inDoubt;
  /**
   * Owners of store marks this process made and knows are not in doubt (nothing was sent, or a definite answer came)
   * but could not drop, the store being unreachable: it drops them when it finds them.
   */
  private final Set<String> settledMarks = ConcurrentHashMap.newKeySet();

  SharedRefresher(TokenStore store, Refresher local, Grant grant, RefreshTokenRotation rotation,
      InstanceUrlPolicy instanceUrls, Scheduler scheduler) {
    this.store = store;
    this.local = local;
    this.credential = grant.credentialKey();
    this.instanceUrls = instanceUrls;
    this.scheduler = scheduler;
    this.rotation = new LearnedRotation(rotation, grant instanceof RefreshTokenGrant);
    this.known = new AtomicReference<>(new Known(0, null, refreshTokenOf(grant), false));
    Duration ttl = store.leaseTtl();
    this.renewEvery = ttl.dividedBy(3);
    // A safety net only: stores bound their own commands (and connecting) well below this.
    this.storeBound = ttl.plusSeconds(5);
    // A live holder renews its lease for as long as its refresh (with retries) runs; past this, stop
    // waiting for it, so a stuck holder cannot stall this process for ever.
    this.maxWaitMillis = ttl.multipliedBy(6).toMillis();
    this.graceMillis = ttl.multipliedBy(2).toMillis();
    // A store that restarted without its data must get the newest refresh token back within the grace period
    // of a process that knows nothing, even from a process that needs no token meanwhile (it may be idle for
    // minutes): check the store on every (re)connect, not only on this process's next refresh.
    store.connected().subscribe(n -> startRestorer(), e -> { });
  }

  @Override
  public void rejected(AccessToken token) {
    Known k = known.get();
    if (k.version > 0 && !k.local && token.equals(k.token)) {
      // Fire and forget: if it is lost, the next refresh still treats this version as rejected.
      store.invalidate(credential, k.version).timeout(storeBound, scheduler).subscribe(ok -> { }, e -> { });
    }
  }

  @Override
  public Mono<Refreshed> refresh(
      Grant grant, RefreshReason reason, RecoveryPolicy policy, Consumer<SessionEvent.RefreshFailed> onFailure) {
    return Mono.defer(() -> {
      RefreshAttempt a = new RefreshAttempt(grant, reason, policy, onFailure, known.get().version, now() + maxWaitMillis);
      return coordinate(a).onErrorResume(StoreFailure.class, e -> withoutStore(a, e));
    });
  }

  private Mono<Refreshed> coordinate(RefreshAttempt a) {
    return guard(store.read(credential)).flatMap(entry -> {
      storeUp();
      if (reconcileNeeded(entry)) {
        return reconcile(entry).then(Mono.defer(() -> coordinate(a)));
      }
      if (adoptable(entry, a.seen)) {
        return Mono.just(adopt(entry, a));
      }
      if (mayHaveLostData(entry, a)) {
        // The store may have restarted without its data; give the processes that know the newest refresh
        // token time to restore it before presenting an older one.
        return Mono.delay(store.pollInterval(), scheduler).then(Mono.defer(() -> coordinate(a)));
      }
      if (presentsInDoubt(presentable(a, entry))) {
        return Mono.error(EndpointRefresher.outcomeUnknown("this process lost the answer to a token request with the "
            + "newest refresh token", 1, null));
      }
      String owner = PID + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
          + Long.toHexString(ThreadLocalRandom.current().nextLong());
      return guard(store.acquireLease(credential, owner))
          .flatMap(acquired -> acquired ? hold(owner, a) : await(a));
    });
  }

  /** Someone else holds the lease: wait for its notification or one poll interval, then look again. */
  private Mono<Refreshed> await(RefreshAttempt a) {
    if (now() > a.deadline) {
      return Mono.error(new StoreFailure(null, true));
    }
    long seen = a.seen;
    return Flux.merge(store.published(credential).filter(v -> v > seen), Mono.delay(store.pollInterval(), scheduler))
        .next()
        .then(Mono.defer(() -> coordinate(a)));
  }

  /**
   * This process holds the lease: re-read (fenced), then mark the refresh token as being presented (unless it is
   * known static), refresh and publish; or adopt what appeared; or fail typed if the entry is in doubt.
   */
  private Mono<Refreshed> hold(String owner, RefreshAttempt a) {
    return guard(store.read(credential)).flatMap(entry -> {
      if (reconcileNeeded(entry) || adoptable(entry, a.seen) || mayHaveLostData(entry, a)) {
        return release(owner).then(Mono.defer(() -> coordinate(a)));
      }
      Grant presented = presentable(a, entry);
      if (presentsInDoubt(presented)) {
        // The lease kept after the lost answer lapsed: hold this one instead.
        RefreshLease held = new RefreshLease(store, credential, owner, renewEvery, storeBound, scheduler);
        held.kept = true;
        return Mono.error(EndpointRefresher.outcomeUnknown("this process lost the answer to a token request with "
            + "the newest refresh token", 1, null));
      }
      String marker = entry.presenting();
      if (marker != null) {
        if (settledMarks.contains(marker)) {
          // A mark this process left although it knows that request settled (or was never sent): drop it.
          return guard(store.clearPresenting(credential, marker, entry.version()))
              .doOnNext(cleared -> settledMarks.remove(marker))
              .then(release(owner))
              .then(Mono.defer(() -> coordinate(a)));
        }
        return release(owner).then(Mono.error(() -> EndpointRefresher.outcomeUnknown("a token request presenting the "
            + "newest refresh token was sent (by " + marker + ") and no answer was recorded: its process may have "
            + "died", 1, null)));
      }
      boolean marking = rotation.mayRotate();
      RefreshLease lease = new RefreshLease(store, credential, owner, renewEvery, storeBound, scheduler);
      Mono<Boolean> mark = marking ? guard(store.markPresenting(credential, owner, entry.version())) : Mono.just(true);
      return mark
          .onErrorResume(e -> {
            // The mark may have been written: it is this process's to drop, since nothing was sent under it.
            settledMarks.add(owner);
            lease.stop();
            return release(owner).then(Mono.error(e));
          })
          .flatMap(marked -> {
            if (!marked) {
              // Fenced off: the lease lapsed or the entry moved on. Present nothing; look again.
              lease.stop();
              return release(owner).then(Mono.defer(() -> await(a)));
            }
            return attempt(presented, a, lease, 1)
                .onErrorResume(e -> {
                  if (lease.kept) {
                    return Mono.error(e); // answer lost: the mark and the lease stay
                  }
                  lease.stop();
                  // An answer Salesforce chose (or nothing sent) settles the doubt: drop the mark before the lease,
                  // and before failing, so that the next attempt here or elsewhere does not find it.
                  Mono<Void> unmark = marking && e instanceof SalesforceException
                      ? unmark(owner, entry.version()) : Mono.empty();
                  return unmark.then(release(owner)).then(Mono.error(e));
                })
                .map(r -> publish(lease, entry.version(), presented, r, a));
          });
    });
  }

  /** Drops this process's own mark; if the store cannot be reached, drops it the next time it finds it. */
  private Mono<Void> unmark(String owner, long version) {
    return store.clearPresenting(credential, owner, version).timeout(storeBound, scheduler)
        .doOnError(e -> settledMarks.add(owner))
        .onErrorResume(e -> Mono.empty())
        .then();
  }

  /** Releases the lease, best effort: it expires anyway. */
  private Mono<Void> release(String owner) {
    return store.releaseLease(credential, owner).timeout(storeBound, scheduler).onErrorResume(e -> Mono.empty());
  }

  /**
   * One token request under the lease, and its retries: each retry first checks that the lease is still ours,
   * since a replica that took over may already have presented (and so rotated out) the same refresh token.
   */
  private Mono<Refreshed> attempt(Grant presented, RefreshAttempt a, RefreshLease lease, int attempt) {
    if (lease.lost) {
      return Mono.error(SalesforceException.of(FailureCause.TOKEN_STORE_UNAVAILABLE, "this process lost the "
          + "shared refresh lease while refreshing; it does not present that refresh token again")
          .withAttempts(attempt));
    }
    RecoveryPolicy once = a.policy.toBuilder().maxAttempts(1).build();
    return local.refresh(presented, a.reason, once, a.onFailure)
        .onErrorResume(SalesforceException.class, e -> {
          if (rotation.mayRotate() && TokenEndpoint.outcomeUnknown(e)) {
            // Salesforce may have rotated this refresh token out: presenting it again, here or in another process,
            // would revoke the family. Keep the lease (renewed for as long as this process lives) so that no other
            // process presents it either, and fail typed: an operator re-authorizes.
            inDoubt = refreshTokenOf(presented);
            lease.kept = true;
            LOG.warn("a token request's answer was lost ({}); the refresh token may rotate, so no process presents it "
                + "again while this one holds the refresh lease", e.failureCause());
            return Mono.error(EndpointRefresher.outcomeUnknown("token request sent, answer lost ("
                + e.failureCause() + ")", attempt, e));
          }
          if (!e.recoverable() || attempt >= a.policy.maxAttempts()) {
            return Mono.error(e.withAttempts(attempt));
          }
          Duration delay = a.policy.backoff(attempt, ThreadLocalRandom.current()::nextDouble);
          return Mono.delay(delay, scheduler).then(Mono.defer(() -> attempt(presented, a, lease, attempt + 1)));
        });
  }

  /**
   * Returns the new token at once and shares it in the background: callers never wait for sharing. Until the
   * store has it, this process alone knows the new refresh token: the lease is renewed until the publish
   * resolves, a store failure is retried until the wait bound, and past that the restorer publishes it when
   * the store is back.
   */
  private Refreshed publish(RefreshLease lease, long expected, Grant presented, Refreshed r, RefreshAttempt a) {
    Grant next = rotation.after(presented, r);
    Secret refreshToken = refreshTokenOf(next);
    AccessToken token = r.token();
    Known mine = new Known(expected, token, refreshToken, true);
    known.set(mine);
    publishUntilDone(lease.owner, expected, token, refreshToken, a)
        .doFinally(signal -> lease.stop())
        .subscribe(version -> {
          storeUp();
          if (version > 0) {
            known.compareAndSet(mine, new Known(version, token, refreshToken, false));
          }
        }, e -> storeDown(e.getCause()));
    return new Refreshed(token, next);
  }

  /** Emits the stored version holding {@code token}, or 0 when the store moved on (after reconciling). */
  private Mono<Long> publishUntilDone(
      String owner, long expected, AccessToken token, @Nullable Secret refreshToken, RefreshAttempt a) {
    return guard(store.publish(credential, owner, expected, token, refreshToken, rotation.current()))
        .flatMap(version -> version > 0 ? Mono.just(version)
            // Fenced off. If an earlier attempt landed and only its reply was lost, the token is ours; if another
            // holder's lease fenced us or the store lost its data, ours is newer and is restored.
            : guard(store.read(credential)).flatMap(e -> token.equals(e.token()) ? Mono.just(e.version())
                : reconcile(e).thenReturn(0L)))
        .onErrorResume(StoreFailure.class, e -> {
          if (now() > a.deadline) {
            return Mono.error(e);
          }
          storeDown(e.getCause());
          return Mono.delay(store.pollInterval(), scheduler)
              .then(Mono.defer(() -> publishUntilDone(owner, expected, token, refreshToken, a)));
        });
  }

  /** The store failed (or a holder took too long): refresh here only if the refresh token is known static. */
  private Mono<Refreshed> withoutStore(RefreshAttempt a, StoreFailure e) {
    if (e.waitExpired) {
      LOG.warn("another process held the refresh lease for over {} ms", maxWaitMillis);
    } else {
      storeDown(e.getCause());
    }
    if (rotation.mayRotate()) {
      if (!e.waitExpired && now() <= a.deadline) {
        return Mono.delay(store.pollInterval(), scheduler)
            .then(Mono.defer(() -> coordinate(a)))
            .onErrorResume(StoreFailure.class, again -> withoutStore(a, again));
      }
      return Mono.error(SalesforceException.of(FailureCause.TOKEN_STORE_UNAVAILABLE, e.waitExpired
          ? "another process held the shared refresh lease too long; the refresh token may rotate, and refreshing "
              + "without the lease could revoke it"
          : "shared token store unavailable; the refresh token may rotate, and refreshing without the store "
              + "could revoke it"));
    }
    Known k = known.get();
    Grant presented = withRefreshToken(a.grant, k.refreshToken);
    return local.refresh(presented, a.reason, a.policy, a.onFailure).map(r -> {
      Grant next = rotation.after(presented, r);
      Secret refreshToken = refreshTokenOf(next);
      // Local until the store has it: the restorer publishes it (over an older entry only) when it is back.
      boolean rotated = refreshToken != null && !refreshToken.equals(k.refreshToken);
      known.set(new Known(k.version, r.token(), refreshToken, k.local || rotated));
      return new Refreshed(r.token(), next);
    });
  }

  /**
   * Whether the store and this process disagree in a way {@link #reconcile} settles: this process knows a newer
   * refresh token than the store (it rotated locally, or the store lost its data), or it rotated locally and the
   * store has moved past the version it rotated from.
   */
  private boolean reconcileNeeded(TokenStore.Entry entry) {
    rotation.learn(entry.rotation());
    Known k = known.get();
    return k.local || (k.refreshToken != null && k.version > entry.version());
  }

  /**
   * If this process is ahead of {@code entry}, writes what it knows back (only over an older entry); if the
   * store moved past a local rotation, takes the store's newer knowledge. Emits when done.
   */
  private Mono<Void> reconcile(TokenStore.Entry entry) {
    Known k = known.get();
    boolean ahead = k.refreshToken != null && (k.local ? entry.version() <= k.version : entry.version() < k.version);
    if (!ahead) {
      if (k.local) {
        // The store moved on from the version this process rotated from: its publish landed, or a later
        // refresh built on it. The store's refresh token is at least as new.
        known.compareAndSet(k, new Known(entry.version(), token(entry, k), entry.refreshToken() != null
            ? entry.refreshToken() : k.refreshToken, false));
      }
      return Mono.empty();
    }
    long version = k.local ? k.version + 1 : k.version;
    TokenStore.Entry mine = new TokenStore.Entry(version, k.token, k.refreshToken, rotation.current());
    return guard(store.restore(credential, mine)).doOnNext(written -> {
      if (written) {
        LOG.info("restored the newest refresh token and token {} into the shared store (version {})",
            k.token == null ? "none" : k.token.fingerprint(), version);
        known.compareAndSet(k, new Known(version, k.token, k.refreshToken, false));
      }
    }).then();
  }

  private static @Nullable AccessToken token(TokenStore.Entry entry, Known k) {
    return entry.token() != null ? entry.token() : k.token;
  }

  /**
   * Whether to wait (within the grace period) for other processes to restore what they know before refreshing:
   * the entry was restored (the store lost its data, and a restore of an older refresh token may come first),
   * or this process knows nothing, has seen the store down and finds it empty.
   */
  private boolean mayHaveLostData(TokenStore.Entry entry, RefreshAttempt a) {
    Known k = known.get();
    boolean freshOnEmpty = entry.version() == 0 && k.version == 0 && !k.local && sawOutage;
    if (!rotation.mayRotate() || !(entry.restored() || freshOnEmpty)) {
      return false;
    }
    if (a.graceUntil == 0) {
      a.graceUntil = now() + graceMillis;
      LOG.info("the shared store may have lost its data; waiting up to {} ms for restores", graceMillis);
    }
    return now() < a.graceUntil;
  }

  /**
   * A stored token replaces ours only if it is newer than the version we saw, is not the very token being
   * replaced (our own, published moments ago), and is for an instance our policy allows (an entry written by
   * anyone who can write to the store must not redirect requests).
   */
  private boolean adoptable(TokenStore.Entry entry, long seen) {
    AccessToken token = entry.token();
    Known k = known.get();
    return token != null && entry.version() > seen && entry.version() >= k.version && !token.equals(k.token)
        && instanceUrls.allows(token.instanceUrl());
  }

  private Refreshed adopt(TokenStore.Entry entry, RefreshAttempt a) {
    AccessToken token = Objects.requireNonNull(entry.token());
    Known k = known.get();
    Secret refreshToken = entry.refreshToken() != null ? entry.refreshToken() : k.refreshToken;
    known.set(new Known(entry.version(), token, refreshToken, false));
    LOG.debug("adopted shared token {} (version {})", token.fingerprint(), entry.version());
    return new Refreshed(token, withRefreshToken(a.grant, refreshToken));
  }

  /** The grant presenting the newest refresh token: the store's, unless this process knows a newer one. */
  private Grant presentable(RefreshAttempt a, TokenStore.Entry entry) {
    Known k = known.get();
    Secret stored = entry.refreshToken();
    return withRefreshToken(a.grant, stored != null && entry.version() >= k.version ? stored : k.refreshToken);
  }

  private boolean presentsInDoubt(Grant grant) {
    Secret refreshToken = refreshTokenOf(grant);
    return refreshToken != null && refreshToken.equals(inDoubt);
  }

  private long now() {
    return scheduler.now(TimeUnit.MILLISECONDS);
  }

  /** Bounds a store operation; its failures become {@link StoreFailure}, except a typed (unreadable) one. */
  private <T> Mono<T> guard(Mono<T> op) {
    return op.timeout(storeBound, scheduler).onErrorMap(e -> !(e instanceof StoreFailure)
        && !(e instanceof SalesforceException), e -> new StoreFailure(e, false));
  }

  private void storeDown(@Nullable Throwable cause) {
    sawOutage = true;
    if (degraded.compareAndSet(false, true)) {
      LOG.warn("shared token store unavailable ({}); {}", cause == null ? "unknown" : cause.getClass().getSimpleName(),
          rotation.mayRotate() ? "waiting for it: the refresh token may rotate" : "refreshing in this process until it is back");
    }
    startRestorer();
  }

  private void storeUp() {
    if (degraded.compareAndSet(true, false)) {
      LOG.info("shared token store available again; sharing tokens");
    }
  }

  /**
   * Whether the store holds everything this process knows (nothing to restore or publish), as of a fresh read.
   * For tests that must tell a fleet still reconciling after a store outage from one sharing again.
   */
  Mono<Boolean> reconciled() {
    return guard(store.read(credential)).map(entry -> !reconcileNeeded(entry)).onErrorReturn(false);
  }

  /**
   * After a store failure or a (re)connect, polls the store until it answers, then reconciles: a Redis that
   * restarted without its data gets the newest refresh token back even if this source needs no refresh; a token
   * rotated here while the store was unreachable is published. Bounded by the wait bound (unless this process
   * holds a token the store does not have); the next failure or reconnect starts it again.
   */
  private void startRestorer() {
    if (!restoring.compareAndSet(false, true)) {
      return;
    }
    long until = now() + maxWaitMillis;
    Flux.interval(store.pollInterval(), store.pollInterval(), scheduler)
        // A read may outlast a tick (bounded by storeBound): skip ticks rather than fail the interval.
        .onBackpressureDrop()
        .concatMap(i -> guard(store.read(credential))
            .flatMap(entry -> reconcileNeeded(entry) ? reconcile(entry).thenReturn(true) : Mono.just(true))
            .onErrorReturn(false))
        // A token only this process knows is worth waiting for: it is kept trying until the store has it.
        .takeUntil(ok -> ok || (now() > until && !known.get().local))
        .doFinally(signal -> restoring.set(false))
        .subscribe(ok -> {
          if (ok) {
            storeUp();
          }
        }, e -> { });
  }

  /**
   * The newest token and refresh token this process knows, and the store version they belong to. When
   * {@code local}, this process obtained them itself and the store has not confirmed them: {@code version} is
   * then the version it refreshed from, and they are newer than that version's.
   */
  private record Known(long version, @Nullable AccessToken token, @Nullable Secret refreshToken, boolean local) {}
}
