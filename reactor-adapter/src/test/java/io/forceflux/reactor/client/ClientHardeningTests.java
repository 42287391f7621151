package io.forceflux.reactor.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.error.SalesforceException;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.Fault;
import io.forceflux.testkit.FaultTarget;
import io.forceflux.testkit.Phase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** SalesforceClient against a fake org: sequences from the hardening review, each failed before its fix. */
class ClientHardeningTests {
  private static final Duration BOUND = Duration.ofSeconds(60);

  private FakeOrg org;

  @BeforeEach
  void start() {
    org = FakeOrg.builder().accounts(10).apiVersion("64.0").build().start();
  }

  @AfterEach
  void stop() {
    org.close();
  }

  // ---- 4a. writes survive sessions dying faster than they finish ----

  /**
   * The load of the report (5,000 creates, 256 in flight, every session killed again and again), with expiry
   * driven by progress rather than the wall clock so that the run means the same on a loaded machine: every
   * {@code every} creates started (one starts as one completes), all sessions are expired. At 1,000 creates/s
   * (an unloaded laptop), 300 and 100 are the report's 300 ms and 100 ms; 25 is harsher.
   */
  @ParameterizedTest(name = "sessions expire every {0} creates")
  @ValueSource(ints = {300, 100, 25})
  void fiveThousandCreatesAt256InFlightAllSucceedOnceWhileSessionsKeepDying(int every) {
    SalesforceClient client = TestClients.builder(org).apiVersion("64.0").build();
    client.limits().block(BOUND); // a first token, so the run starts with a working session
    Map<String, Long> failures = new ConcurrentHashMap<>();
    AtomicLong expiries = new AtomicLong();

    List<String> ids = Flux.range(0, 5_000)
        .doOnNext(i -> {
          if (i > 0 && i % every == 0) {
            org.expireAllSessions();
            expiries.incrementAndGet();
          }
        })
        .flatMap(i -> client.create("Account", Map.of("Name", "w-" + i))
            .map(r -> r.id())
            .onErrorResume(SalesforceException.class, e -> {
              failures.merge(e.failureCause().name(), 1L, Long::sum);
              return Mono.empty();
            }), 256)
        .collectList()
        .block(Duration.ofMinutes(5));

    assertThat(failures).isEmpty();
    assertThat(ids).hasSize(5_000).doesNotHaveDuplicates();
    assertThat(org.records("Account")).filteredOn(r -> String.valueOf(r.get("Name")).startsWith("w-")).hasSize(5_000);
    assertThat(expiries.get()).isEqualTo(4_999 / every);
  }

  // ---- 3f. only a definitive answer pins the API version ----

  @Test
  void aTransientFailureDoesNotPinTheFallbackVersion() {
    SalesforceClient client = TestClients.builder(org).build();
    // Every attempt of the first versions call (the filter retries a GET 503) is refused.
    org.faults().next(TestClients.QUICK.maxAttempts(), FaultTarget.API, Fault.serverUnavailable());

    assertThat(client.apiVersion().block(BOUND)).isEqualTo(DefaultSalesforceClient.FALLBACK_API_VERSION);
    assertThat(client.apiVersion().block(BOUND)).isEqualTo("64.0"); // the org answered: its newest version
    assertThat(client.apiVersion().block(BOUND)).isEqualTo("64.0");
  }

  // ---- 4e. upsert by external id is replayed as idempotent ----

  @Test
  void anUpsertWhoseReplyIsLostIsReplayedAndWritesOneRecord() {
    SalesforceClient client = TestClients.builder(org).apiVersion("64.0").build();
    org.faults().next(1, FaultTarget.API, Fault.connectionReset().withPhase(Phase.AFTER)); // runs, reply lost

    UpsertResult result = client.upsert("Account", "External_Id__c", "ext-42", Map.of("Name", "Acme")).block(BOUND);

    assertThat(result).isNotNull();
    assertThat(org.records("Account")).filteredOn(r -> "ext-42".equals(r.get("External_Id__c"))).hasSize(1);
  }

  // ---- 4d. a replayed DELETE that finds its own work done reports success ----

  @Test
  void aDeleteWhoseReplyIsLostIsReportedAsDeleted() {
    SalesforceClient client = TestClients.builder(org).apiVersion("64.0").build();
    SaveResult created = client.create("Account", Map.of("Name", "Doomed")).block(BOUND);
    long before = org.count("Account");
    org.faults().next(1, FaultTarget.API, Fault.connectionReset().withPhase(Phase.AFTER)); // deleted, reply lost

    client.delete("Account", created.id()).block(BOUND);

    assertThat(org.count("Account")).isEqualTo(before - 1);
  }
}
