package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.Fixtures;
import io.forceflux.core.auth.Grant;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.recovery.Jitter;
import io.forceflux.core.recovery.RecoveryPolicy;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The hostile-input corpus: every recorded Salesforce body and a set of generated bad ones, served to the
 * token source and through the filter. Each case must end in a typed error or the correct result, within
 * a bound, with no secret in the error.
 */
class HostileInputTests {
  private static final Duration BOUND = Duration.ofSeconds(40);
  /**
   * Request timeout where the case is about a body that never completes: the timeout is what ends it. Elsewhere the
   * timeout only guards against a hang and is generous, so a loaded machine never turns a body case into TRANSPORT.
   */
  private static final Duration SHORT_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration GUARD_TIMEOUT = Duration.ofSeconds(15);
  private static final String CLIENT_SECRET = "hostile-client-secret-4711";
  private static final String REFRESH_TOKEN = "5Aep861hostileRefreshToken";
  private static final String SERVED_TOKEN = "00D000000000001!AQhostileServedAccessToken";
  private static final String SESSION_EXPIRED =
      "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]";

  private MockWebServer server;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    TestGuards.secret(CLIENT_SECRET);
    TestGuards.secret(REFRESH_TOKEN);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** What a case must end in: a result or a failure with this cause. */
  record Expect(@Nullable FailureCause cause, int status, List<FailureCause> alternatives) {
    static Expect ok() {
      return new Expect(null, 200, List.of());
    }

    static Expect status(int status) {
      return new Expect(null, status, List.of());
    }

    static Expect fails(FailureCause cause, FailureCause... or) {
      return new Expect(cause, 0, List.of(or));
    }
  }

  // ---------------------------------------------------------------- token endpoint

