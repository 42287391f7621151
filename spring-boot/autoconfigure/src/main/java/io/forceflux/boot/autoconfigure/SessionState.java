package io.forceflux.boot.autoconfigure;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.LimitInfo;
import io.forceflux.core.event.SessionEvent;
import io.forceflux.core.event.SessionListener;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

/**
 * What the health indicator reports, learnt without a request of its own: the circuit from the token source's
 * session events, API usage from the {@code Sforce-Limit-Info} header of responses the application already gets.
 */
final class SessionState implements SessionListener {
  /** The circuit as the last event left it; {@code cause} null when closed and nothing has failed. */
  record Circuit(boolean open, @Nullable FailureCause cause, @Nullable Instant since) {}

  private static final Circuit CLOSED = new Circuit(false, null, null);

  private final AtomicReference<Circuit> circuit = new AtomicReference<>(CLOSED);
  private final AtomicReference<@Nullable FailureCause> gaveUp = new AtomicReference<>();
  private final AtomicReference<@Nullable LimitInfo> usage = new AtomicReference<>();
  private final ExchangeFilterFunction usageRecorder = (request, next) -> next.exchange(request)
      .doOnNext(response -> {
        String header = response.headers().asHttpHeaders().getFirst("Sforce-Limit-Info");
        if (header != null) {
          LimitInfo.parse(header).ifPresent(usage::set);
        }
      });

  @Override
  public void onEvent(SessionEvent event) {
    if (event instanceof SessionEvent.CircuitOpened e) {
      circuit.set(new Circuit(true, e.cause(), e.at()));
    } else if (event instanceof SessionEvent.CircuitClosed) {
      circuit.set(CLOSED);
    } else if (event instanceof SessionEvent.TokenIssued) {
      circuit.set(CLOSED);
      gaveUp.set(null);
    } else if (event instanceof SessionEvent.RecoveryGaveUp e) {
      gaveUp.set(e.cause());
    }
  }

  Circuit circuit() {
    return circuit.get();
  }

  /** Why the last refresh gave up, if no token has been issued since. */
  @Nullable FailureCause lastGaveUp() {
    return gaveUp.get();
  }

  @Nullable LimitInfo apiUsage() {
    return usage.get();
  }

  /** A filter that records API usage from every response it sees; sends nothing of its own. */
  ExchangeFilterFunction usageRecorder() {
    return usageRecorder;
  }
}
