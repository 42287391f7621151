package io.forceflux.boot.autoconfigure;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.LimitInfo;
import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.reactor.TokenSource;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * Reports ForceFlux's state from what it already knows, without a token request or an API call of its own:
 *
 * <ul>
 *   <li>{@code token}: {@code cached} (with its grant, instance origin and issue time) or {@code none};
 *   <li>{@code circuit}: {@code open} after a failure no refresh can fix (revoked refresh token, IP restriction,
 *       ...), with its {@code cause} and {@code runbook}: status DOWN; else {@code closed};
 *   <li>{@code apiUsage}: requests used and allowed in the rolling 24 hours, from the last response's
 *       {@code Sforce-Limit-Info}: status DOWN when none are left.
 * </ul>
 *
 * <p>A refresh that gave up on a transient failure (token endpoint unavailable) with no token cached is DOWN too.
 * No token, refresh token, secret or credential detail is ever shown.
 */
final class ForceFluxHealthIndicator implements ReactiveHealthIndicator {
  private final TokenSource tokens;
  private final SessionState state;

  ForceFluxHealthIndicator(TokenSource tokens, SessionState state) {
    this.tokens = tokens;
    this.state = state;
  }

  @Override
  public Mono<Health> health() {
    return Mono.fromSupplier(this::snapshot);
  }

  private Health snapshot() {
    Health.Builder health = Health.up();
    AccessToken token = tokens instanceof CachingTokenSource caching ? caching.cachedToken() : null;
    if (token != null) {
      URI instance = token.instanceUrl();
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("state", "cached");
      t.put("grant", token.grantType().name());
      t.put("instance", instance.getScheme() + "://" + instance.getRawAuthority());
      t.put("issuedAt", token.issuedAt().toString());
      health.withDetail("token", t);
    } else {
      health.withDetail("token", Map.of("state", "none"));
    }
    SessionState.Circuit circuit = state.circuit();
    if (circuit.open() && circuit.cause() != null) {
      health.down().withDetail("circuit", "open").withDetail("cause", circuit.cause().name())
          .withDetail("runbook", circuit.cause().runbook());
      if (circuit.since() != null) {
        health.withDetail("since", circuit.since().toString());
      }
    } else {
      health.withDetail("circuit", "closed");
      FailureCause gaveUp = state.lastGaveUp();
      if (gaveUp != null && token == null) {
        health.down().withDetail("cause", gaveUp.name()).withDetail("runbook", gaveUp.runbook());
      }
    }
    LimitInfo usage = state.apiUsage();
    if (usage != null) {
      Map<String, Object> u = new LinkedHashMap<>();
      u.put("used", usage.used());
      u.put("max", usage.max());
      u.put("remaining", usage.remaining());
      health.withDetail("apiUsage", u);
      if (usage.max() > 0 && usage.remaining() == 0) {
        health.down().withDetail("cause", FailureCause.API_LIMIT_EXCEEDED.name())
            .withDetail("runbook", FailureCause.API_LIMIT_EXCEEDED.runbook());
      }
    }
    return health.build();
  }
}
