package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.event.SessionListener;
import io.forceflux.core.recovery.Jitter;
import io.forceflux.core.recovery.RecoveryPolicy;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

/** The filter alone, against scripted HTTP: sequences from the hardening review, each failed before its fix. */
class FilterHardeningTests {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final String SESSION_EXPIRED =
      "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]";

  private MockWebServer salesforce;
  private SessionRecoveryFilterTests.ListTokenSource tokens;

  @BeforeEach
  void start() throws IOException {
    salesforce = new MockWebServer();
    salesforce.start();
    tokens = new SessionRecoveryFilterTests.ListTokenSource(URI.create(salesforce.url("/").toString()));
  }

  @AfterEach
  void stop() {
    salesforce.close();
  }

  private SessionRecoveryFilter.Builder filter() {
    return SessionRecoveryFilter.builder(tokens)
        .recoveryPolicy(RecoveryPolicy.builder().initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(50))
            .jitter(Jitter.NONE).build());
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  // ---- 3e. a throwing listener never changes what the caller gets ----

  @Test
  void aListenerThatThrowsOnEveryEventDoesNotBreakAReplay() {
    AtomicInteger calls = new AtomicInteger();
    SessionListener throwing = event -> {
      calls.incrementAndGet();
      throw new IllegalStateException("listener bug");
    };
    salesforce.enqueue(json(401, SESSION_EXPIRED));
    salesforce.enqueue(json(201, "{\"id\":\"001\",\"success\":true,\"errors\":[]}"));

    String result = WebClient.builder().filter(filter().listener(throwing).build()).build()
        .post().uri("/services/data/v67.0/sobjects/Account/").bodyValue(Map.of("Name", "Acme"))
        .retrieve().bodyToMono(String.class).block(BOUND);

    assertThat(result).contains("\"success\":true");
    assertThat(calls).hasPositiveValue(); // it was called (RequestReplayed), and its failure was contained
  }

  @Test
  void aListenerThatThrowsOnGiveUpStillYieldsTheTypedFailure() {
    SessionListener throwing = event -> {
      throw new IllegalStateException("listener bug");
    };
    for (int i = 0; i < 10; i++) {
      salesforce.enqueue(json(401, SESSION_EXPIRED)); // every replay rejected: the filter gives up
    }

    Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> WebClient.builder()
        .filter(filter().listener(throwing).build()).build()
        .get().uri("/services/data/v67.0/limits").retrieve().bodyToMono(String.class).block(BOUND));

    assertThat(e).isInstanceOf(io.forceflux.core.error.SalesforceException.class);
  }
}
