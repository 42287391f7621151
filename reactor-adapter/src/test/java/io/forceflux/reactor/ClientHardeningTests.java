package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.reactor.client.SaveResult;
import io.forceflux.reactor.client.TestClients;
import io.forceflux.reactor.client.UpsertResult;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.Fault;
import io.forceflux.testkit.Phase;
import io.forceflux.testkit.Target;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

  // ---- 3f. only a definitive answer pins the API version ----

  @Test
  void aTransientFailureDoesNotPinTheFallbackVersion() {
    SalesforceClient client = TestClients.builder(org).build();
    // Every attempt of the first versions call (the filter retries a GET 503) is refused.
    org.faults().next(TestClients.QUICK.maxAttempts(), Target.API, Fault.serverUnavailable());

    assertThat(client.apiVersion().block(BOUND)).isEqualTo(io.forceflux.reactor.client.DefaultSalesforceClient.FALLBACK_API_VERSION);
    assertThat(client.apiVersion().block(BOUND)).isEqualTo("64.0"); // the org answered: its newest version
    assertThat(client.apiVersion().block(BOUND)).isEqualTo("64.0");
  }

  // ---- 4e. upsert by external id is replayed as idempotent ----

  @Test
  void anUpsertWhoseReplyIsLostIsReplayedAndWritesOneRecord() {
    SalesforceClient client = TestClients.builder(org).apiVersion("64.0").build();
    org.faults().next(1, Target.API, Fault.connectionReset().withPhase(Phase.AFTER)); // runs, reply lost

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
    org.faults().next(1, Target.API, Fault.connectionReset().withPhase(Phase.AFTER)); // deleted, reply lost

    client.delete("Account", created.id()).block(BOUND);

    assertThat(org.count("Account")).isEqualTo(before - 1);
  }
}
