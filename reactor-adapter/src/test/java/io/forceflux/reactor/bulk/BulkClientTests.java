package io.forceflux.reactor.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.error.FailureCause;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.reactor.client.TestClients;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** {@link BulkClient} end to end against a {@link FakeOrg} whose clock moves with the client's requests and waits. */
class BulkClientTests {
  private static final Duration BOUND = Duration.ofSeconds(60);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T09:00:00Z"));
  private final List<BulkEvent> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger pageRequests = new AtomicInteger();
  private FakeOrg org;
  private FakeTime time;

  private FakeOrg start(UnaryOperator<FakeOrg.Builder> options, Duration killEvery) {
    org = options.apply(FakeOrg.builder().clock(clock)).build().start();
    time = new FakeTime(clock, org, Duration.ofMillis(50), killEvery);
    return org;
  }

  @AfterEach
  void stop() {
    if (org != null) {
      org.close();
    }
  }

  private SalesforceClient salesforce() {
    WebClient.Builder web = WebClient.builder()
        .filter(time.perRequest())
        .filter((request, next) -> {
          if (request.url().getRawPath().endsWith("/results")) {
            pageRequests.incrementAndGet();
          }
          return next.exchange(request);
        });
    return TestClients.builder(org).apiVersion("67.0").webClientBuilder(web).build();
  }

  private BulkOptions.Builder options() {
    return BulkOptions.builder().scheduler(time).pollInterval(Duration.ofMillis(100), Duration.ofSeconds(1))
        .listener(events::add);
  }

