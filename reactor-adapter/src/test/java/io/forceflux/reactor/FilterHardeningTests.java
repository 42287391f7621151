package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.event.SessionListener;
import io.forceflux.core.recovery.Jitter;
import io.forceflux.core.recovery.RecoveryPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

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

  // ---- 4f. a body that can be read only once replays intact ----

  private static final String RECORD = "{\"Name\":\"Acme\",\"Description\":\"" + "x".repeat(5_000) + "\"}";

  private String postOnce(SessionRecoveryFilter filter, BodyInserter<?, ? super ClientHttpRequest> body) {
    return WebClient.builder().filter(filter).build()
        .post().uri("/services/data/v67.0/sobjects/Account/").contentType(MediaType.APPLICATION_JSON)
        .body(body).retrieve().bodyToMono(String.class).block(BOUND);
  }

  private static Flux<DataBuffer> oneShot(String text) {
    Sinks.Many<DataBuffer> sink = Sinks.many().unicast().onBackpressureBuffer();
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i += 1_000) { // several chunks, as a stream would arrive
      sink.tryEmitNext(DefaultDataBufferFactory.sharedInstance.wrap(
          java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 1_000))));
    }
    sink.tryEmitComplete();
    return sink.asFlux();
  }

  @Test
  void aOneShotStreamBodyIsReplayedByteForByteAfterA401() throws InterruptedException {
    salesforce.enqueue(json(401, SESSION_EXPIRED));
    salesforce.enqueue(json(201, "{\"id\":\"001\",\"success\":true,\"errors\":[]}"));

    String result = postOnce(filter().build(), BodyInserters.fromDataBuffers(oneShot(RECORD)));

    assertThat(result).contains("\"success\":true");
    RecordedRequest first = salesforce.takeRequest();
    RecordedRequest replay = salesforce.takeRequest();
    assertThat(first.getBody().utf8()).isEqualTo(RECORD);
    assertThat(replay.getBody().utf8()).isEqualTo(RECORD);
    assertThat(replay.getHeaders().get("Content-Type")).isEqualTo("application/json");
  }

  @Test
  void anInputStreamBodyIsReplayedByteForByteAfterA401() throws InterruptedException {
    salesforce.enqueue(json(401, SESSION_EXPIRED));
    salesforce.enqueue(json(201, "{\"id\":\"001\",\"success\":true,\"errors\":[]}"));
    InputStreamResource stream = new InputStreamResource(
        new ByteArrayInputStream(RECORD.getBytes(StandardCharsets.UTF_8)));

    String result = postOnce(filter().build(), BodyInserters.fromResource(stream));

    assertThat(result).contains("\"success\":true");
    salesforce.takeRequest();
    assertThat(salesforce.takeRequest().getBody().utf8()).isEqualTo(RECORD);
  }

  @Test
  void aOneShotBodyOverTheReplayLimitFailsTypedInsteadOfSendingAnEmptyReplay() throws InterruptedException {
    salesforce.enqueue(json(401, SESSION_EXPIRED));
    salesforce.enqueue(json(201, "{\"id\":\"001\",\"success\":true,\"errors\":[]}"));

    Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> postOnce(
        filter().maxReplayBodyBytes(1_000).build(), BodyInserters.fromDataBuffers(oneShot(RECORD))));

    assertThat(e).isInstanceOf(io.forceflux.core.error.SalesforceException.class)
        .hasMessageContaining("could not be read again").hasMessageContaining("maxReplayBodyBytes");
    assertThat(((io.forceflux.core.error.SalesforceException) e).failureCause())
        .isEqualTo(io.forceflux.core.error.FailureCause.TRANSPORT);
    // The replay was cut off when its body failed: the server never got a complete second request.
    assertThat(salesforce.getRequestCount()).isLessThanOrEqualTo(2);
    assertThat(salesforce.takeRequest(1, java.util.concurrent.TimeUnit.SECONDS).getBody().utf8()).isEqualTo(RECORD);
    RecordedRequest replay = salesforce.takeRequest(1, java.util.concurrent.TimeUnit.SECONDS);
    if (replay != null) {
      assertThat(replay.getBody() == null ? "" : replay.getBody().utf8()).isNotEqualTo(RECORD);
    }
  }
}
