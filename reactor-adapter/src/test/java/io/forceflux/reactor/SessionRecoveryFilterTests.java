package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.GrantType;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.recovery.Jitter;
import io.forceflux.core.recovery.RecoveryPolicy;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The filter alone, against scripted HTTP. */
class SessionRecoveryFilterTests {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final String SESSION_EXPIRED = "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]";

  private MockWebServer salesforce;
  private MockWebServer elsewhere;
  private ListTokenSource tokens;

  @BeforeEach
  void start() throws IOException {
    salesforce = new MockWebServer();
    salesforce.start();
    elsewhere = new MockWebServer();
    elsewhere.start();
    tokens = new ListTokenSource(URI.create(salesforce.url("/").toString()));
  }

  @AfterEach
  void stop() {
    salesforce.close();
    elsewhere.close();
  }

  private WebClient client() {
    return WebClient.builder().filter(SessionRecoveryFilter.builder(tokens)
        .recoveryPolicy(RecoveryPolicy.builder().initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(50))
            .jitter(Jitter.NONE).build())
        .build()).build();
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  private RecordedRequest take(MockWebServer server) throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r).as("request within 5 s").isNotNull();
    return r;
  }

  @Test
  void replaysA401WithTheNewTokenAndAnIdenticalBody() throws InterruptedException {
    salesforce.enqueue(new MockResponse.Builder().code(401).addHeader("WWW-Authenticate", "Token")
        .addHeader("Content-Type", "application/json").body(SESSION_EXPIRED).build());
    salesforce.enqueue(json(201, "{\"id\":\"001\",\"success\":true,\"errors\":[]}"));

    String result = client().post().uri("/services/data/v67.0/sobjects/Account/")
        .header("X-Custom", "kept")
        .bodyValue(Map.of("Name", "Acme"))
        .retrieve().bodyToMono(String.class).block(BOUND);

    assertThat(result).contains("\"success\":true");
    RecordedRequest first = take(salesforce);
    RecordedRequest replay = take(salesforce);
    assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer " + tokens.value(0));
    assertThat(replay.getHeaders().get("Authorization")).isEqualTo("Bearer " + tokens.value(1));
    assertThat(replay.getMethod()).isEqualTo("POST");
    assertThat(replay.getUrl().encodedPath()).isEqualTo(first.getUrl().encodedPath());
    assertThat(replay.getHeaders().get("X-Custom")).isEqualTo("kept");
    assertThat(replay.getBody().utf8()).isEqualTo(first.getBody().utf8()).contains("Acme");
    assertThat(tokens.invalidated).containsExactly(tokens.token(0));
  }

  @Test
  void neverSendsTheTokenToAnotherHost() throws InterruptedException {
    elsewhere.enqueue(json(200, "{}"));

    client().get().uri(elsewhere.url("/collect").uri()).retrieve().bodyToMono(String.class).block(BOUND);

    RecordedRequest r = take(elsewhere);
    assertThat(r.getHeaders().get("Authorization")).isNull();
    assertThat(salesforce.getRequestCount()).isZero();
  }

  @Test
  void stripsACallerSetAuthorizationHeaderOnForeignHosts() throws InterruptedException {
    elsewhere.enqueue(json(200, "{}"));

    client().get().uri(elsewhere.url("/x").uri()).header("Authorization", "Bearer leaked")
        .retrieve().bodyToMono(String.class).block(BOUND);

    assertThat(take(elsewhere).getHeaders().get("Authorization")).isNull();
  }

  @Test
  void refusesProtocolRelativeUrls() {
    StepVerifier.create(client().get().uri(URI.create("//" + elsewhere.getHostName() + ":" + elsewhere.getPort() + "/x"))
            .retrieve().bodyToMono(String.class))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SalesforceException.class,
            s -> assertThat(s.failureCause()).isEqualTo(FailureCause.UNTRUSTED_URL)))
        .verify(BOUND);
    assertThat(elsewhere.getRequestCount()).isZero();
  }

  @Test
  void aSoapInvalidSessionFaultIsReplayed() {
    salesforce.enqueue(new MockResponse.Builder().code(500).addHeader("Content-Type", "text/xml")
        .body("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><soapenv:Fault>"
            + "<faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>INVALID_SESSION_ID: Invalid Session ID found in "
            + "SessionHeader: Illegal Session</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>").build());
    salesforce.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/xml").body("<ok/>").build());

    String body = client().post().uri("/services/Soap/u/67.0").bodyValue("<x/>").retrieve().bodyToMono(String.class)
        .block(BOUND);

    assertThat(body).isEqualTo("<ok/>");
    assertThat(salesforce.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aBulkInvalidSessionIdIsReplayed() {
    salesforce.enqueue(new MockResponse.Builder().code(400).addHeader("Content-Type", "application/xml")
        .body("<error xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\"><exceptionCode>InvalidSessionId"
            + "</exceptionCode><exceptionMessage>Invalid session id</exceptionMessage></error>").build());
    salesforce.enqueue(json(200, "{}"));

    client().get().uri("/services/async/67.0/job/750x").retrieve().bodyToMono(String.class).block(BOUND);

    assertThat(salesforce.getRequestCount()).isEqualTo(2);
  }

  @Test
  void givesUpWithOneTypedErrorWhenFreshTokensKeepBeingRejected() {
    for (int i = 0; i < 10; i++) {
      salesforce.enqueue(json(401, SESSION_EXPIRED));
    }

    StepVerifier.create(client().get().uri("/services/data/v67.0/limits").retrieve().bodyToMono(String.class))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SalesforceException.class, s -> {
          assertThat(s.failureCause()).isEqualTo(FailureCause.SESSION_POLICY);
          assertThat(s.attempts()).isEqualTo(3);
          assertThat(s.getMessage()).doesNotContain(tokens.value(0)).doesNotContain(tokens.value(1));
        }))
        .verify(BOUND);
    assertThat(salesforce.getRequestCount()).isEqualTo(3); // stale, fresh, fresh: then terminal
  }

  /**
   * Sessions ended faster than responses travel: tokens 1 and 2 die before anyone's response with them is
   * read, so no newer token is yet known to have worked. Another request succeeding meanwhile (here with
   * token 0, answered before token 0 was ended and read late) shows sessions are live and dying: churn, not a
   * policy. Before the fix the request ended as SESSION_POLICY after tokens 1 and 2.
   */
  @Test
  void freshTokensDyingBeforeAnyResponseWithThemIsReadAreChurnWhileOtherRequestsSucceed() {
    Sinks.One<ClientResponse> slow = Sinks.one();
    List<String> sent = new CopyOnWriteArrayList<>();
    ExchangeFunction org = request -> {
      String token = request.headers().getFirst(HttpHeaders.AUTHORIZATION).substring("Bearer ".length());
      sent.add(request.url().getPath() + " " + token);
      if (request.url().getPath().endsWith("/slow")) {
        return slow.asMono(); // answered 200 with token 0 before it was ended; read late
      }
      if (token.equals(tokens.value(1))) {
        slow.tryEmitValue(response(200, "{}")); // the slow request's success is read while this one recovers
      }
      return Mono.just(token.equals(tokens.value(3)) ? response(201, "{\"id\":\"001\"}") : response(401, SESSION_EXPIRED));
    };
    SessionRecoveryFilter filter = SessionRecoveryFilter.builder(tokens)
        .recoveryPolicy(RecoveryPolicy.builder().initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(50))
            .jitter(Jitter.NONE).build())
        .build();
    StepVerifier.create(filter.filter(get("/services/data/v67.0/slow"), org).map(r -> r.statusCode().value()))
        .expectSubscription()
        .then(() -> StepVerifier.create(filter.filter(get("/services/data/v67.0/sobjects/Account"), org)
                .map(r -> r.statusCode().value()))
            .expectNext(201)
            .expectComplete()
            .verify(BOUND))
        .expectNext(200)
        .expectComplete()
        .verify(BOUND);
    assertThat(sent).endsWith("/services/data/v67.0/sobjects/Account " + tokens.value(3));
  }

  private ClientRequest get(String path) {
    return ClientRequest.create(HttpMethod.GET, URI.create(salesforce.url(path).toString())).build();
  }

  private static ClientResponse response(int code, String body) {
    return ClientResponse.create(HttpStatusCode.valueOf(code)).header(HttpHeaders.CONTENT_TYPE, "application/json")
        .body(body).build();
  }

  @Test
  void aSuccessBeforeTheRequestLostItsSessionDoesNotExcuseFreshTokensBeingRefused() {
    salesforce.enqueue(json(200, "{}"));
    for (int i = 0; i < 10; i++) {
      salesforce.enqueue(json(401, SESSION_EXPIRED));
    }
    WebClient client = client();
    client.get().uri(salesforce.url("/services/data/v67.0/limits").uri()).retrieve().bodyToMono(String.class)
        .block(BOUND); // token 0 worked, then a policy refuses every session

    StepVerifier.create(client.get().uri(salesforce.url("/services/data/v67.0/limits").uri()).retrieve()
            .bodyToMono(String.class))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SalesforceException.class,
            s -> assertThat(s.failureCause()).isEqualTo(FailureCause.SESSION_POLICY)))
        .verify(BOUND);
    assertThat(salesforce.getRequestCount()).isEqualTo(4); // ok; then stale, fresh, fresh: terminal
  }

  @Test
  void retriesA503OnlyForIdempotentMethods() {
    salesforce.enqueue(json(503, "[{\"message\":\"Server too busy\",\"errorCode\":\"SERVER_UNAVAILABLE\"}]"));
    salesforce.enqueue(json(200, "{\"ok\":true}"));
    assertThat(client().get().uri("/services/data/v67.0/limits").retrieve().bodyToMono(String.class).block(BOUND))
        .contains("ok");

    salesforce.enqueue(json(503, "[{\"message\":\"Server too busy\",\"errorCode\":\"SERVER_UNAVAILABLE\"}]"));
    StepVerifier.create(client().post().uri("/services/data/v67.0/sobjects/Account/").bodyValue("{}")
            .exchangeToMono(r -> Mono.just(r.statusCode().value())))
        .expectNext(503)
        .verifyComplete();
    assertThat(salesforce.getRequestCount()).isEqualTo(3);
  }

  @Test
  void aNonSessionErrorIsPassedThroughWithItsBodyIntact() {
    salesforce.enqueue(json(401, "[{\"message\":\"odd\",\"errorCode\":\"SOMETHING_ELSE\"}]"));

    StepVerifier.create(client().get().uri("/services/data/v67.0/limits")
            .exchangeToMono(r -> r.bodyToMono(String.class).map(b -> r.statusCode().value() + " " + b)))
        .expectNext("401 [{\"message\":\"odd\",\"errorCode\":\"SOMETHING_ELSE\"}]")
        .verifyComplete();
  }

  /** Tokens t0, t1, … on one instance; invalidation of the current one moves to the next. */
  static final class ListTokenSource implements TokenSource {
    final URI instance;
    final AtomicInteger current = new AtomicInteger();
    final List<AccessToken> invalidated = new CopyOnWriteArrayList<>();

    ListTokenSource(URI instance) {
      this.instance = instance;
    }

    String value(int n) {
      return "00D000000000001!AQfilter-test-token-" + n;
    }

    AccessToken token(int n) {
      // Issued one after another, as a real token endpoint issues them.
      return AccessToken.of(value(n), instance, Instant.EPOCH.plusSeconds(n), GrantType.REFRESH_TOKEN);
    }

    @Override
    public Mono<AccessToken> token() {
      return Mono.fromSupplier(() -> token(current.get()));
    }

    @Override
    public void invalidate(AccessToken rejected) {
      invalidated.add(rejected);
      int n = current.get();
      if (rejected.equals(token(n))) {
        current.compareAndSet(n, n + 1);
      }
    }
  }
}
