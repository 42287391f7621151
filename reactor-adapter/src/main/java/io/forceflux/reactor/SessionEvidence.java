package io.forceflux.reactor;

import io.forceflux.core.auth.AccessToken;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * What the responses through one {@link SessionRecoveryFilter} have shown about sessions working: the evidence
 * that tells sessions dying fast (replay) from a policy refusing new tokens (give up). Shared by all requests.
 */
final class SessionEvidence {
  /**
   * The newest token (by {@code issued_at}) that a response was accepted with. A rejected token issued no
   * later than it has expired for real (expiries racing replays); only a token newer than anything that
   * ever worked is suspect of being refused by policy. One volatile field, written only when it changes.
   */
  private volatile @Nullable AccessToken lastAccepted;
  /** Counts requests whose first session rejection has been seen: one tick per request that lost a session. */
  private final AtomicLong rejectionEpoch = new AtomicLong();
  /**
   * The highest {@link #rejectionEpoch} value read by a response accepted since: a request whose first session
   * rejection ticked the epoch to {@code n} knows some request has worked after that rejection when this is
   * {@code >= n}. Written only when the epoch moved, so the happy path pays two volatile reads.
   */
  private final AtomicLong acceptedEpoch = new AtomicLong();

  /** A request's first session rejection: ticks the epoch and returns the request's mark. */
  long firstRejection() {
    return rejectionEpoch.incrementAndGet();
  }

  /** A response was accepted with {@code token}. */
  void accepted(AccessToken token) {
    long epoch = rejectionEpoch.get();
    if (acceptedEpoch.get() < epoch) {
      acceptedEpoch.accumulateAndGet(epoch, Math::max);
    }
    AccessToken last = lastAccepted;
    if (last != token && (last == null || token.issuedAt().isAfter(last.issuedAt()))) {
      lastAccepted = token;
    }
  }

  /** A token issued no later than the newest token that ever worked has worked-era credentials: not suspect. */
  boolean proven(AccessToken token) {
    AccessToken last = lastAccepted;
    return last != null && !token.issuedAt().isAfter(last.issuedAt());
  }

  /**
   * Whether sessions are dying fast (expiry, logouts, an admin ending sessions) rather than a policy refusing
   * new tokens: some token issued after this request's first one has worked, or any request has worked since
   * this request first lost its session. The second is what rules churn in when sessions die faster than a
   * response travels: a token can be ended before anyone's response with it is read, so "a newer token
   * worked" may be unknown yet, but sessions that are killed or expire were live, and under a policy nothing
   * works at all.
   *
   * @param rejectionMark what {@link #firstRejection()} returned for the request
   * @param firstToken the request's first token
   */
  boolean churn(long rejectionMark, @Nullable AccessToken firstToken) {
    if (acceptedEpoch.get() >= rejectionMark) {
      return true;
    }
    AccessToken last = lastAccepted;
    return last != null && firstToken != null && last.issuedAt().isAfter(firstToken.issuedAt());
  }
}
