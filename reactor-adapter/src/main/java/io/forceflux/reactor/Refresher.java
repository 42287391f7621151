package io.forceflux.reactor;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Grant;
import io.forceflux.core.event.RefreshReason;
import io.forceflux.core.event.SessionEvent;
import io.forceflux.core.recovery.RecoveryPolicy;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * Obtains a token for a grant, retrying transient failures, for a {@link CachingTokenSource}: the
 * {@link EndpointRefresher} asks the token endpoint; a {@link SharedRefresher} wraps one to coordinate the
 * processes sharing a {@link TokenStore}.
 */
interface Refresher {
  /**
   * One refresh, retried per {@code policy}; each failed attempt is reported to {@code onFailure}.
   *
   * @param reason why the token source refreshes, for events
   */
  Mono<Refreshed> refresh(
      Grant grant, RefreshReason reason, RecoveryPolicy policy, Consumer<SessionEvent.RefreshFailed> onFailure);

  /** Salesforce rejected {@code token}, which this refresher produced; never blocks, never throws. */
  default void rejected(AccessToken token) {}
}
