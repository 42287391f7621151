package io.forceflux.reactor;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Grant;
import io.forceflux.core.event.SessionEvent;
import io.forceflux.core.recovery.Jitter;
import io.forceflux.core.recovery.RecoveryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Token sources on virtual time, fetching from a {@link ScriptedTokenEndpoint}: a fresh clock (at a fixed
 * instant), endpoint and event list for each test, and a recovery policy without jitter so backoffs are exact.
 */
abstract class ScriptedTokenSourceTests {
  VirtualTimeScheduler time;
  ScriptedTokenEndpoint endpoint;
  final List<SessionEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startClock() {
    time = VirtualTimeScheduler.create();
    time.advanceTimeTo(Instant.parse("2026-11-23T10:00:00Z"));
    endpoint = new ScriptedTokenEndpoint();
  }

  @AfterEach
  void stopClock() {
    time.dispose();
  }

  CachingTokenSource.Builder source(Grant grant) {
    return CachingTokenSource.builder(grant)
        .webClient(endpoint.webClient())
        .scheduler(time)
        .listener(events::add)
        .recoveryPolicy(RecoveryPolicy.builder().jitter(Jitter.NONE).build());
  }

  static AccessToken take(Mono<AccessToken> mono) {
    return mono.block(Duration.ofSeconds(5));
  }
}
