package io.forceflux.core.event;

/** Why a token was (re)obtained. */
public enum RefreshReason {
  /** No token yet. */
  INITIAL,
  /** In the background, before a known expiry. */
  PROACTIVE,
  /** The token sat idle past the session's inactivity timeout (minus the skew). */
  IDLE,
  /** A known absolute expiry passed. */
  EXPIRED,
  /** Salesforce rejected the token ({@code INVALID_SESSION_ID}). */
  REJECTED
}
