package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.reactor.client.Limits;
import io.forceflux.reactor.client.Query;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.reactor.client.TestClients;
import io.forceflux.reactor.client.TestClients.Probe;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.Fault;
import io.forceflux.testkit.FaultTarget;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** Queries, limits and versions against a fake org over loopback HTTP. */
class SalesforceClientQueryTests {
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final Duration QUIET = Duration.ofMillis(300);

  private static FakeOrg org;

  record Account(String id, String name, double annualRevenue, int numberOfEmployees) {}

  @BeforeAll
  static void startOrg() {
    org = FakeOrg.builder().accounts(5_000).build().start();
  }

  @AfterAll
  static void stopOrg() {
    org.close();
  }

  /** A client with a pinned version and a token already obtained, so only page requests are counted. */
  private static SalesforceClient warmClient(Consumer<SalesforceClient.Builder> options) {
    SalesforceClient.Builder b = TestClients.builder(org).apiVersion("67.0").batchSize(200);
    options.accept(b);
    SalesforceClient client = b.build();
    client.limits().block(BOUND);
    return client;
  }

  private static void assertFails(StepVerifier.FirstStep<?> step, FailureCause cause, String errorCode) {
    step.expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SalesforceException.class, s -> {
      assertThat(s.failureCause()).isEqualTo(cause);
      assertThat(s.errorCode()).isEqualTo(errorCode);
    })).verify(BOUND);
  }

  @Test
  void streamsEveryRecordOnceInIdOrder() {
    SalesforceClient client = TestClients.builder(org).batchSize(200).build();

    List<String> ids = client.query("SELECT Id, Name FROM Account").map(r -> r.get("Id").stringValue())
        .collectList().block(BOUND);

    assertThat(ids).hasSize(5_000).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void bindsRecordsToATypeIgnoringAttributesAndCase() {
    SalesforceClient client = TestClients.builder(org).build();

    StepVerifier.create(client.query("SELECT Id, Name, AnnualRevenue, NumberOfEmployees FROM Account LIMIT 2",
            Account.class))
        .assertNext(a -> {
          assertThat(a.id()).startsWith("001").hasSize(18);
          assertThat(a.name()).isEqualTo("Account 000001");
          assertThat(a.annualRevenue()).isPositive();
          assertThat(a.numberOfEmployees()).isPositive();
        })
        .expectNextCount(1)
        .verifyComplete();
  }

  @Test
  void keepsTheLimitOfTheQuery() {
    SalesforceClient client = TestClients.builder(org).batchSize(200).build();

    StepVerifier.create(client.query("SELECT Id FROM Account LIMIT 450").count())
        .expectNext(450L)
        .verifyComplete();
  }

  @Test
  void queryAllIncludesDeletedRecordsAndQueryDoesNot() {
    SalesforceClient client = TestClients.builder(org).build();
    String id = client.create("Lead", Map.of("Name", "Soon gone")).block(BOUND).id();
    client.delete("Lead", id).block(BOUND);

    assertThat(client.query("SELECT Id FROM Lead").map(r -> r.get("Id").stringValue()).collectList().block(BOUND))
        .doesNotContain(id);
    assertThat(client.queryAll("SELECT Id, IsDeleted FROM Lead").collectList().block(BOUND))
        .anySatisfy(r -> {
          assertThat(r.get("Id").stringValue()).isEqualTo(id);
          assertThat(r.get("IsDeleted").booleanValue()).isTrue();
        });
  }

  @Test
  void requestOneOnAFreshQueryCostsExactlyOnePageRequest() throws InterruptedException {
    SalesforceClient client = warmClient(b -> { });
    long before = org.stats().apiRequests();
    Probe<JsonNode> probe = new Probe<>();
    client.query("SELECT Id FROM Account").subscribe(probe);

    probe.request(1);
    probe.next(BOUND);

    assertThat(TestClients.settled(() -> org.stats().apiRequests(), QUIET) - before).isEqualTo(1);
    probe.cancel();
  }

  @Test
  void cancellingAfterTenRecordsStopsPaging() {
    SalesforceClient client = warmClient(b -> { });
    long before = org.stats().apiRequests();

    StepVerifier.create(client.query("SELECT Id FROM Account").take(10))
        .expectNextCount(10)
        .verifyComplete();
    assertThat(TestClients.settled(() -> org.stats().apiRequests(), QUIET) - before).isEqualTo(1);

    // Unbounded demand reaches page 2 at once, so it may already be requested; the cancel stops everything after.
    AtomicInteger seen = new AtomicInteger();
    client.query("SELECT Id FROM Account").subscribe(new BaseSubscriber<JsonNode>() {
      @Override
      protected void hookOnNext(JsonNode value) {
        if (seen.incrementAndGet() == 10) {
          cancel();
        }
      }
    });
    long afterCancel = TestClients.settled(() -> org.stats().apiRequests(), QUIET);
    assertThat(afterCancel - before).isBetween(2L, 3L);
    assertThat(TestClients.settled(() -> org.stats().apiRequests(), QUIET)).isEqualTo(afterCancel);
    assertThat(seen).hasValue(10);
  }

  @Test
  void prefetchFetchesAtMostTheConfiguredPagesAhead() throws InterruptedException {
    SalesforceClient client = warmClient(b -> b.pagePrefetch(2));
    long before = org.stats().apiRequests();
    Probe<JsonNode> probe = new Probe<>();
    client.query("SELECT Id FROM Account").subscribe(probe);

    probe.request(100);
    for (int i = 0; i < 100; i++) {
      probe.next(BOUND);
    }

    assertThat(TestClients.settled(() -> org.stats().apiRequests(), QUIET) - before).isEqualTo(3);
    probe.cancel();
  }

  @Test
  void withoutPrefetchTheNextPageWaitsForDemand() throws InterruptedException {
    SalesforceClient client = warmClient(b -> b.pagePrefetch(0));
    long before = org.stats().apiRequests();
    Probe<JsonNode> probe = new Probe<>();
    client.query("SELECT Id FROM Account").subscribe(probe);

    probe.request(200);
    for (int i = 0; i < 200; i++) {
      probe.next(BOUND);
    }
    assertThat(TestClients.settled(() -> org.stats().apiRequests(), QUIET) - before).isEqualTo(1);
    probe.request(1);
    probe.next(BOUND);

    assertThat(TestClients.settled(() -> org.stats().apiRequests(), QUIET) - before).isEqualTo(2);
    probe.cancel();
  }

  @Test
  void aTruncatedPageIsATypedErrorNotAHang() throws InterruptedException {
    SalesforceClient client = warmClient(b -> b.pagePrefetch(0));
    Probe<JsonNode> probe = new Probe<>();
    client.query("SELECT Id FROM Account").subscribe(probe);
    probe.request(200);
    for (int i = 0; i < 200; i++) {
      probe.next(BOUND);
    }
    org.faults().next(1, FaultTarget.API, Fault.truncatedBody());

    probe.request(1);

    assertThat(probe.error(BOUND)).isInstanceOfSatisfying(SalesforceException.class,
        e -> assertThat(e.failureCause()).isIn(FailureCause.TRANSPORT, FailureCause.MALFORMED_RESPONSE));
  }

  @Test
  void aMalformedPageIsAMalformedResponse() {
    SalesforceClient client = warmClient(b -> { });
    org.faults().next(1, FaultTarget.API, Fault.malformedJson());

    StepVerifier.create(client.query("SELECT Id FROM Account"))
        .expectErrorSatisfies(e -> assertThat(((SalesforceException) e).failureCause())
            .isEqualTo(FailureCause.MALFORMED_RESPONSE))
        .verify(BOUND);
  }

  @Test
  void malformedQueryInvalidFieldAndInvalidTypeAreTypedApiErrors() {
    SalesforceClient client = warmClient(b -> { });

    assertFails(StepVerifier.create(client.query("SELEKT Id FROM Account")), FailureCause.API_ERROR,
        "MALFORMED_QUERY");
    assertFails(StepVerifier.create(client.query("SELECT Id, NoSuchField__c FROM Account")), FailureCause.API_ERROR,
        "INVALID_FIELD");
    assertFails(StepVerifier.create(client.query("SELECT Id FROM NoSuchObject")), FailureCause.API_ERROR,
        "INVALID_TYPE");
    StepVerifier.create(client.query("SELECT Id, NoSuchField__c FROM Account"))
        .expectErrorSatisfies(e -> {
          SalesforceException s = (SalesforceException) e;
          assertThat(s.status()).isEqualTo(400);
          assertThat(s.error().message()).contains("NoSuchField__c");
          // The request is named by its path alone; Salesforce's own message echoes the query with a caret.
          assertThat(s.getMessage()).contains("GET /services/data/v67.0/query failed").doesNotContain("?q=")
              .doesNotContain("SELECT+Id");
        })
        .verify(BOUND);
  }

  @Test
  void discoversTheNewestVersionTheInstanceLists() {
    try (FakeOrg older = FakeOrg.builder().accounts(10).apiVersion("64.0").build().start()) {
      SalesforceClient client = TestClients.builder(older).build();

      StepVerifier.create(client.apiVersion()).expectNext("64.0").verifyComplete();
      StepVerifier.create(client.query("SELECT Id FROM Account").count()).expectNext(10L).verifyComplete();
      StepVerifier.create(client.versions())
          .assertNext(v -> assertThat(v.get(v.size() - 1).version()).isEqualTo("64.0"))
          .verifyComplete();
    }
  }

  @Test
  void fallsBackToThePinnedVersionWhenTheListCannotBeRead() {
    SalesforceClient client = TestClients.builder(org).build();
    org.faults().next(1, FaultTarget.API, Fault.status(404, "[{\"errorCode\":\"NOT_FOUND\",\"message\":\"x\"}]",
        "application/json"));

    StepVerifier.create(client.apiVersion()).expectNext("67.0").verifyComplete();
    StepVerifier.create(client.query("SELECT Id FROM Account LIMIT 3").count()).expectNext(3L).verifyComplete();
  }

  @Test
  void reportsTypedLimits() {
    SalesforceClient client = warmClient(b -> { });

    Limits limits = client.limits().block(BOUND);

    assertThat(limits.dailyApiRequests().max()).isEqualTo(100_000);
    assertThat(limits.dailyApiRequests().used()).isPositive();
    assertThat(limits.limit("DataStorageMB")).hasValueSatisfying(l -> assertThat(l.max()).isEqualTo(5));
    assertThat(limits.all()).containsKey("DailyBulkApiRequests");
  }

  @Test
  void aQueryValueCarriesItsOptions() {
    SalesforceClient client = warmClient(b -> { });

    StepVerifier.create(client.query(Query.of("SELECT Name FROM Account LIMIT 5").resumable(true).batchSize(200)))
        .assertNext(r -> assertThat(r.has("Id")).as("resumable queries select Id").isTrue())
        .expectNextCount(4)
        .verifyComplete();
  }
}
