package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.recovery.Jitter;
import io.forceflux.core.recovery.RecoveryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The wait before a {@code SESSION_POLICY} verdict, on virtual time: once fresh tokens keep being rejected, the
 * filter looks for at least a second for evidence that sessions still work (another request succeeding) before it
 * calls it a policy. No network: the org is an {@link ExchangeFunction}.
 */
class PolicySettleWaitTests {
  private static final URI INSTANCE = URI.create("https://acme.my.salesforce.com");
  private static final String SESSION_EXPIRED =
      "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]";

  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  private final SessionRecoveryFilterTests.ListTokenSource tokens = new SessionRecoveryFilterTests.ListTokenSource(
      INSTANCE);
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final SessionRecoveryFilter filter = SessionRecoveryFilter.builder(tokens)
      .scheduler(time)
      .recoveryPolicy(RecoveryPolicy.builder().initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(20))
          .jitter(Jitter.NONE).build())
      .build();

  @AfterEach
  void stop() {
    time.dispose();
  }

  /** Answers {@code /ok} with 200 always; elsewhere 401 until the token numbered {@code worksFrom}, then 201. */
  private ExchangeFunction org(int worksFrom) {
    return request -> {
      String token = request.headers().getFirst(HttpHeaders.AUTHORIZATION).substring("Bearer ".length());
      String path = request.url().getPath();
      sent.add(path + " " + token);
      if (path.endsWith("/ok")) {
        return Mono.just(response(200, "{}"));
      }
      for (int n = worksFrom; n < worksFrom + 10; n++) {
        if (token.equals(tokens.value(n))) {
          return Mono.just(response(201, "{\"id\":\"001\"}"));
        }
      }
      return Mono.just(response(401, SESSION_EXPIRED));
    };
  }

  private static ClientResponse response(int code, String body) {
    return ClientResponse.create(HttpStatusCode.valueOf(code)).header(HttpHeaders.CONTENT_TYPE, "application/json")
        .body(body).build();
  }

  private static ClientRequest get(String path) {
    return ClientRequest.create(HttpMethod.GET, INSTANCE.resolve(path)).build();
  }

  /** The outcome of one request: its status, or its error; null while it runs. */
  private static final class Outcome {
    final AtomicReference<@Nullable Object> value = new AtomicReference<>();

    @Nullable Object get() {
      return value.get();
    }
  }

  private Outcome send(String path, ExchangeFunction org) {
    Outcome o = new Outcome();
    filter.filter(get(path), org)
        .subscribe(r -> o.value.set(r.statusCode().value()), e -> o.value.set(e));
    return o;
  }

  private long sentTo(String path) {
    return sent.stream().filter(s -> s.startsWith(path + " ")).count();
  }

  @Test
  void noPolicyVerdictBeforeTheWaitAndNoRequestSentDuringIt() {
    ExchangeFunction org = org(Integer.MAX_VALUE / 2); // every session refused: a real policy
    Outcome o = send("/services/data/v67.0/limits", org);
    time.advanceTimeBy(Duration.ofMillis(10)); // stale token 0, fresh token 1, one backoff, fresh token 2
    assertThat(sentTo("/services/data/v67.0/limits")).isEqualTo(3);
    assertThat(o.get()).as("verdict while waiting for evidence").isNull();

    time.advanceTimeBy(Duration.ofMillis(930)); // 940 ms into the wait: still none
    assertThat(o.get()).isNull();
    assertThat(sentTo("/services/data/v67.0/limits")).isEqualTo(3);

    time.advanceTimeBy(Duration.ofMillis(100)); // the wait (one second) is over
    assertThat(o.get()).isInstanceOfSatisfying(SalesforceException.class,
        e -> assertThat(e.failureCause()).isEqualTo(FailureCause.SESSION_POLICY));
    assertThat(sentTo("/services/data/v67.0/limits")).isEqualTo(3);
  }

  @Test
  void theWaitEndsAsSoonAsAnotherRequestWorks() {
    ExchangeFunction org = org(3); // tokens 1 and 2 die before anyone's response with them is read; 3 works
    Outcome o = send("/services/data/v67.0/sobjects/Account", org);
    time.advanceTimeBy(Duration.ofMillis(10));
    assertThat(o.get()).isNull();
    time.advanceTimeBy(Duration.ofMillis(200));
    assertThat(o.get()).isNull();

    Outcome other = send("/services/data/v67.0/ok", org); // evidence: a request works since this one lost its session
    assertThat(other.get()).isEqualTo(200);
    time.advanceTimeBy(Duration.ofMillis(70)); // at most one look (every 1/16 s) later
    assertThat(o.get()).isEqualTo(201);
    assertThat(sent).endsWith("/services/data/v67.0/sobjects/Account " + tokens.value(3));
  }

  @Test
  void churnSeenBeforeTheLimitRulesTheVerdictOutWithoutAnyWait() {
    ExchangeFunction org = org(5); // tokens 0 to 4 refused for this request, 5 works
    Outcome o = send("/services/data/v67.0/sobjects/Account", org);
    assertThat(sentTo("/services/data/v67.0/sobjects/Account")).isEqualTo(2); // stale 0, fresh 1; backing off
    Outcome other = send("/services/data/v67.0/ok", org); // token 2 works for another request meanwhile
    assertThat(other.get()).isEqualTo(200);

    // One backoff; then tokens 2, 3 and 4 are refused too (two of them fresh: the limit), and each is replayed at
    // once: no wait for evidence, no verdict.
    time.advanceTimeBy(Duration.ofMillis(10));
    assertThat(o.get()).isEqualTo(201);
    assertThat(sentTo("/services/data/v67.0/sobjects/Account")).isEqualTo(6); // tokens 0 to 5
    assertThat(sent).endsWith("/services/data/v67.0/sobjects/Account " + tokens.value(5));
  }
}
