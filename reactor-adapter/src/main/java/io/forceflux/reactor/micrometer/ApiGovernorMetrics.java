package io.forceflux.reactor.micrometer;

import io.forceflux.reactor.governor.ApiGovernor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Publishes an {@link ApiGovernor}'s view as Micrometer meters (Micrometer is an optional dependency):
 * {@code forceflux.api.usage} and {@code forceflux.api.allowance} (gauges, -1 until known),
 * {@code forceflux.api.inflight}, {@code forceflux.api.queued} (gauges) and {@code forceflux.api.refused}
 * (counter), each tagged {@code org} with the name given.
 */
public final class ApiGovernorMetrics {
  private ApiGovernorMetrics() {}

  /** Registers the meters; the registry holds the governor weakly, as Micrometer gauges do. */
  public static void bind(ApiGovernor governor, String org, MeterRegistry registry) {
    Objects.requireNonNull(governor, "governor");
    Objects.requireNonNull(org, "org");
    Objects.requireNonNull(registry, "registry");
    Gauge.builder("forceflux.api.usage", governor, g -> g.usage().map(u -> (double) u.used()).orElse(-1.0))
        .tag("org", org).register(registry);
    Gauge.builder("forceflux.api.allowance", governor, g -> g.usage().map(u -> (double) u.max()).orElse(-1.0))
        .tag("org", org).register(registry);
    Gauge.builder("forceflux.api.inflight", governor, ApiGovernor::inFlight).tag("org", org).register(registry);
    Gauge.builder("forceflux.api.queued", governor, ApiGovernor::queued).tag("org", org).register(registry);
    FunctionCounter.builder("forceflux.api.refused", governor, ApiGovernor::refused).tag("org", org)
        .register(registry);
  }
}
