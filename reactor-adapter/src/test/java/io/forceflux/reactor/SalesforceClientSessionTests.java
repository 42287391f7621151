package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.reactor.client.Query;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.reactor.client.TestClients;
import io.forceflux.reactor.client.TestClients.Probe;
import io.forceflux.testkit.CursorMode;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.FakeOrgStats;
import io.forceflux.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/**
 * Queries that outlive their sessions.
 *
 * <p>How sessions die here: each org runs on a {@link MutableClock} with a 250 ms session timeout, and a real-time
 * {@code Flux.interval(250 ms)} moves that clock forward 250 ms per tick. Every tick therefore kills every session
 * by the org's own inactivity rule (the last activity is at most "now" before the tick), i.e. sessions die every
 * 250 ms of fake-org time, once per 250 ms of real time. Real time (rather than per-record clock moves) keeps the
 * death rate realistic: a refresh and its replay take about a millisecond, so a replayed request is not itself
 * killed, which the session filter would rightly report as a session policy after two fresh rejections. The
 * consumer is slowed (15 ms per 500 records) so one 100,000-record stream spans about a dozen session deaths.
 */
class SalesforceClientSessionTests {
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final int RECORDS = 100_000;

  private static FakeOrg org(MutableClock clock, CursorMode mode, long accounts) {
    return FakeOrg.builder().clock(clock).sessionTimeout(Duration.ofMillis(250)).cursorMode(mode).accounts(accounts)
        .build().start();
  }

  private static String id(JsonNode record) {
    return record.get("Id").stringValue();
  }

  @ParameterizedTest
  @EnumSource(CursorMode.class)
  void streamsOneHundredThousandRecordsExactlyOnceWhileSessionsExpireEvery250Ms(CursorMode mode) {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (FakeOrg org = org(clock, mode, RECORDS)) {
      AtomicInteger queryStarts = new AtomicInteger();
      ExchangeFilterFunction countStarts = (request, next) -> {
        if (request.url().getRawPath().endsWith("/query")) {
          queryStarts.incrementAndGet();
        }
        return next.exchange(request);
      };
      SalesforceClient client = TestClients.builder(org).apiVersion("67.0").batchSize(500)
          .webClientBuilder(WebClient.builder().filter(countStarts)).build();
      Disposable sessionKiller = Flux.interval(Duration.ofMillis(250))
          .subscribe(tick -> clock.advance(Duration.ofMillis(250)));
      FakeOrgStats before = org.stats();
      List<String> ids;
      try {
        ids = client.query(Query.of("SELECT Id, Name FROM Account").resumable(mode == CursorMode.SESSION))
            .map(SalesforceClientSessionTests::id)
            .buffer(500)
            .delayElements(Duration.ofMillis(15))
            .flatMapIterable(batch -> batch)
            .collectList()
            .block(BOUND);
      } finally {
        sessionKiller.dispose();
      }
      FakeOrgStats after = org.stats();

      assertThat(ids).hasSize(RECORDS).doesNotHaveDuplicates().isSorted();
      assertThat(after.sessionsExpired() - before.sessionsExpired()).as("sessions killed").isGreaterThanOrEqualTo(5);
      assertThat(after.unauthorized401() - before.unauthorized401()).as("page requests rejected")
          .isGreaterThanOrEqualTo(5);
      if (mode == CursorMode.SESSION) {
        assertThat(queryStarts).as("resumed by keyset after each lost cursor").hasValueGreaterThan(1);
      } else {
        assertThat(queryStarts).as("replayed at the same nextRecordsUrl").hasValue(1);
      }
    }
  }

  @Test
  void aQueryThatIsNotResumableFailsWhenItsCursorDiesWithItsSession() throws InterruptedException {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (FakeOrg org = org(clock, CursorMode.SESSION, 1_000)) {
      SalesforceClient client = TestClients.builder(org).apiVersion("67.0").batchSize(200).pagePrefetch(0).build();
      Probe<JsonNode> probe = new Probe<>();
      client.query("SELECT Id FROM Account").subscribe(probe);
      probe.request(200);
      for (int i = 0; i < 200; i++) {
        probe.next(BOUND);
      }

      clock.advance(Duration.ofMillis(250));
      probe.request(1);

      assertThat(probe.error(BOUND)).isInstanceOfSatisfying(SalesforceException.class, e -> {
        assertThat(e.failureCause()).isEqualTo(FailureCause.QUERY_LOCATOR_INVALID);
        assertThat(e.errorCode()).isEqualTo("INVALID_QUERY_LOCATOR");
        assertThat(e.getMessage()).contains("resumable(true)").contains("after 200 records");
      });
    }
  }

  @Test
  void aResumableQueryContinuesAfterItsCursorExpiresAndKeepsItsLimit() throws InterruptedException {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (FakeOrg org = FakeOrg.builder().clock(clock).cursorLifetime(Duration.ofMinutes(1)).accounts(5_000)
        .build().start()) {
      SalesforceClient client = TestClients.builder(org).apiVersion("67.0").batchSize(200).pagePrefetch(0).build();
      Probe<JsonNode> probe = new Probe<>();
      client.query(Query.of("SELECT Id FROM Account LIMIT 1500").resumable(true)).subscribe(probe);
      List<String> ids = new ArrayList<>();
      probe.request(400);
      for (int i = 0; i < 400; i++) {
        ids.add(id(probe.next(BOUND)));
      }

      clock.advance(Duration.ofMinutes(2));
      probe.request(Long.MAX_VALUE);
      for (int i = 0; i < 1100; i++) {
        ids.add(id(probe.next(BOUND)));
      }

      assertThat(ids).hasSize(1500).doesNotHaveDuplicates().isSorted();
      assertThat(TestClients.settled(() -> org.stats().apiRequests(), Duration.ofMillis(200))).isPositive();
      assertThat(probe.poll()).as("completed after exactly the LIMIT").isNotNull().isNotInstanceOf(Throwable.class)
          .isNotInstanceOf(JsonNode.class);
    }
  }
}