  private static Map<String, Object> account(String name, String industry) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Name", name);
    m.put("Industry", industry);
    return m;
  }

  @Test
  void ingestsAHundredThousandRowsWhileEverySessionDiesEvery250Milliseconds() {
    start(b -> b.accounts(0).bulkRecordsPerSecond(20_000), Duration.ofMillis(250));
    BulkClient bulk = salesforce().bulk(options().jobSize(25_000, 100L * 1024 * 1024).jobsInFlight(1).build());
    Flux<Map<String, Object>> records = Flux.range(0, 100_200).map(i -> {
      if (i >= 100_000) {
        return account(i % 2 == 0 ? "" : "x".repeat(300), "Energy");
      }
      return account("Bulk " + i, "Retail");
    });

    List<IngestResult> results = new ArrayList<>();
    StepVerifier.create(bulk.ingest(Ingest.insert("Account"), records))
        .recordWith(() -> results)
        .thenConsumeWhile(r -> true)
        .expectComplete()
        .verify(BOUND);

    assertThat(org.records("Account")).hasSize(100_000);
    assertThat(org.records("Account").stream().map(r -> r.get("Name")).distinct()).hasSize(100_000);
    List<IngestResult> ok = results.stream().filter(r -> r.outcome() == IngestResult.Outcome.SUCCESS).toList();
    assertThat(ok).hasSize(100_000).allMatch(IngestResult::created);
    assertThat(ok.stream().map(IngestResult::id).distinct()).hasSize(100_000);
    List<IngestResult> failed = results.stream().filter(r -> r.outcome() == IngestResult.Outcome.FAILURE).toList();
    assertThat(failed).hasSize(200);
    assertThat(failed.stream().map(IngestResult::errorCode).distinct())
        .containsExactlyInAnyOrder("REQUIRED_FIELD_MISSING", "STRING_TOO_LONG");
    assertThat(results).noneMatch(r -> r.outcome() == IngestResult.Outcome.UNPROCESSED);
    // Five jobs of at most 25,000 rows, each created once although sessions died throughout.
    assertThat(org.stats().bulkJobsCreated()).isEqualTo(5);
    assertThat(events.stream().filter(e -> e.kind() == BulkEvent.Kind.CREATED)).hasSize(5);
    assertThat(time.kills.get()).isGreaterThan(20);
    assertThat(org.stats().unauthorized401()).isGreaterThan(20);
  }

  @Test
  void queryStreamsEveryRowOnceAcrossPagesWhileSessionsDie() {
    start(b -> b.accounts(30_000).bulkRecordsPerSecond(100_000).bulkQueryPageSize(2_000), Duration.ofMillis(250));
    BulkClient bulk = salesforce().bulk(options().build());

    Set<String> ids = new HashSet<>();
    AtomicInteger rows = new AtomicInteger();
    StepVerifier.create(bulk.query("SELECT Id, Name FROM Account"))
        .thenConsumeWhile(row -> {
          rows.incrementAndGet();
          return ids.add(row.get("Id")) && row.get("Name").matches("[A-Za-z]+ \\d{6,}");
        })
        .expectComplete()
        .verify(BOUND);

    assertThat(rows.get()).isEqualTo(30_000);
    assertThat(ids).hasSize(30_000);
    assertThat(pageRequests.get()).isEqualTo(15);
    assertThat(org.stats().bulkJobsCreated()).isEqualTo(1);
    assertThat(org.stats().unauthorized401()).isPositive();
  }

  @Test
  void requestOneFetchesOnePageAndCancelStopsRequests() throws InterruptedException {
    start(b -> b.accounts(10_000).bulkRecordsPerSecond(1_000_000).bulkQueryPageSize(1_000), Duration.ofDays(1));
    BulkClient bulk = salesforce().bulk(options().build());
    TestClients.Probe<Map<String, String>> probe = new TestClients.Probe<>();
    bulk.query("SELECT Id FROM Account").subscribe(probe);

    probe.request(1);
    assertThat(probe.next(BOUND)).containsKey("Id");
    long before = TestClients.settled(() -> org.stats().bulkRequests(), Duration.ofMillis(200));
    assertThat(pageRequests.get()).isEqualTo(1);

    probe.request(999);
    for (int i = 0; i < 999; i++) {
      probe.next(BOUND);
    }
    probe.request(1);
    probe.next(BOUND);
    assertThat(TestClients.settled(() -> pageRequests.get(), Duration.ofMillis(200))).isEqualTo(2);
    probe.cancel();
    assertThat(TestClients.settled(() -> org.stats().bulkRequests(), Duration.ofMillis(200))).isEqualTo(before + 1);
  }

  @Test
  void aNewClientResumesARunningIngestAndQueryByJobId() {
    start(b -> b.accounts(5_000).bulkRecordsPerSecond(1_000), Duration.ofDays(1));
    BulkOptions impatient = options().pollTimeout(Duration.ofSeconds(1)).build();
    StepVerifier.create(salesforce().bulk(impatient)
            .ingest(Ingest.insert("Account"), Flux.range(0, 4_000).map(i -> account("Resumed " + i, "Media"))))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(BulkJobException.class,
            job -> assertThat(job.resumable()).isTrue()))
        .verify(BOUND);
    String ingestJob = createdJob();

    List<IngestResult> resumed = salesforce().bulk(options().build()).resumeIngest(ingestJob).collectList()
        .block(BOUND);
    assertThat(resumed).hasSize(4_000).allMatch(r -> r.outcome() == IngestResult.Outcome.SUCCESS);
    assertThat(resumed.stream().map(IngestResult::id).distinct()).hasSize(4_000);
    assertThat(org.records("Account")).hasSize(4_000);

    events.clear();
    StepVerifier.create(salesforce().bulk(impatient).query("SELECT Id FROM Account"))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(BulkJobException.class,
            job -> assertThat(job.jobId()).isEqualTo(createdJob())))
        .verify(BOUND);
    List<Map<String, String>> rows = salesforce().bulk(options().build()).resumeQuery(createdJob()).collectList()
        .block(BOUND);
    assertThat(rows).hasSize(9_000);
    assertThat(rows.stream().map(r -> r.get("Id")).distinct()).hasSize(9_000);
    assertThat(org.stats().bulkJobsCreated()).isEqualTo(2);
  }

  private String createdJob() {
    return events.stream().filter(e -> e.kind() == BulkEvent.Kind.CREATED).findFirst().orElseThrow().jobId();
  }

  @Test
  void aJobThatNeverEndsFailsResumablyAndIsLeftRunning() {
    start(b -> b.accounts(100).bulkRecordsPerSecond(0), Duration.ofDays(1));
    BulkClient bulk = salesforce().bulk(options().pollTimeout(Duration.ofMinutes(1)).build());

    StepVerifier.create(bulk.query("SELECT Id FROM Account"))
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(BulkJobException.class);
          BulkJobException job = (BulkJobException) e;
          assertThat(job.resumable()).isTrue();
          assertThat(job.state()).isEqualTo("InProgress");
          assertThat(job.getMessage()).contains("resumeQuery(\"" + job.jobId() + "\")").contains("left running");
          assertThat(job.failureCause()).isEqualTo(FailureCause.SERVER_UNAVAILABLE);
        })
        .verify(BOUND);
    assertThat(events).filteredOn(e -> e.kind() == BulkEvent.Kind.STATE).last()
        .satisfies(e -> assertThat(e.state()).isEqualTo("InProgress"));
    // Left alive: a new client finds it still running (not aborted, not deleted).
    String jobId = createdJob();
    StepVerifier.create(salesforce().bulk(options().pollTimeout(Duration.ofMillis(1)).build()).resumeQuery(jobId))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(BulkJobException.class,
            job -> assertThat(job.state()).isEqualTo("InProgress")))
        .verify(BOUND);
    // Doubling delays from 100 ms capped at 1 s (plus 50 ms per request) over a minute: about 60 polls, not a
    // tight loop.
    assertThat(events.stream().filter(e -> e.kind() == BulkEvent.Kind.STATE).count()).isBetween(45L, 70L);
  }

  @Test
  void aBadHeaderIsATypedErrorBeforeAnyJobAndAnUnknownColumnFailsTheJob() {
    start(b -> b.accounts(0).bulkRecordsPerSecond(1_000_000), Duration.ofDays(1));
    BulkClient bulk = salesforce().bulk(options().build());

    StepVerifier.create(bulk.ingestCsv(Ingest.insert("Account"), Flux.just("Name,,Industry", "a,b,c")))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("bad CSV header"))
        .verify(BOUND);
    assertThat(org.stats().bulkJobsCreated()).isZero();

    List<IngestResult> unprocessed = new ArrayList<>();
    StepVerifier.create(bulk.ingestCsv(Ingest.insert("Account"), Flux.just("Name,Bogus__x\n", "A,1\n", "B,2")))
        .recordWith(() -> unprocessed)
        .thenConsumeWhile(r -> true)
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(BulkJobException.class).hasMessageContaining("ended Failed")
              .hasMessageContaining("Field name not found : Bogus__x");
          assertThat(((BulkJobException) e).resumable()).isFalse();
        })
        .verify(BOUND);
    assertThat(unprocessed).extracting(IngestResult::outcome).containsOnly(IngestResult.Outcome.UNPROCESSED);
    assertThat(unprocessed).extracting(r -> r.row().get("Name")).containsExactly("A", "B");
  }

  @Test
  void refusedSoqlFailsAtJobCreationWithSalesforcesError() {
    start(b -> b.accounts(10), Duration.ofDays(1));
    StepVerifier.create(salesforce().bulk().query("SELECT COUNT() FROM Account"))
        .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("API_ERROR").hasMessageContaining("COUNT"))
        .verify(BOUND);
    assertThat(org.stats().bulkJobsCreated()).isZero();
  }
}
