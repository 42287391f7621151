package io.forceflux.boot.autoconfigure;

import io.forceflux.reactor.TokenSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code forceflux} health indicator (see {@link ForceFluxHealthIndicator} for what it reports), when Spring
 * Boot's health support is present; {@code management.health.forceflux.enabled=false} turns it off.
 */
@AutoConfiguration(after = ForceFluxAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.health.contributor.ReactiveHealthIndicator",
    "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator"})
@ConditionalOnBean(TokenSource.class)
public class ForceFluxHealthAutoConfiguration {

  /** Created by Spring. */
  public ForceFluxHealthAutoConfiguration() {}

  // On the method: its condition class is only loaded once the class-level conditions found Boot's health support.
  @Bean
  @ConditionalOnEnabledHealthIndicator("forceflux")
  @ConditionalOnMissingBean(name = "forcefluxHealthIndicator")
  ReactiveHealthIndicator forcefluxHealthIndicator(TokenSource tokens, ObjectProvider<SessionState> state) {
    return new ForceFluxHealthIndicator(tokens, state.getIfAvailable(SessionState::new));
  }
}
