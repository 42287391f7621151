package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.reactor.client.ScriptedServerTests;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

/** The client against scripted servers that misbehave: foreign cursors, cut-off and oversized pages. */
class SalesforceClientHostileServerTests extends ScriptedServerTests {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final String TOKEN = "00D000000000001!AQ0AQHostileServerTestTokenValue";

  SalesforceClientHostileServerTests() {
    super(TOKEN);
  }

  private SalesforceClient client(Consumer<SalesforceClient.Builder> options) {
    SalesforceClient.Builder b = fixedTokenClient();
    options.accept(b);
    return b.build();
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
  }

  private static String record(int n) {
    String id = "001" + String.format("%012d", n) + "AAA";
    return "{\"attributes\":{\"type\":\"Account\",\"url\":\"/services/data/v67.0/sobjects/Account/" + id + "\"},"
        + "\"Id\":\"" + id + "\"}";
  }

  private static String page(String nextRecordsUrl, int... records) {
    StringBuilder sb = new StringBuilder("{\"totalSize\":10,\"done\":false,\"nextRecordsUrl\":\"")
        .append(nextRecordsUrl).append("\",\"records\":[");
    for (int i = 0; i < records.length; i++) {
      sb.append(i == 0 ? "" : ",").append(record(records[i]));
    }
    return sb.append("]}").toString();
  }

  private static void assertUntrusted(Throwable e) {
    assertThat(e).isInstanceOfSatisfying(SalesforceException.class, s -> {
      assertThat(s.failureCause()).isEqualTo(FailureCause.UNTRUSTED_URL);
      assertThat(s.getMessage()).doesNotContain(TOKEN);
    });
  }

