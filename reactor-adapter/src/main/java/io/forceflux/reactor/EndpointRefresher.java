package io.forceflux.reactor;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.TokenResponse;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.event.RefreshReason;
import io.forceflux.core.event.SessionEvent;
import io.forceflux.core.recovery.RecoveryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** Runs the grant against the token endpoint, retrying transient failures with jittered backoff. */
final class EndpointRefresher implements Refresher {
  /** The client credentials to ask the token introspection endpoint for a token's expiry with. */
  record Introspection(@Nullable String clientId, @Nullable String clientSecret) {}

  private final TokenEndpoint endpoint;
  private final Scheduler scheduler;
  private final Clock clock;
  private final @Nullable Introspection introspection;

  EndpointRefresher(TokenEndpoint endpoint, Scheduler scheduler, Clock clock, @Nullable Introspection introspection) {
    this.endpoint = endpoint;
    this.scheduler = scheduler;
    this.clock = clock;
    this.introspection = introspection;
  }

  @Override
  public Mono<Refreshed> refresh(
      Grant grant, RefreshReason reason, RecoveryPolicy policy, Consumer<SessionEvent.RefreshFailed> onFailure) {
    return attempt(grant, policy, onFailure, 1);
  }

  private Mono<Refreshed> attempt(
      Grant grant, RecoveryPolicy policy, Consumer<SessionEvent.RefreshFailed> onFailure, int attempt) {
    return endpoint.request(grant)
        .flatMap(this::withExpiry)
        .map(response -> new Refreshed(response.token(),
            response.rotatedRefreshToken() == null ? null : grant.withRefreshToken(response.rotatedRefreshToken())))
        .onErrorResume(SalesforceException.class, e -> {
          onFailure.accept(new SessionEvent.RefreshFailed(clock.instant(), grant.type(), e.failureCause(), attempt));
          if (!e.recoverable() || attempt >= policy.maxAttempts()) {
            return Mono.error(e.withAttempts(attempt));
          }
          Duration delay = policy.backoff(attempt, ThreadLocalRandom.current()::nextDouble);
          return Mono.delay(delay, scheduler).then(Mono.defer(() -> attempt(grant, policy, onFailure, attempt + 1)));
        });
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
