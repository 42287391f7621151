package io.forceflux.reactor.micrometer;

import io.forceflux.core.event.SessionEvent;
import io.forceflux.core.event.SessionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;

/**
 * Publishes session events as Micrometer meters (Micrometer is an optional dependency: add
 * {@code micrometer-core} to use this class). Meters, all tagged, none carrying a token:
 *
 * <ul>
 *   <li>{@code forceflux.token.issued} (timer; tags {@code grant}, {@code reason}): token requests that succeeded
 *   <li>{@code forceflux.token.failures} (counter; {@code grant}, {@code cause}): failed token attempts
 *   <li>{@code forceflux.requests.replayed} (counter; {@code cause}): requests replayed after a session died
 *   <li>{@code forceflux.recovery.gaveup} (counter; {@code cause}, {@code recoverable})
 *   <li>{@code forceflux.circuit.opened} / {@code forceflux.circuit.closed} (counters)
 * </ul>
 *
 * <p>Combine with logging: {@code SessionListener.logging().andThen(new MicrometerSessionListener(registry))}.
 */
public final class MicrometerSessionListener implements SessionListener {
  private final MeterRegistry registry;

  /** Publishes to {@code registry}. */
  public MicrometerSessionListener(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public void onEvent(SessionEvent event) {
    if (event instanceof SessionEvent.TokenIssued e) {
      Timer.builder("forceflux.token.issued").tag("grant", e.grant().name()).tag("reason", e.reason().name())
          .register(registry).record(e.latency());
    } else if (event instanceof SessionEvent.RefreshFailed e) {
      Counter.builder("forceflux.token.failures").tag("grant", e.grant().name()).tag("cause", e.cause().name())
          .register(registry).increment();
    } else if (event instanceof SessionEvent.RequestReplayed e) {
      Counter.builder("forceflux.requests.replayed").tag("cause", e.because().name()).register(registry).increment();
    } else if (event instanceof SessionEvent.RecoveryGaveUp e) {
      Counter.builder("forceflux.recovery.gaveup").tag("cause", e.cause().name())
          .tag("recoverable", String.valueOf(e.cause().recoverable())).register(registry).increment();
    } else if (event instanceof SessionEvent.CircuitOpened e) {
      Counter.builder("forceflux.circuit.opened").tag("cause", e.cause().name()).register(registry).increment();
    } else if (event instanceof SessionEvent.CircuitClosed) {
      Counter.builder("forceflux.circuit.closed").register(registry).increment();
    }
  }
}
