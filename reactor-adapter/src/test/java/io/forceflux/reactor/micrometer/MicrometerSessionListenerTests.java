package io.forceflux.reactor.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.auth.GrantType;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.event.RefreshReason;
import io.forceflux.core.event.SessionEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MicrometerSessionListenerTests {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MicrometerSessionListener listener = new MicrometerSessionListener(registry);

  @Test
  void countsEachEventKindWithItsTags() {
    Instant now = Instant.EPOCH;
    listener.onEvent(new SessionEvent.TokenIssued(now, GrantType.REFRESH_TOKEN, RefreshReason.REJECTED,
        Duration.ofMillis(42), "1a2b3c4d"));
    listener.onEvent(new SessionEvent.RequestReplayed(now, "GET", "/x", 2, FailureCause.SESSION_EXPIRED));
    listener.onEvent(new SessionEvent.RequestReplayed(now, "GET", "/x", 2, FailureCause.SESSION_EXPIRED));
    listener.onEvent(new SessionEvent.RefreshFailed(now, GrantType.REFRESH_TOKEN, FailureCause.SERVER_UNAVAILABLE, 1));
    listener.onEvent(new SessionEvent.RecoveryGaveUp(now, FailureCause.IP_RESTRICTED, 1));
    listener.onEvent(new SessionEvent.CircuitOpened(now, FailureCause.IP_RESTRICTED, Duration.ofMinutes(1)));

    assertThat(registry.get("forceflux.token.issued").tag("reason", "REJECTED").timer().count()).isEqualTo(1);
    assertThat(registry.get("forceflux.token.issued").timer().totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
        .isEqualTo(42);
    assertThat(registry.get("forceflux.requests.replayed").tag("cause", "SESSION_EXPIRED").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("forceflux.token.failures").tag("cause", "SERVER_UNAVAILABLE").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("forceflux.recovery.gaveup").tag("recoverable", "false").counter().count()).isEqualTo(1);
    assertThat(registry.get("forceflux.circuit.opened").counter().count()).isEqualTo(1);
  }
}