  private RecordedRequest take(MockWebServer server) throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r).as("request within 5 s").isNotNull();
    return r;
  }

  @ParameterizedTest
  @ValueSource(strings = {"absolute", "protocol-relative", "same-origin-absolute", "outside-data", "dot-segments"})
  void refusesANextRecordsUrlThatCouldLeaveTheInstanceWithoutSendingTheToken(String kind)
      throws InterruptedException {
    String evilHost = evil.getHostName() + ":" + evil.getPort();
    String next = switch (kind) {
      case "absolute" -> evil.url("/services/data/v67.0/query/01gEVIL-2").toString();
      case "protocol-relative" -> "//" + evilHost + "/services/data/v67.0/query/01gEVIL-2";
      case "same-origin-absolute" -> salesforce.url("/services/data/v67.0/query/01gX-2").toString();
      case "outside-data" -> "/services/oauth2/token";
      default -> "/services/data/v67.0/../../../" + evilHost;
    };
    salesforce.enqueue(json(page("/services/data/v67.0/query/01gX-2", 1, 2)));
    salesforce.enqueue(json(page(next, 3, 4)));

    StepVerifier.create(client(b -> { }).query("SELECT Id FROM Account"))
        .expectNextCount(2)
        .expectErrorSatisfies(SalesforceClientHostileServerTests::assertUntrusted)
        .verify(BOUND);

    assertThat(evil.getRequestCount()).isZero();
    assertThat(salesforce.getRequestCount()).isEqualTo(2);
    RecordedRequest first = take(salesforce);
    assertThat(first.getUrl().encodedPath()).isEqualTo("/services/data/v67.0/query");
    assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(take(salesforce).getUrl().encodedPath()).isEqualTo("/services/data/v67.0/query/01gX-2");
  }

  @Test
  void refusesARecordWhoseAttributesUrlIsForeign() {
    salesforce.enqueue(json("{\"done\":true,\"records\":[{\"attributes\":{\"type\":\"Account\",\"url\":\""
        + evil.url("/x") + "\"},\"Id\":\"001000000000001AAA\"}]}"));

    StepVerifier.create(client(b -> { }).query("SELECT Id FROM Account"))
        .expectErrorSatisfies(SalesforceClientHostileServerTests::assertUntrusted)
        .verify(BOUND);
    assertThat(evil.getRequestCount()).isZero();
  }

  @Test
  void aConnectionClosedMidPageIsATransportError() {
    salesforce.enqueue(json(page("/services/data/v67.0/query/01gX-2", 1, 2)));
    StringBuilder big = new StringBuilder(page("/services/data/v67.0/query/01gX-4", 3));
    big.setLength(big.length() - 2);
    for (int i = 4; i < 3_000; i++) {
      big.append(',').append(record(i));
    }
    salesforce.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .body(big.append("]}").toString()).onResponseBody(new SocketEffect.CloseSocket()).build());

    StepVerifier.create(client(b -> { }).query("SELECT Id FROM Account"))
        .expectNextCount(2)
        .expectErrorSatisfies(e -> assertThat(((SalesforceException) e).failureCause())
            .isIn(FailureCause.TRANSPORT, FailureCause.MALFORMED_RESPONSE))
        .verify(BOUND);
  }

  @Test
  void aStalledPageTimesOutInsteadOfHanging() {
    salesforce.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .body(page("/services/data/v67.0/query/01gX-2", 1)).onResponseBody(SocketEffect.Stall.INSTANCE).build());

    StepVerifier.create(client(b -> b.httpClient(HttpClient.create().responseTimeout(Duration.ofMillis(500))))
            .query("SELECT Id FROM Account"))
        .expectErrorSatisfies(e -> assertThat(((SalesforceException) e).failureCause())
            .isEqualTo(FailureCause.TRANSPORT))
        .verify(BOUND);
  }

  @Test
  void aPageLargerThanTheLimitIsRefusedUnbuffered() {
    StringBuilder body = new StringBuilder("{\"done\":true,\"records\":[");
    for (int i = 1; i <= 2_000; i++) {
      body.append(i == 1 ? "" : ",").append(record(i));
    }
    salesforce.enqueue(json(body.append("]}").toString()));

    StepVerifier.create(client(b -> b.maxPageBytes(64 * 1024)).query("SELECT Id FROM Account"))
        .expectErrorSatisfies(e -> assertThat(((SalesforceException) e).failureCause())
            .isEqualTo(FailureCause.RESPONSE_TOO_LARGE))
        .verify(BOUND);
  }

  @Test
  void anHtmlPageInsteadOfJsonIsAMalformedResponse() {
    salesforce.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
        .body("<html><title>Log in</title><body>captive portal</body></html>").build());

    StepVerifier.create(client(b -> { }).query("SELECT Id FROM Account"))
        .expectErrorSatisfies(e -> assertThat(((SalesforceException) e).failureCause())
            .isEqualTo(FailureCause.MALFORMED_RESPONSE))
        .verify(BOUND);
  }

  @Test
  void anHtmlErrorPageIsTypedNotALibraryException() {
    salesforce.enqueue(new MockResponse.Builder().code(500).addHeader("Content-Type", "text/html")
        .body("<!DOCTYPE html><html><head><title>Service Not Available</title></head></html>").build());

    StepVerifier.create(client(b -> { }).limits())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SalesforceException.class, s -> {
          assertThat(s.status()).isEqualTo(500);
          assertThat(s.failureCause()).isEqualTo(FailureCause.SERVER_UNAVAILABLE);
        }))
        .verify(BOUND);
  }

  @Test
  void userFiltersSeeHostRelativeRequestsWithoutTheToken() throws InterruptedException {
    salesforce.enqueue(json("{\"done\":true,\"records\":[" + record(1) + "]}"));
    List<String> seen = new CopyOnWriteArrayList<>();

    ExchangeFilterFunction recorder = (request, next) -> {
      seen.add(request.url() + " " + request.headers().getFirst("Authorization"));
      return next.exchange(request);
    };

    StepVerifier.create(client(b -> b.webClientBuilder(WebClient.builder().filter(recorder)))
            .query("SELECT Id FROM Account"))
        .expectNextCount(1)
        .verifyComplete();

    assertThat(seen).singleElement().satisfies(s -> assertThat(s).startsWith("/services/data/v67.0/query?q=")
        .endsWith(" null"));
    assertThat(take(salesforce).getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
  }
}
