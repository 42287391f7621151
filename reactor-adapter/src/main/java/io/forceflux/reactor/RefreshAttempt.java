package io.forceflux.reactor;

import io.forceflux.core.auth.Grant;
import io.forceflux.core.event.RefreshReason;
import io.forceflux.core.event.SessionEvent;
import io.forceflux.core.recovery.RecoveryPolicy;
import java.util.function.Consumer;

/** One {@link SharedRefresher} refresh's context: the version it saw rejected, its wait bound and grace period. */
final class RefreshAttempt {
  final Grant grant;
  final RefreshReason reason;
  final RecoveryPolicy policy;
  final Consumer<SessionEvent.RefreshFailed> onFailure;
  final long seen;
  final long deadline;
  long graceUntil;

  RefreshAttempt(Grant grant, RefreshReason reason, RecoveryPolicy policy,
      Consumer<SessionEvent.RefreshFailed> onFailure, long seen, long deadline) {
    this.grant = grant;
    this.reason = reason;
    this.policy = policy;
    this.onFailure = onFailure;
    this.seen = seen;
    this.deadline = deadline;
  }
}
