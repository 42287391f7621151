package io.forceflux.boot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when ForceFlux is enabled and {@code forceflux.token-store.redis-url} is set or
 * {@code forceflux.token-store.use-application-redis} is true. A condition class rather than an expression, so a URL
 * with a password is never parsed as code or quoted in a condition report.
 */
final class OnTokenStoreConfigured extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
    Environment env = context.getEnvironment();
    if (!env.getProperty("forceflux.enabled", Boolean.class, true)) {
      return ConditionOutcome.noMatch("forceflux.enabled is false");
    }
    String url = env.getProperty("forceflux.token-store.redis-url");
    if (url != null && !url.isBlank()) {
      return ConditionOutcome.match("forceflux.token-store.redis-url is set");
    }
    if (env.getProperty("forceflux.token-store.use-application-redis", Boolean.class, false)) {
      return ConditionOutcome.match("forceflux.token-store.use-application-redis is true");
    }
    return ConditionOutcome.noMatch("no forceflux.token-store configured");
  }
}
