package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.reactor.client.Query;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.reactor.client.TestClients;
import io.forceflux.testkit.CursorMode;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.FakeOrgStats;
import io.forceflux.testkit.MutableClock;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;

/**
 * A resumable query with a WHERE clause, run end to end against the fake org in session-bound cursor mode while
 * sessions, and the cursors bound to them, keep dying: the org's session timeout is 250 ms of its
 * {@link MutableClock}, and the clock jumps 250 ms just before every third new page request. The deaths are tied
 * to the request flow rather than to wall-clock ticks, so a loaded machine cannot make a refresh and its replay
 * straddle two deaths (which the session filter would rightly report as a session policy). After each lost cursor
 * the client restarts with {@code WHERE (Name LIKE 'A%') AND Id > 'last' ORDER BY Id}, which the fake runs as an
 * Id-range scan with the filter inside.
 */
class ResumableFilteredQueryTests {
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final int ACCOUNTS = 20_000;
  private static final String SOQL = "SELECT Id, Name FROM Account WHERE Name LIKE 'A%'";

  private static String id(JsonNode record) {
    return record.get("Id").stringValue();
  }

  @Test
  void streamsEveryMatchingRecordExactlyOnceWhileSessionBoundCursorsKeepDying() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (FakeOrg org = FakeOrg.builder().clock(clock).sessionTimeout(Duration.ofMillis(250))
        .cursorMode(CursorMode.SESSION).accounts(ACCOUNTS).build().start()) {
      Queue<String> queriesSent = new ConcurrentLinkedQueue<>();
      Set<String> pagesSeen = ConcurrentHashMap.newKeySet();
      AtomicBoolean killing = new AtomicBoolean();
      ExchangeFilterFunction recordQueriesAndKillSessions = (request, next) -> {
        String path = request.url().getRawPath();
        String rawQuery = request.url().getRawQuery();
        if (path.endsWith("/query") && rawQuery != null && rawQuery.startsWith("q=")) {
          queriesSent.add(URLDecoder.decode(rawQuery.substring(2), StandardCharsets.UTF_8));
        }
        if (killing.get() && path.contains("/query/") && pagesSeen.add(path) && pagesSeen.size() % 3 == 0) {
          clock.advance(Duration.ofMillis(250));
        }
        return next.exchange(request);
      };
      SalesforceClient client = TestClients.builder(org).apiVersion("67.0").batchSize(200)
          .webClientBuilder(WebClient.builder().filter(recordQueriesAndKillSessions)).build();
      // The oracle: every Account read without a filter (nothing dies yet), filtered here by Name.
      List<String> expected = client.query("SELECT Id, Name FROM Account")
          .filter(r -> r.get("Name").stringValue().toLowerCase(Locale.ROOT).startsWith("a"))
          .map(ResumableFilteredQueryTests::id)
          .collectList()
          .block(BOUND);
      queriesSent.clear();
      killing.set(true);

      FakeOrgStats before = org.stats();
      List<JsonNode> records = client.query(Query.of(SOQL).resumable(true)).collectList().block(BOUND);
      FakeOrgStats after = org.stats();

      assertThat(expected).hasSize(ACCOUNTS * 4 / 10);
      assertThat(records).extracting(ResumableFilteredQueryTests::id).containsExactlyElementsOf(expected);
      assertThat(records).allSatisfy(r -> assertThat(r.get("Name").stringValue()).startsWithIgnoringCase("a"));
      assertThat(after.sessionsExpired() - before.sessionsExpired()).as("sessions killed").isGreaterThanOrEqualTo(5);
      List<String> sent = List.copyOf(queriesSent);
      assertThat(sent).as("the first query, then keyset resumes with the filter kept").hasSizeGreaterThan(5)
          .first().isEqualTo("SELECT Id, Name FROM Account WHERE Name LIKE 'A%' ORDER BY Id");
      assertThat(sent.subList(1, sent.size())).allSatisfy(q -> assertThat(q)
          .matches("SELECT Id, Name FROM Account WHERE \\(Name LIKE 'A%'\\) AND Id > '001\\w{15}' ORDER BY Id"));
    }
  }
}
