package io.forceflux.reactor;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Secret;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where a fleet of {@link CachingTokenSource}s that share a credential keep its one token, so that an
 * expiry costs one token request for the whole fleet, not one per process. Plug one in with
 * {@link CachingTokenSource.Builder#tokenStore(TokenStore)}.
 *
 * <p>Implementations: {@link #inMemory()} (token sources of one process) and {@link io.forceflux.reactor.redis.RedisTokenStore}
 * (processes sharing a Redis). The token source drives the protocol; a store only offers the atomic
 * steps below, each keyed by {@link io.forceflux.core.auth.Grant#credentialKey()}:
 *
 * <ul>
 *   <li>an {@link Entry}: the newest token, its version (higher is newer) and the newest refresh token.
 *       Under refresh-token rotation the store is the source of truth: a token source presents the
 *       store's refresh token, never the one it was configured with, once the store has one;
 *   <li>{@link #invalidate compare-and-invalidate}: a rejected token is dropped only if it is still the
 *       stored version;
 *   <li>a lease: at most one holder refreshes at a time; it expires after {@link #leaseTtl()} unless
 *       renewed, so a holder that dies frees it;
 *   <li>{@link #publish}: the holder stores the new token and refresh token, fenced by the version it
 *       read under the lease, releases the lease and notifies the others, in one atomic step;
 *   <li>{@link #restore}: a process that knows a newer entry than the store holds (the store lost its data in
 *       a restart, or the process rotated the refresh token while the store was unreachable) writes it back
 *       under its own version, only over an older one;
 *   <li>{@link #markPresenting a write-ahead mark}: under refresh-token rotation (or while it is not known), the
 *       holder records, fenced by its lease and the version it read, that it is about to present that version's
 *       refresh token. Only a definite answer removes the mark: a publish (a new version, unmarked) or
 *       {@link #clearPresenting} after an answer Salesforce chose (an HTTP status). A token request whose answer
 *       was lost leaves it, so the doubt outlives the holder: a process that takes over the lease finds the entry
 *       {@linkplain Entry#inDoubt() in doubt} and does not present that refresh token, since Salesforce may have
 *       rotated it out and presenting it again would revoke the whole family.
 * </ul>
 *
 * <p>An entry the store cannot read (another encryption key, a corrupted value) is an error signal, a
 * {@link io.forceflux.core.error.SalesforceException} with
 * {@link io.forceflux.core.error.FailureCause#TOKEN_STORE_UNREADABLE}: never {@link Entry#NONE}, which would make
 * a process present its configured refresh token.
 *
 * <p>Every method returns a lazy {@code Mono}/{@code Flux}, never blocks and never throws: failures
 * (the store is down, a command timed out) are error signals; the token source then waits for the store, or
 * refreshes on its own if the refresh token is known not to rotate (see {@link RefreshTokenRotation}). Implementations must bound every operation with a timeout. Nothing
 * here may log or show a token, a refresh token or a key.
 */
public interface TokenStore {

  /**
   * A store for the token sources of this process only: no persistence, no encryption. Lease TTL 10 s,
   * poll interval 200 ms.
   */
  static TokenStore inMemory() {
    return new InMemoryTokenStore(Duration.ofSeconds(10), Duration.ofMillis(200));
  }

  /**
   * The stored entry for {@code credential}; {@link Entry#NONE} when nothing is stored (before the first publish,
   * an entry of version 0 may carry only a {@linkplain #markPresenting mark}). An entry whose token was invalidated
   * keeps its version, refresh token and mark.
   */
  Mono<Entry> read(String credential);

  /**
   * Drops the stored token if its version is still {@code version}; keeps the version and refresh token.
   * Emits whether it dropped it.
   */
  Mono<Boolean> invalidate(String credential, long version);

  /**
   * Takes the refresh lease for {@code owner} if nobody holds it; it lasts {@link #leaseTtl()}. Emits
   * whether {@code owner} now holds it.
   */
  Mono<Boolean> acquireLease(String credential, String owner);

  /** Extends {@code owner}'s lease by {@link #leaseTtl()}; emits false if {@code owner} no longer holds it. */
  Mono<Boolean> renewLease(String credential, String owner);

  /** Releases the lease if {@code owner} still holds it. */
  Mono<Void> releaseLease(String credential, String owner);

  /**
   * Atomically: if the stored version is {@code expectedVersion} (0: nothing stored) and the lease is held
   * by {@code owner} or by nobody, stores {@code token} and, when not null, {@code refreshToken} under a
   * new, higher version, releases the lease and notifies {@link #published} subscribers.
   *
   * @return the new version, or 0 when fenced off (another version was stored, or another owner holds
   *     the lease); nothing is written then
   */
  Mono<Long> publish(String credential, String owner, long expectedVersion, AccessToken token,
      @Nullable Secret refreshToken, RefreshTokenRotation rotation);

  /**
   * {@link #publish(String, String, long, AccessToken, Secret, RefreshTokenRotation)} with rotation
   * {@link RefreshTokenRotation#DETECT}: whatever the store knew about rotation is kept.
   */
  default Mono<Long> publish(
      String credential, String owner, long expectedVersion, AccessToken token, @Nullable Secret refreshToken) {
    return publish(credential, owner, expectedVersion, token, refreshToken, RefreshTokenRotation.DETECT);
  }

  /**
   * Atomically: if nothing is stored or the stored version is lower than {@code entry.version()}, replaces the
   * stored entry with {@code entry}, version included and marked {@linkplain Entry#restored() restored} (until the
   * next publish), and notifies {@link #published} subscribers; the lease is left alone. Emits whether it wrote.
   */
  Mono<Boolean> restore(String credential, Entry entry);

  /**
   * Atomically: if {@code owner} holds the lease, the stored version is {@code version} (0: nothing stored) and the
   * entry is not marked by another owner, marks it as {@linkplain Entry#presenting() being presented} by
   * {@code owner}: its refresh token (for version 0, the one every process is configured with) is about to be sent.
   * Marking again for the same owner and version is a no-op that emits true, so a mark whose reply was lost can be
   * retried. The mark survives {@link #invalidate} and is removed by {@link #publish} and {@link #restore} (a new
   * version) or {@link #clearPresenting}; it never expires: a token request whose answer nobody saw stays in doubt
   * until someone re-authorizes (a new configured refresh token is a new credential key, hence a new entry).
   *
   * @return whether the entry is now marked by {@code owner}; false when fenced off (the lease is not
   *     {@code owner}'s, the version moved, or another owner's mark is there), and nothing is written then
   */
  Mono<Boolean> markPresenting(String credential, String owner, long version);

  /**
   * Atomically: if the entry of {@code version} is marked by {@code owner}, removes the mark. The owner calls it
   * when it knows the refresh token was not rotated: the token request got an answer Salesforce chose (an OAuth
   * error, a 5xx), or was never sent. Fenced by the mark's owner rather than the lease: a process that took the
   * lease meanwhile found the mark and presented nothing. Emits whether it removed the mark.
   */
  Mono<Boolean> clearPresenting(String credential, String owner, long version);

  /**
   * Versions published for {@code credential} from now on, best effort: notifications may be lost, so
   * waiters also poll every {@link #pollInterval()}. Never signals an error.
   */
  Flux<Long> published(String credential);

  /**
   * Signals (a count) each time this store's connection to its backend is established, the first time or again
   * after it was lost, best effort; never an error. A backend that restarted without its data is reached again
   * only through such a reconnect, so token sources then check the store and restore what they know even if
   * they need no token: a process that started meanwhile, knowing only its configured refresh token, waits a
   * bounded time for those restores. Default: never signals (a store in this process cannot lose its data).
   */
  default Flux<Long> connected() {
    return Flux.never();
  }

  /** How long a lease lasts unless renewed: the longest a dead holder can keep the fleet waiting. */
  Duration leaseTtl();

  /** How often a waiting token source re-reads the store when no notification arrives. */
  Duration pollInterval();

  /**
   * A stored entry. {@link #toString()} shows only the version, the token's fingerprint and whether it is marked.
   *
   * @param version higher is newer; 0 when nothing was ever stored
   * @param token the newest token, or null when none or when it was invalidated
   * @param refreshToken the newest refresh token, or null when the grant has none or none was stored
   * @param rotation whether the refresh token rotates, as some process learned it; {@code DETECT} when unknown
   * @param restored whether this version was written by {@link #restore} rather than published: the store may
   *     have lost its data, and a process that knows a newer refresh token may not have restored it yet
   * @param presenting the lease owner that {@linkplain #markPresenting marked} this version's refresh token as being
   *     presented and has not seen a definite answer (it may still be waiting for one, or it died); null when
   *     unmarked, which is also how an entry written before marks existed reads
   */
  record Entry(long version, @Nullable AccessToken token, @Nullable Secret refreshToken,
      RefreshTokenRotation rotation, boolean restored, @Nullable String presenting) {
    /** Nothing stored. */
    public static final Entry NONE = new Entry(0, null, null);

    /** A published entry whose rotation is not known. */
    public Entry(long version, @Nullable AccessToken token, @Nullable Secret refreshToken) {
      this(version, token, refreshToken, RefreshTokenRotation.DETECT, false);
    }

    /** A published entry. */
    public Entry(long version, @Nullable AccessToken token, @Nullable Secret refreshToken,
        RefreshTokenRotation rotation) {
      this(version, token, refreshToken, rotation, false);
    }

    /** An unmarked entry. */
    public Entry(long version, @Nullable AccessToken token, @Nullable Secret refreshToken,
        RefreshTokenRotation rotation, boolean restored) {
      this(version, token, refreshToken, rotation, restored, null);
    }

    /**
     * Whether a token request presenting this version's refresh token was sent (or was about to be) and no
     * definite answer was recorded: Salesforce may have rotated that refresh token out.
     */
    public boolean inDoubt() {
      return presenting != null;
    }

    @Override
    public String toString() {
      return "TokenStore.Entry[version=" + version + ", token=" + (token == null ? "none" : token.fingerprint())
          + ", refreshToken=" + (refreshToken == null ? "none" : "stored") + ", rotation=" + rotation
          + (restored ? ", restored" : "") + (presenting != null ? ", in doubt" : "") + "]";
    }
  }
}
