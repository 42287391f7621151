package io.forceflux.boot.autoconfigure;

import io.forceflux.reactor.micrometer.MicrometerSessionListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * ForceFlux's session meters ({@code forceflux.token.issued}, {@code forceflux.requests.replayed},
 * {@code forceflux.circuit.opened}, ...: see {@link MicrometerSessionListener}) on the application's
 * {@link MeterRegistry}, when it has one.
 */
@AutoConfiguration(before = ForceFluxAutoConfiguration.class, afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, MicrometerSessionListener.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "forceflux.enabled", matchIfMissing = true)
public class ForceFluxMetricsAutoConfiguration {

  /** Created by Spring. */
  public ForceFluxMetricsAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean
  MicrometerSessionListener forcefluxMeters(MeterRegistry registry) {
    return new MicrometerSessionListener(registry);
  }
}
