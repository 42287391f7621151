package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.reactor.client.SaveResult;
import io.forceflux.reactor.client.SharedOrgTests;
import io.forceflux.reactor.client.UpsertResult;
import io.forceflux.testkit.FakeOrgStats;
import io.forceflux.testkit.Fault;
import io.forceflux.testkit.FaultTarget;
import io.forceflux.testkit.SObjectLedger;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** sObject reads, writes and sObject Collections batches against a fake org. */
@SharedOrgTests.Accounts(100)
class SalesforceClientSObjectTests extends SharedOrgTests {
  private static final Duration BOUND = Duration.ofSeconds(60);

  record Named(String name, String industry) {}

  private static void assertApiError(StepVerifier.FirstStep<?> step, FailureCause cause, String errorCode,
      int status) {
    step.expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SalesforceException.class, s -> {
      assertThat(s.failureCause()).isEqualTo(cause);
      assertThat(s.errorCode()).isEqualTo(errorCode);
      assertThat(s.status()).isEqualTo(status);
    })).verify(BOUND);
  }

  @Test
  void fiveThousandConcurrentCallsThroughTheDefaultConnectionPoolAllSucceed() {
    // Reactor Netty's shared pool (500 connections, 1,000 waiting) refuses the 1,501st concurrent request; the
    // client's own pool queues them instead, bounded by the acquire timeout. A slow org keeps them all in flight.
    org.faults().next(5_000, FaultTarget.API, Fault.latency(Duration.ofMillis(200)));
    Long ok = Flux.range(0, 5_000)
        .flatMap(i -> client.limits().map(limits -> 1L), 5_000)
        .reduce(0L, Long::sum)
        .block(BOUND);

    assertThat(ok).isEqualTo(5_000L);
  }

  @Test
  void createsReadsUpdatesAndDeletesARecord() {
    SaveResult created = client.create("Account", Map.of("Name", "Acme", "Industry", "Energy")).block(BOUND);
    assertThat(created.success()).isTrue();
    assertThat(created.errors()).isEmpty();
    String id = created.id();

    JsonNode read = client.get("Account", id, "Name", "Industry").block(BOUND);
    assertThat(read.get("Name").stringValue()).isEqualTo("Acme");
    assertThat(read.get("attributes").get("url").stringValue()).startsWith("/services/data/v67.0/sobjects/Account/");

    client.update("Account", id, Map.of("Id", id, "Industry", "Banking")).block(BOUND);
    assertThat(client.get("Account", id, Named.class, "Name", "Industry").block(BOUND))
        .isEqualTo(new Named("Acme", "Banking"));

    client.delete("Account", id).block(BOUND);
    assertApiError(StepVerifier.create(client.get("Account", id)), FailureCause.API_ERROR, "ENTITY_IS_DELETED", 404);
    assertThat(org.ledger("Account").deletedIds()).contains(id);
  }

  @Test
  void upsertsByExternalIdCreatingThenUpdating() {
    UpsertResult first = client.upsert("Account", "External_Id__c", "EXT/42 x", Map.of("Name", "Upserted"))
        .block(BOUND);
    UpsertResult second = client.upsert("Account", "External_Id__c", "EXT/42 x", Map.of("Name", "Upserted again"))
        .block(BOUND);

    assertThat(first.created()).isTrue();
    assertThat(second.created()).isFalse();
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(org.record("Account", first.id())).hasValueSatisfying(r -> {
      assertThat(r.get("Name")).isEqualTo("Upserted again");
      assertThat(r.get("External_Id__c")).isEqualTo("EXT/42 x");
    });
  }

  @Test
  void aRejectedWriteIsATypedErrorWithItsFields() {
    assertApiError(StepVerifier.create(client.create("Account", Map.of("Industry", "Energy"))),
        FailureCause.API_ERROR, "REQUIRED_FIELD_MISSING", 400);
    StepVerifier.create(client.create("Account", Map.of("Name", "x", "NoSuchField__c", 1)))
        .expectErrorSatisfies(e -> {
          SalesforceException s = (SalesforceException) e;
          assertThat(s.errorCode()).isEqualTo("INVALID_FIELD");
          assertThat(s.error().fields()).containsExactly("NoSuchField__c");
        })
        .verify(BOUND);
  }

  @Test
  void unableToLockRowIsRowLockedAndNotRetried() {
    String id = client.create("Account", Map.of("Name", "Locked")).block(BOUND).id();
    long updatesBefore = org.ledger("Account").updated();
    long requestsBefore = org.stats().apiRequests();
    org.faults().next(1, FaultTarget.API, Fault.unableToLockRow());

    assertApiError(StepVerifier.create(client.update("Account", id, Map.of("Industry", "Retail"))),
        FailureCause.ROW_LOCKED, "UNABLE_TO_LOCK_ROW", 400);

    assertThat(org.stats().apiRequests() - requestsBefore).as("sent once, not retried").isEqualTo(1);
    assertThat(org.ledger("Account").updated()).isEqualTo(updatesBefore);
  }

  @Test
  void createAllWritesTenThousandRecordsExactlyOnceWhileSessionsExpire() {
    long countBefore = org.count("Contact");
    FakeOrgStats before = org.stats();
    Flux<Map<String, Object>> records = Flux.range(0, 10_000)
        .doOnNext(i -> {
          if (i % 1_000 == 999) {
            org.expireAllSessions();
          }
        })
        .map(i -> Map.of("LastName", "Bulk-" + i, "Name", "Bulk-" + i));

    List<SaveResult> results = client.createAll("Contact", records, false).collectList().block(BOUND);

    FakeOrgStats after = org.stats();
    assertThat(results).hasSize(10_000).allSatisfy(r -> assertThat(r.success()).isTrue());
    assertThat(results.stream().map(SaveResult::id).distinct().count()).isEqualTo(10_000);
    assertThat(org.count("Contact") - countBefore).isEqualTo(10_000);
    SObjectLedger ledger = org.ledger("Contact");
    assertThat(new HashSet<>(ledger.createdIds())).hasSize(ledger.created());
    Set<Object> names = org.records("Contact").stream().map(r -> r.get("Name")).collect(Collectors.toSet());
    assertThat(names).containsAll(IntStream.range(0, 10_000).mapToObj(i -> "Bulk-" + i).toList());
    assertThat(org.records("Contact").stream().filter(r -> String.valueOf(r.get("Name")).startsWith("Bulk-")))
        .hasSize(10_000);
    assertThat(after.unauthorized401() - before.unauthorized401()).as("rejected and replayed").isGreaterThanOrEqualTo(9);
    assertThat(after.recordsCreated() - before.recordsCreated()).isEqualTo(10_000);
  }

  @Test
  void createAllReportsEachRecordInInputOrder() {
    List<Map<String, Object>> records = List.of(Map.of("Name", "ok-1"), Map.of("Industry", "no name"),
        Map.of("Name", "ok-2"));

    List<SaveResult> partial = client.createAll("Account", Flux.fromIterable(records), false).collectList()
        .block(BOUND);
    List<SaveResult> atomic = client.createAll("Account", Flux.fromIterable(records), true).collectList()
        .block(BOUND);

    assertThat(partial).extracting(SaveResult::success).containsExactly(true, false, true);
    assertThat(partial.get(1).id()).isNull();
    assertThat(partial.get(1).errors()).singleElement().satisfies(e -> {
      assertThat(e.errorCode()).isEqualTo("REQUIRED_FIELD_MISSING");
      assertThat(e.fields()).containsExactly("Name");
    });
    assertThat(atomic).extracting(SaveResult::success).containsExactly(false, false, false);
    assertThat(atomic.get(0).errors().get(0).errorCode()).isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
  }

  @Test
  void updateAllUpdatesRecordsByTheirIds() {
    List<String> ids = client.createAll("Account", Flux.range(0, 250).map(i -> Map.of("Name", "U-" + i)), false)
        .map(SaveResult::id).collectList().block(BOUND);

    List<SaveResult> results = client.updateAll("Account",
        Flux.fromIterable(ids).map(id -> Map.of("Id", id, "Industry", "Media")), true).collectList().block(BOUND);

    assertThat(results).extracting(SaveResult::id).containsExactlyElementsOf(ids);
    assertThat(ids).allSatisfy(id -> assertThat(org.record("Account", id))
        .hasValueSatisfying(r -> assertThat(r.get("Industry")).isEqualTo("Media")));
  }

  @Test
  void invalidArgumentsFailWhenTheCallIsMade() {
    assertThatThrownBy(() -> client.create("Account; DROP", Map.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.create("Account", List.of(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.get("Account", "../limits")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.get("Account", "001000000000001AAA", "Name,Id"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.upsert("Account", "External_Id__c", " ", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
