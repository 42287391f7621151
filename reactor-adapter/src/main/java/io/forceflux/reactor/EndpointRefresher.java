package io.forceflux.reactor;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.RefreshTokenGrant;
import io.forceflux.core.auth.Secret;
import io.forceflux.core.auth.TokenResponse;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.event.RefreshReason;
import io.forceflux.core.event.SessionEvent;
import io.forceflux.core.recovery.RecoveryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Runs the grant against the token endpoint, retrying transient failures with jittered backoff. A refresh token that
 * may rotate is never presented again after a request whose answer was lost ({@link TokenEndpoint#outcomeUnknown}):
 * Salesforce may have rotated it out already, and presenting a rotated-out refresh token revokes the whole family.
 * Such a failure is {@link FailureCause#REFRESH_OUTCOME_UNKNOWN}, for this request and every later one presenting that
 * refresh token.
 */
final class EndpointRefresher implements Refresher {
  private static final Logger LOG = LoggerFactory.getLogger(CachingTokenSource.class);

  /** The client credentials to ask the token introspection endpoint for a token's expiry with. */
  record Introspection(@Nullable String clientId, @Nullable String clientSecret) {}

  private final TokenEndpoint endpoint;
  private final Scheduler scheduler;
  private final Clock clock;
  private final @Nullable Introspection introspection;
  /** Configured, then learned from the first refresh; anything but STATIC is treated as rotating. */
  private volatile RefreshTokenRotation rotation;
  /** The refresh token whose last request may have been processed without this process seeing the answer. */
  private volatile @Nullable Secret inDoubt;

  EndpointRefresher(TokenEndpoint endpoint, Scheduler scheduler, Clock clock, @Nullable Introspection introspection,
      RefreshTokenRotation rotation) {
    this.endpoint = endpoint;
    this.scheduler = scheduler;
    this.clock = clock;
    this.introspection = introspection;
    this.rotation = rotation;
  }

  @Override
  public Mono<Refreshed> refresh(
      Grant grant, RefreshReason reason, RecoveryPolicy policy, Consumer<SessionEvent.RefreshFailed> onFailure) {
    Secret presented = grant instanceof RefreshTokenGrant r ? r.refreshToken() : null;
    if (presented != null && presented.equals(inDoubt)) {
      return Mono.error(() -> outcomeUnknown("an earlier token request with this refresh token lost its answer",
          1, null));
    }
    return attempt(grant, policy, onFailure, 1);
  }

  /** The failure of a request presenting a refresh token that may have rotated; never retried. */
  static SalesforceException outcomeUnknown(String what, int attempts, @Nullable Throwable cause) {
    String detail = what + "; the refresh token may have rotated, and presenting it again could revoke it and "
        + "every session it issued";
    SalesforceException e = cause != null
        ? SalesforceException.wrapping(FailureCause.REFRESH_OUTCOME_UNKNOWN, detail, cause)
        : SalesforceException.of(FailureCause.REFRESH_OUTCOME_UNKNOWN, detail);
    return e.withAttempts(attempts);
  }

  private Mono<Refreshed> attempt(
      Grant grant, RecoveryPolicy policy, Consumer<SessionEvent.RefreshFailed> onFailure, int attempt) {
    return endpoint.request(grant)
        .flatMap(this::withExpiry)
        .map(response -> {
          learn(grant, response);
          return new Refreshed(response.token(), response.rotatedRefreshToken() == null ? null
              : grant.withRefreshToken(response.rotatedRefreshToken()));
        })
        .onErrorResume(SalesforceException.class, e -> {
          onFailure.accept(new SessionEvent.RefreshFailed(clock.instant(), grant.type(), e.failureCause(), attempt));
          if (grant instanceof RefreshTokenGrant r && rotation != RefreshTokenRotation.STATIC
              && TokenEndpoint.outcomeUnknown(e)) {
            inDoubt = r.refreshToken();
            LOG.warn("a token request's answer was lost ({}); the refresh token may rotate, so it is not presented "
                + "again", e.failureCause());
            return Mono.error(outcomeUnknown("token request sent, answer lost (" + e.failureCause() + ")",
                attempt, e));
          }
          if (!e.recoverable() || attempt >= policy.maxAttempts()) {
            return Mono.error(e.withAttempts(attempt));
          }
          Duration delay = policy.backoff(attempt, ThreadLocalRandom.current()::nextDouble);
          return Mono.delay(delay, scheduler).then(Mono.defer(() -> attempt(grant, policy, onFailure, attempt + 1)));
        });
  }

  /** A refresh-token refresh tells whether the refresh token rotates: a new one in the answer means it does. */
  private void learn(Grant grant, TokenResponse response) {
    if (grant instanceof RefreshTokenGrant r && rotation == RefreshTokenRotation.DETECT) {
      Secret next = response.rotatedRefreshToken();
      rotation = next != null && !next.equals(r.refreshToken()) ? RefreshTokenRotation.ROTATING
          : RefreshTokenRotation.STATIC;
    }
  }

  private Mono<TokenResponse> withExpiry(TokenResponse response) {
    if (introspection == null || introspection.clientId() == null) {
      return Mono.just(response);
    }
    AccessToken token = response.token();
    return endpoint.introspectExpiry(introspection.clientId(), introspection.clientSecret(), token)
        .map(exp -> new TokenResponse(token.withExpiresAt(exp), response.rotatedRefreshToken(), response.scope()))
        .defaultIfEmpty(response);
  }
}
