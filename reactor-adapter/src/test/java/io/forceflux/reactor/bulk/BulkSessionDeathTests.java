package io.forceflux.reactor.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.reactor.client.TestClients;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/**
 * Every session dies right before one chosen step of a bulk job: the step is rejected with 401, replayed after
 * the refresh, and the job ends with every row once and one job created.
 */
class BulkSessionDeathTests {
  private static final Duration BOUND = Duration.ofSeconds(60);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T09:00:00Z"));
  private FakeOrg org;

  @AfterEach
  void stop() {
    if (org != null) {
      org.close();
    }
  }

  /** A client whose first {@code method} request whose path ends matching {@code pathEnd} finds its session dead. */
  private BulkClient bulkDyingBefore(String method, String pathEnd) {
    AtomicBoolean killed = new AtomicBoolean();
    FakeTime time = new FakeTime(clock, org, Duration.ofMillis(10), Duration.ofDays(1));
    WebClient.Builder web = WebClient.builder().filter((request, next) -> {
      String path = request.url().getRawPath();
      if (request.method().name().equals(method) && java.util.regex.Pattern.compile(pathEnd + "$").matcher(path).find() && !killed.getAndSet(true)) {
        org.expireAllSessions();
      }
      return next.exchange(request);
    });
    SalesforceClient client = TestClients.builder(org).apiVersion("67.0").webClientBuilder(web).build();
    client.limits().block(BOUND); // a session to kill: the first token would otherwise be fetched after the kill
    return client.bulk(BulkOptions.builder().scheduler(time).pollInterval(Duration.ofMillis(100), Duration.ofSeconds(1))
            .build());
  }

  @ParameterizedTest(name = "{0} …{1}")
  @CsvSource({"POST, /jobs/ingest", "PUT, /batches", "PATCH, /jobs/ingest/\\w{18}", "GET, /jobs/ingest/\\w{18}",
      "GET, /successfulResults/", "GET, /failedResults/"})
  void ingestSurvivesSessionDeathAtEveryStep(String method, String pathEnd) {
    org = FakeOrg.builder().clock(clock).accounts(0).bulkRecordsPerSecond(1_000).build().start();
    BulkClient bulk = bulkDyingBefore(method, pathEnd);

    List<IngestResult> results = bulk.ingest(Ingest.insert("Account"), Flux.range(0, 1_000)
            .map(i -> Map.of("Name", i == 7 ? "" : "Step " + i)))
        .collectList().block(BOUND);

    assertThat(results).hasSize(1_000);
    assertThat(results.stream().filter(r -> r.outcome() == IngestResult.Outcome.SUCCESS).map(IngestResult::id)
        .distinct()).hasSize(999);
    assertThat(results).filteredOn(r -> r.outcome() == IngestResult.Outcome.FAILURE).singleElement()
        .satisfies(r -> assertThat(r.errorCode()).isEqualTo("REQUIRED_FIELD_MISSING"));
    assertThat(org.records("Account")).hasSize(999);
    assertThat(org.stats().bulkJobsCreated()).isEqualTo(1);
    assertThat(org.stats().unauthorized401()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} …{1}")
  @CsvSource({"POST, /jobs/query", "GET, /jobs/query/\\w{18}", "GET, /results"})
  void querySurvivesSessionDeathAtEveryStep(String method, String pathEnd) {
    org = FakeOrg.builder().clock(clock).accounts(3_000).bulkRecordsPerSecond(1_000).bulkQueryPageSize(1_000)
        .build().start();
    BulkClient bulk = bulkDyingBefore(method, pathEnd);

    List<Map<String, String>> rows = bulk.query("SELECT Id FROM Account").collectList().block(BOUND);

    assertThat(rows).hasSize(3_000);
    assertThat(rows.stream().map(r -> r.get("Id")).distinct()).hasSize(3_000);
    assertThat(org.stats().bulkJobsCreated()).isEqualTo(1);
    assertThat(org.stats().unauthorized401()).isEqualTo(1);
  }
}
