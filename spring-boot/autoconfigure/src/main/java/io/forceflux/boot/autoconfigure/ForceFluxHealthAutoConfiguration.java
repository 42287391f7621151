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
@ConditionalOnClass({ReactiveHealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(TokenSource.class)
@ConditionalOnEnabledHealthIndicator("forceflux")
public class ForceFluxHealthAutoConfiguration {

  /** Created by Spring. */
  public ForceFluxHealthAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean(name = "forcefluxHealthIndicator")
  ReactiveHealthIndicator forcefluxHealthIndicator(TokenSource tokens, ObjectProvider<SessionState> state) {
    return new ForceFluxHealthIndicator(tokens, state.getIfAvailable(SessionState::new));
  }
}
