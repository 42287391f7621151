package io.forceflux.reactor;

/**
 * Whether a credential's refresh token rotates (each refresh returns a new one and the presented one is
 * rotated out; presenting a rotated-out one again revokes the whole family). Set it with
 * {@link CachingTokenSource.Builder#refreshTokenRotation(RefreshTokenRotation)}. With a {@link TokenStore}, a process
 * must not refresh on its own unless the refresh token is static; with or without one, a token request whose answer
 * was lost is retried only if it is static (otherwise the refresh fails with
 * {@link io.forceflux.core.error.FailureCause#REFRESH_OUTCOME_UNKNOWN}).
 */
public enum RefreshTokenRotation {
  /** The refresh token rotates: refresh only through the shared store. */
  ROTATING,
  /**
   * The refresh token never changes: while the store is unavailable each process may refresh on its own. If a
   * refresh returns a new refresh token anyway, the credential is treated as rotating from then on.
   */
  STATIC,
  /**
   * Learn it from the first refresh (a new refresh token in the answer means rotating) or from the store, which
   * keeps what any process learned; until then, behave as {@link #ROTATING}. In a {@link TokenStore.Entry},
   * this value means "not known yet". The default.
   */
  DETECT
}
