package io.forceflux.reactor;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.event.RefreshReason;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A token source's lifetime arithmetic, pure (epoch milliseconds in, no clock, no Reactor): when a token received
 * now expires (less the clock skew), when it is due for a proactive refresh, how long it may stay idle, and which
 * uses count as server-side activity.
 */
final class TokenLifetime {
  /** A deadline that never comes. */
  static final long NEVER = Long.MAX_VALUE;

  private final long skewMillis;
  private final long idleTimeoutMillis;
  private final boolean halfTimeoutQuirk;
  private final double proactiveAt;

  /**
   * @param skewMillis how much earlier than its stated expiry a token counts as expired
   * @param idleTimeoutMillis the org's session timeout, 0 if unknown
   * @param halfTimeoutQuirk whether Salesforce records activity only once half the timeout has passed
   * @param proactiveAt the fraction of a token's lifetime after which it is refreshed ahead of expiry
   */
  TokenLifetime(long skewMillis, long idleTimeoutMillis, boolean halfTimeoutQuirk, double proactiveAt) {
    this.skewMillis = skewMillis;
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.halfTimeoutQuirk = halfTimeoutQuirk;
    this.proactiveAt = proactiveAt;
  }

  /** The deadlines of {@code token}, received at {@code now}. */
  Deadlines of(AccessToken token, long now) {
    Instant expiresAt = token.expiresAt();
    long expires;
    long proactive;
    long exp = expiresAt == null ? NEVER : expiresAt.toEpochMilli();
    if (expiresAt != null && exp - skewMillis > now) {
      long issued = Math.min(now, token.issuedAt().toEpochMilli());
      expires = exp - skewMillis;
      proactive = issued + (long) ((exp - issued) * proactiveAt);
    } else {
      // No known expiry, or due on arrival (exp within the skew: a short session policy or a skewed clock).
      // Refreshing again would bring another such token, one token request per call until the login rate
      // limit: a token due on arrival is used until Salesforce rejects it.
      expires = NEVER;
      proactive = NEVER;
    }
    Duration idle = token.idleTimeout();
    long configured = idleTimeoutMillis;
    long fromToken = idle == null ? 0 : idle.toMillis();
    long timeout = configured > 0 && fromToken > 0 ? Math.min(configured, fromToken) : Math.max(configured, fromToken);
    long idleMillis = timeout > 0 ? Math.max(timeout - skewMillis, timeout / 2) : NEVER;
    return new Deadlines(expires, proactive, idleMillis);
  }

  /**
   * Whether a use at {@code now} counts as the session's latest activity, the previous one counted being at
   * {@code last}.
   */
  boolean recordsActivity(Deadlines d, long last, long now) {
    if (d.idleMillis() == NEVER) {
      return false;
    }
    // Salesforce only records activity once half the timeout has passed since the last record;
    // mirroring that keeps our idea of the server's last activity conservative.
    return !halfTimeoutQuirk || now - last >= (d.idleMillis() + skewMillis) / 2;
  }

  /**
   * One token's deadlines.
   *
   * @param expiresAtMillis when it must no longer be used, {@link #NEVER} if unknown
   * @param proactiveAtMillis when it is refreshed ahead of expiry, {@link #NEVER} for never
   * @param idleMillis how long it may go unused, {@link #NEVER} if no idle timeout is known
   */
  record Deadlines(long expiresAtMillis, long proactiveAtMillis, long idleMillis) {
    /** No expiry, no idle timeout, hence no proactive refresh: usable until rejected, whatever the time. */
    boolean timeless() {
      return expiresAtMillis == NEVER && proactiveAtMillis == NEVER && idleMillis == NEVER;
    }

    /** Null when usable at {@code now}, last used at {@code activityMillis}; otherwise why it needs refreshing. */
    @Nullable RefreshReason due(long now, long activityMillis) {
      if (now >= expiresAtMillis) {
        return RefreshReason.EXPIRED;
      }
      if (idleMillis != NEVER && now - activityMillis >= idleMillis) {
        return RefreshReason.IDLE;
      }
      if (now >= proactiveAtMillis) {
        return RefreshReason.PROACTIVE;
      }
      return null;
    }
  }
}
