package io.forceflux.reactor;

import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.RefreshTokenGrant;
import io.forceflux.core.auth.Secret;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the refresh token rotates, as configured and then learned from refreshes and the shared store, for
 * {@link SharedRefresher}: rotating is sticky, and it decides whether a process may refresh without the store.
 */
final class LearnedRotation {
  // The shared refresher's log category: what operators filter on for fleet refreshes.
  private static final Logger LOG = LoggerFactory.getLogger(SharedRefresher.class);

  private final AtomicReference<RefreshTokenRotation> rotation;
  private final boolean refreshTokenGrant;

  LearnedRotation(RefreshTokenRotation configured, boolean refreshTokenGrant) {
    this.rotation = new AtomicReference<>(configured);
    this.refreshTokenGrant = refreshTokenGrant;
  }

  /** What is known now: as configured, or as learned since. */
  RefreshTokenRotation current() {
    return rotation.get();
  }

  /** Whether refreshing without the store could present a rotated-out refresh token. */
  boolean mayRotate() {
    return refreshTokenGrant && rotation.get() != RefreshTokenRotation.STATIC;
  }

  /**
   * Learns rotation from a refresh ({@code presented} → {@code r}) and returns the grant after it: the rotated
   * one, if any.
   */
  Grant after(Grant presented, Refreshed r) {
    Grant next = r.rotatedGrant() != null ? r.rotatedGrant() : presented;
    if (refreshTokenGrant) {
      Secret refreshToken = refreshTokenOf(next);
      learn(refreshToken != null && !refreshToken.equals(refreshTokenOf(presented))
          ? RefreshTokenRotation.ROTATING : RefreshTokenRotation.STATIC);
    }
    return next;
  }

  /** Rotating is sticky: a configured or learned "static" gives way to an observed rotation, never back. */
  void learn(RefreshTokenRotation seen) {
    if (seen == RefreshTokenRotation.DETECT) {
      return;
    }
    RefreshTokenRotation before = rotation.getAndUpdate(r -> r == RefreshTokenRotation.DETECT
        || seen == RefreshTokenRotation.ROTATING ? seen : r);
    if (before == RefreshTokenRotation.STATIC && seen == RefreshTokenRotation.ROTATING) {
      LOG.warn("the refresh token rotates although configured static; treating it as rotating");
    }
  }

  static Grant withRefreshToken(Grant grant, @Nullable Secret refreshToken) {
    return refreshToken == null || !(grant instanceof RefreshTokenGrant) ? grant : grant.withRefreshToken(refreshToken);
  }

  static @Nullable Secret refreshTokenOf(Grant grant) {
    return grant instanceof RefreshTokenGrant r ? r.refreshToken() : null;
  }
}