  static List<Arguments> tokenCases() {
    List<Arguments> cases = new ArrayList<>();
    for (String name : Fixtures.names()) {
      Fixtures.Recorded r = Fixtures.load(name);
      if (name.startsWith("oauth-token-")) {
        cases.add(Arguments.of("fixture " + name, (Supplier<MockResponse>) () -> recorded(r), tokenExpectation(name)));
      } else if (name.startsWith("rest-") || name.startsWith("soap-fault")) {
        // A misrouted answer (an API body from the token endpoint) is a typed failure, never a token.
        cases.add(Arguments.of("misrouted " + name, (Supplier<MockResponse>) () -> recorded(r), null));
      }
    }
    String good = "{\"access_token\":\"" + SERVED_TOKEN + "\",\"instance_url\":\"https://acme.my.salesforce.com\"}";
    cases.add(token("HTML page with 200", 200, "text/html", "<html><title>Login</title></html>",
        Expect.fails(FailureCause.MALFORMED_RESPONSE)));
    cases.add(token("HTML page with 401", 401, "text/html", "<html><body>Unauthorized</body></html>",
        Expect.fails(FailureCause.MALFORMED_RESPONSE)));
    cases.add(token("HTML maintenance page with 503", 503, "text/html",
        "<!DOCTYPE html><html><title>Down for maintenance</title></html>", Expect.fails(FailureCause.SERVER_UNAVAILABLE)));
    cases.add(token("truncated JSON", 200, "application/json", good.substring(0, 40),
        Expect.fails(FailureCause.MALFORMED_RESPONSE)));
    cases.add(token("right JSON with a wrong content type", 200, "text/plain", good, Expect.ok()));
    cases.add(token("empty 200", 200, "application/json", "", Expect.fails(FailureCause.MALFORMED_RESPONSE)));
    cases.add(token("JSON null", 200, "application/json", "null", Expect.fails(FailureCause.MALFORMED_RESPONSE)));
    cases.add(token("JSON array", 200, "application/json", "[" + good + "]", Expect.fails(FailureCause.MALFORMED_RESPONSE)));
    cases.add(token("no access_token", 200, "application/json",
        "{\"instance_url\":\"https://acme.my.salesforce.com\"}", Expect.fails(FailureCause.MALFORMED_RESPONSE)));
    cases.add(token("access_token null", 200, "application/json",
        "{\"access_token\":null,\"instance_url\":\"https://acme.my.salesforce.com\"}",
        Expect.fails(FailureCause.MALFORMED_RESPONSE)));
    cases.add(token("no instance_url", 200, "application/json", "{\"access_token\":\"" + SERVED_TOKEN + "\"}",
        Expect.fails(FailureCause.MALFORMED_RESPONSE)));
    for (String hostile : List.of("http://na1.salesforce.com", "https://evil.example.com",
        "https://user:pw@na1.salesforce.com", "https://na1.salesforce.com.evil.com", "javascript:alert(1)",
        "https://", "//na1.salesforce.com", "ftp://na1.salesforce.com")) {
      cases.add(token("instance_url " + hostile, 200, "application/json",
          "{\"access_token\":\"" + SERVED_TOKEN + "\",\"instance_url\":\"" + hostile + "\"}",
          Expect.fails(FailureCause.UNTRUSTED_URL)));
    }
    cases.add(Arguments.of("invalid UTF-8", (Supplier<MockResponse>) () -> new MockResponse.Builder().code(200)
        .addHeader("Content-Type", "application/json")
        .body(new Buffer().write(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"'})).build(),
        Expect.fails(FailureCause.MALFORMED_RESPONSE)));
    cases.add(Arguments.of("50 MB body", (Supplier<MockResponse>) () -> new MockResponse.Builder().code(200)
        .addHeader("Content-Type", "application/json").body(huge(50)).build(),
        Expect.fails(FailureCause.RESPONSE_TOO_LARGE)));
    cases.add(Arguments.of("slow trickle body", (Supplier<MockResponse>) () -> new MockResponse.Builder().code(200)
        .addHeader("Content-Type", "application/json").body(good).throttleBody(4, 250, TimeUnit.MILLISECONDS).build(),
        Expect.fails(FailureCause.TRANSPORT)));
    cases.add(Arguments.of("body stalls after the headers", (Supplier<MockResponse>) () -> new MockResponse.Builder()
        .code(200).addHeader("Content-Type", "application/json").body(good).onResponseBody(SocketEffect.Stall.INSTANCE).build(),
        // Depending on where the stall cuts the body: a timeout, or a truncated body that fails to parse.
        Expect.fails(FailureCause.TRANSPORT, FailureCause.MALFORMED_RESPONSE)));
    cases.add(Arguments.of("connection reset", (Supplier<MockResponse>) () -> new MockResponse.Builder()
        .onResponseStart(new SocketEffect.CloseSocket()).build(), Expect.fails(FailureCause.TRANSPORT)));
    cases.add(token("429 with no body", 429, "text/plain", "", Expect.fails(FailureCause.SERVER_UNAVAILABLE)));
    return cases;
  }

  private static @Nullable Expect tokenExpectation(String name) {
    if (name.contains("-200-")) {
      // The client-credentials sample is a template whose instance_url is "https://<my_domain>".
      return name.contains("client-credentials") ? Expect.fails(FailureCause.UNTRUSTED_URL) : Expect.ok();
    }
    String[][] map = {
        {"expired-refresh-token", "REFRESH_TOKEN_REVOKED"}, {"authentication-failure", "AUTHENTICATION_FAILURE"},
        {"invalid-client-id", "UNKNOWN_CLIENT"}, {"audience", "INVALID_ASSERTION"},
        {"already-processed", "CONCURRENT_REFRESH"}, {"concurrent-legacy", "CONCURRENT_REFRESH"},
        {"login-rate", "LOGIN_RATE_EXCEEDED"}, {"not-supported-on-this-domain", "WRONG_DOMAIN"},
        {"user-not-approved", "USER_NOT_APPROVED"}, {"unsupported-grant-type", "UNSUPPORTED_GRANT"}};
    for (String[] m : map) {
      if (name.contains(m[0])) {
        return Expect.fails(FailureCause.valueOf(m[1]));
      }
    }
    throw new IllegalStateException("no expectation for " + name + ": add one");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tokenCases")
  void theTokenSourceTurnsEveryAnswerIntoATokenOrATypedError(
      String name, Supplier<MockResponse> response, @Nullable Expect expect) {
    serveAlways(response);
    URI login = URI.create(server.url("/").toString());
    CachingTokenSource tokens = CachingTokenSource.builder(Grant.refreshToken(login, "client", CLIENT_SECRET, REFRESH_TOKEN))
        .requestTimeout(endsByTimeout(name) ? SHORT_TIMEOUT : GUARD_TIMEOUT)
        // Static: this is about how answers are typed. Under rotation, an answer lost or cut off is not retried and
        // is REFRESH_OUTCOME_UNKNOWN (LostTokenAnswerTests).
        .refreshTokenRotation(RefreshTokenRotation.STATIC)
        .recoveryPolicy(fast())
        .build();

    Object outcome = tokens.token().map(Object.class::cast).onErrorResume(Mono::just).block(BOUND);

    check(outcome, expect);
  }

  // ---------------------------------------------------------------- through the filter

  static List<Arguments> apiCases() {
    List<Arguments> cases = new ArrayList<>();
    for (String name : Fixtures.names()) {
      if (!name.startsWith("rest-4") && !name.startsWith("soap-fault")) {
        continue;
      }
      Fixtures.Recorded r = Fixtures.load(name);
      Expect expect;
      if (name.contains("not-valid-for-rest-api")) {
        expect = Expect.fails(FailureCause.SESSION_POLICY);
      } else if (name.contains("invalid-session-id")) {
        expect = Expect.ok(); // replayed once with a new token, then the 200 behind it
      } else if (name.contains("invalid-auth-header")) {
        expect = Expect.fails(FailureCause.INVALID_AUTH_HEADER);
      } else if (name.contains("request-limit-exceeded")) {
        expect = Expect.fails(FailureCause.API_LIMIT_EXCEEDED);
      } else {
        expect = Expect.status(r.status()); // not a session problem: passed through untouched
      }
      cases.add(Arguments.of("fixture " + name, "GET", (Supplier<MockResponse>) () -> recorded(r), expect, -1, false));
    }
    cases.add(api("HTML 401 from a proxy", "GET", 401, "text/html", "<html>Unauthorized</html>", Expect.status(401), 1,
        false));
    cases.add(api("truncated 401 JSON", "GET", 401, "application/json", SESSION_EXPIRED.substring(0, 30),
        Expect.status(401), 1, false));
    cases.add(api("HTML 503 on GET is retried then typed", "GET", 503, "text/html", "<html><title>Maintenance</title></html>",
        Expect.fails(FailureCause.SERVER_UNAVAILABLE), 2, true));
    cases.add(api("HTML 503 on POST is passed through, not replayed", "POST", 503, "text/html", "<html>down</html>",
        Expect.status(503), 1, true));
    cases.add(api("401 INVALID_SESSION_ID as XML errors", "GET", 401, "application/xml",
        "<Errors><Error><errorCode>INVALID_SESSION_ID</errorCode><message>Session expired or invalid</message></Error></Errors>",
        Expect.ok(), 2, false));
    cases.add(Arguments.of("50 MB 401 body", "GET", (Supplier<MockResponse>) () -> new MockResponse.Builder().code(401)
        .addHeader("Content-Type", "application/json").body(huge(50)).build(),
        Expect.fails(FailureCause.RESPONSE_TOO_LARGE), 1, true));
    cases.add(Arguments.of("slow trickle 401 body on GET", "GET", (Supplier<MockResponse>) () -> new MockResponse.Builder()
        .code(401).addHeader("Content-Type", "application/json").body(SESSION_EXPIRED)
        .throttleBody(4, 250, TimeUnit.MILLISECONDS).build(), Expect.fails(FailureCause.TRANSPORT), 2, true));
    cases.add(Arguments.of("connection reset on GET is retried", "GET", (Supplier<MockResponse>) () ->
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build(),
        Expect.fails(FailureCause.TRANSPORT), -1, true));
    cases.add(Arguments.of("connection reset on POST is never replayed", "POST", (Supplier<MockResponse>) () ->
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build(),
        Expect.fails(FailureCause.TRANSPORT), 1, true));
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("apiCases")
  void theFilterTurnsEveryAnswerIntoAResponseOrATypedError(
      String name, String method, Supplier<MockResponse> first, Expect expect, int expectedRequests, boolean repeat) {
    boolean[] served = {false};
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        // The first answer is the hostile one; a replay (if any) gets a plain 200.
        synchronized (served) {
          if (!served[0] || repeat) {
            served[0] = true;
            return first.get();
          }
        }
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body("{}").build();
      }
    });
    SessionRecoveryFilterTests.ListTokenSource tokens =
        new SessionRecoveryFilterTests.ListTokenSource(URI.create(server.url("/").toString()));
    WebClient client = WebClient.builder().filter(SessionRecoveryFilter.builder(tokens)
        .recoveryPolicy(fast()).attemptTimeout(endsByTimeout(name) ? SHORT_TIMEOUT : GUARD_TIMEOUT).build()).build();

    WebClient.RequestBodySpec spec = client.method(org.springframework.http.HttpMethod.valueOf(method))
        .uri("/services/data/v67.0/x");
    WebClient.RequestHeadersSpec<?> request = "GET".equals(method) ? spec : spec.bodyValue("{\"Name\":\"x\"}");
    Object outcome = request
        .exchangeToMono(r -> r.releaseBody().thenReturn((Object) r.statusCode().value()))
        .onErrorResume(Mono::just)
        .block(BOUND);

    check(outcome, expect);
    if (expectedRequests > 0) {
      assertThat(server.getRequestCount()).as("requests sent").isEqualTo(expectedRequests);
    }
    if (outcome instanceof Throwable t) {
      assertThat(t.getMessage()).doesNotContain(tokens.value(0)).doesNotContain(tokens.value(1));
    }
  }

  // ---------------------------------------------------------------- helpers

  private static void check(@Nullable Object outcome, @Nullable Expect expect) {
    assertThat(outcome).as("outcome within the bound").isNotNull();
    if (outcome instanceof Throwable t) {
      assertThat(t).isInstanceOf(SalesforceException.class);
      assertThat(t.getMessage()).doesNotContain(CLIENT_SECRET).doesNotContain(REFRESH_TOKEN).doesNotContain(SERVED_TOKEN);
      assertThat(String.valueOf(t)).doesNotContain(SERVED_TOKEN);
      if (expect != null) {
        assertThat(expect.cause()).as("expected a result, got " + t).isNotNull();
        List<FailureCause> allowed = new ArrayList<>(expect.alternatives());
        allowed.add(expect.cause());
        assertThat(((SalesforceException) t).failureCause()).isIn(allowed);
      }
    } else {
      assertThat(expect).as("expected a typed failure, got " + outcome).isNotNull();
      assertThat(expect.cause()).as("expected " + (expect == null ? null : expect.cause()) + ", got " + outcome).isNull();
      if (outcome instanceof Integer status) {
        assertThat(status).isEqualTo(expect.status());
      }
    }
  }

  private void serveAlways(Supplier<MockResponse> response) {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return response.get();
      }
    });
  }

  /** The cases whose body trickles or stalls for longer than {@link #SHORT_TIMEOUT}. */
  private static boolean endsByTimeout(String name) {
    return name.startsWith("slow trickle") || name.startsWith("body stalls");
  }

  private static RecoveryPolicy fast() {
    return RecoveryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(10))
        .jitter(Jitter.NONE).build();
  }

  private static MockResponse recorded(Fixtures.Recorded r) {
    MockResponse.Builder b = new MockResponse.Builder().code(r.status()).body(new Buffer().write(r.body()));
    b.addHeader("Content-Type", r.contentType());
    if (r.status() == 401) {
      b.addHeader("WWW-Authenticate", "Token");
    }
    return b.build();
  }

  private static Buffer huge(int megabytes) {
    Buffer buffer = new Buffer();
    byte[] chunk = "[{\"message\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"},".repeat(64)
        .getBytes(StandardCharsets.UTF_8);
    long target = megabytes * 1024L * 1024L;
    while (buffer.size() < target) {
      buffer.write(chunk);
    }
    return buffer;
  }

  private static Arguments token(String name, int status, String type, String body, Expect expect) {
    return Arguments.of(name, (Supplier<MockResponse>) () -> new MockResponse.Builder().code(status)
        .addHeader("Content-Type", type).body(body).build(), expect);
  }

  private static Arguments api(String name, String method, int status, String type, String body, Expect expect,
      int requests, boolean repeat) {
    return Arguments.of(name, method, (Supplier<MockResponse>) () -> new MockResponse.Builder().code(status)
        .addHeader("Content-Type", type).body(body).build(), expect, requests, repeat);
  }

}
